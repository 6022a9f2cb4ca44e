import { hostState, type HostState, type IptTable, type Link, type ManagedProcess, type Namespace, type Route, type Sysctl } from '@neutrino/dataplane';
import type { L3View } from '../view/l3-view';
import { excludedAddresses, haVip, keepalivedProcess, type KeepalivedSettings } from './keepalived';
import { filterTable, mangleTable, natTable, type NatSettings } from './nat-rules';
import { pfAddresses } from './port-forwarding';
import { planRouter, type PlannedPort, type RouterPlan } from './router-plan';
import { charonRoutes, strongswanProcess, type StrongswanSettings } from '../vpn/strongswan';

export interface L3DesiredSettings extends NatSettings, KeepalivedSettings, StrongswanSettings {
  netnsPrefix: string;
  /**
   * The metadata proxy of a router namespace, when one is to run there (the
   * metadata-proxy service supplies it); undefined = none.
   */
  metadataProxy?: (router: { id: string; netns: string }) => ManagedProcess | undefined;
}

const planned = new WeakMap<L3View, { version: number; netnsPrefix: string; plans: RouterPlan[] }>();

/**
 * The routers of this host to configure, as plans (HA routers only once this host's HA port is known).
 * Kept until the view moves: a reconcile's desired state, its reports and the HA monitor share one computation.
 */
export function routerPlans(view: L3View, s: Pick<L3DesiredSettings, 'netnsPrefix'>): RouterPlan[] {
  const memo = planned.get(view);
  if (memo && memo.version === view.version && memo.netnsPrefix === s.netnsPrefix) return memo.plans;
  const plans = view
    .routersHere()
    .map((r) => planRouter(view, r.id, s.netnsPrefix))
    .filter((p): p is RouterPlan => !!p && (!view.routers.get(p.id)!.ha || !!p.ha));
  planned.set(view, { version: view.version, netnsPrefix: s.netnsPrefix, plans });
  return plans;
}

/** The veth of one router port: tap<port> on the host (the l2-agent plugs it into the network's bridge), qr-/qg-/ha- inside. */
function vethPair(r: RouterPlan, p: PlannedPort, addresses: string[], foreignAddresses?: string[]): Link[] {
  const inside: Link = { netns: r.netns, name: p.dev, kind: 'veth', peer: { name: p.tap }, up: true, mac: p.port.mac_address, addresses };
  if (p.mtu) inside.mtu = p.mtu;
  if (foreignAddresses?.length) inside.foreignAddresses = foreignAddresses;
  const outside: Link = { name: p.tap, kind: 'veth', peer: { name: p.dev, netns: r.netns }, up: true };
  if (p.mtu) outside.mtu = p.mtu;
  return [outside, inside];
}

/**
 * One router (spec/l3.md §2, §3): qrouter-<id> with lo up and forwarding on,
 * a veth per port, NAT/mangle/filter rules; a legacy router holds its
 * addresses, default and extra routes itself, an HA router leaves them to
 * its keepalived (only the ha- address is ours).
 */
export function routerDesired(r: RouterPlan, s: L3DesiredSettings): HostState {
  const namespaces: Namespace[] = [{ name: r.netns }];
  const links: Link[] = [{ netns: r.netns, name: 'lo', kind: 'external', up: true }];
  const routes: Route[] = [];
  const sysctls: Sysctl[] = [{ netns: r.netns, key: 'net.ipv4.ip_forward', value: '1' }];
  const processes: ManagedProcess[] = [];
  const gw = r.gateway;
  const viaKeepalived = new Map<string, string[]>();
  if (r.ha) for (const a of excludedAddresses(r)) viaKeepalived.set(a.dev, [...(viaKeepalived.get(a.dev) ?? []), a.cidr]);
  const own = (p: PlannedPort, cidrs: string[]) => (r.ha ? vethPair(r, p, [], viaKeepalived.get(p.dev)) : vethPair(r, p, cidrs));
  for (const i of r.interfaces) links.push(...own(i, i.cidrs));
  if (gw) links.push(...own(gw, [...gw.cidrs, ...r.floatingIps.map((f) => `${f.floatingIp}/32`), ...pfAddresses(r.portForwardings).map((a) => `${a}/32`)]));
  const external = !!r.ha;
  if (gw?.gatewayIp) routes.push({ netns: r.netns, dst: '0.0.0.0/0', via: gw.gatewayIp, dev: gw.dev, ...(external ? { external } : {}) });
  for (const x of r.routes) routes.push({ netns: r.netns, dst: x.destination, via: x.nexthop, ...(external ? { external } : {}) });
  if (r.ha) {
    links.push(...vethPair(r, r.ha.port, r.ha.port.cidrs, [haVip(r.ha.vrid)]));
    // only the master may speak on the shared MACs: no IPv6 link-local chatter from a backup
    sysctls.push({ netns: r.netns, key: 'net.ipv6.conf.all.disable_ipv6', value: '1' });
    processes.push(keepalivedProcess(r, s));
  }
  // VPN (services/l3-agent/src/vpn): one strongSwan per router with VPN services, in its namespace
  if (r.vpn) {
    processes.push(strongswanProcess(r.id, r.netns, r.vpn, s));
    // charon's routes to the peers' subnets (table 220, spec/vpnaas.md §5.1) are its own: kept, never made here
    routes.push(...charonRoutes(r.netns, r.vpn));
  }
  const proxy = s.metadataProxy?.({ id: r.id, netns: r.netns });
  if (proxy) processes.push(proxy);
  const iptables: IptTable[] = [natTable(r, s), mangleTable(r, s), filterTable(r, s)];
  return hostState({ namespaces, links, routes, sysctls, iptables, processes });
}

/**
 * Each router's desired state by its plan's fingerprint: a router whose plan did not change gives the same
 * objects as last time, so comparing the whole desired state with the converged one (libs/dataplane
 * changedKeys) finds them equal by identity and compares only the routers an event touched. The objects are
 * never mutated (reconcile's contract), so sharing them between desired states is safe.
 */
const rendered = new WeakMap<L3DesiredSettings, Map<string, { fingerprint: string; state: HostState }>>();

function routerDesiredMemo(r: RouterPlan, s: L3DesiredSettings): HostState {
  let byRouter = rendered.get(s);
  if (!byRouter) rendered.set(s, (byRouter = new Map()));
  const fingerprint = JSON.stringify(r);
  const hit = byRouter.get(r.id);
  if (hit?.fingerprint === fingerprint) return hit.state;
  const state = routerDesired(r, s);
  byRouter.set(r.id, { fingerprint, state });
  return state;
}

/** The host's whole l3 dataplane: every router here, by id (`plans`: the view's router plans, when the caller has them). */
export function l3Desired(view: L3View, s: L3DesiredSettings, plans: RouterPlan[] = routerPlans(view, s)): HostState {
  const out = hostState();
  const here = new Set(plans.map((r) => r.id));
  for (const id of rendered.get(s)?.keys() ?? []) if (!here.has(id)) rendered.get(s)!.delete(id);
  for (const r of plans) {
    const d = routerDesiredMemo(r, s);
    out.namespaces.push(...d.namespaces);
    out.links.push(...d.links);
    out.routes.push(...d.routes);
    out.sysctls.push(...d.sysctls);
    out.iptables.push(...d.iptables);
    out.processes.push(...d.processes);
  }
  return out;
}
