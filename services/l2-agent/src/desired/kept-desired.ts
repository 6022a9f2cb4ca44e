import { chainObjectKey, ipsetKey, linkKey, mergeStates, objectsOf, restrictState, type DesiredObjects, type HostState, type IpSet, type IptTable, type ObjectKey } from '@neutrino/dataplane';
import type { Port } from '@neutrino/domain';
import { DHCP_OWNER, bridgeName, isTrustedOwner, tapName } from '@neutrino/naming';
import type { L2Config } from '../config/l2-config';
import { cachedPortChains, firewallDesired, type PortChainCache } from '../firewall/firewall-desired';
import { firewallInput } from '../firewall/firewall-input';
import { ipsetOf, type FirewalledPort } from '../firewall/firewall-model';
import type { L2View } from '../view/l2-view';
import { l2Desired, wireable } from './l2-desired';

const FAMILIES = [
  ['IPv4', 'ipv4', 'inet'],
  ['IPv6', 'ipv6', 'inet6'],
] as const;
const isV6 = (ip: string) => ip.includes(':');
const addressesOf = (p: Port) => (p.port_security_enabled ? [...p.fixed_ips.map((f) => f.ip_address), ...p.allowed_address_pairs.map((a) => a.ip_address)] : []);

/**
 * The l2-agent's desired state kept by object: an event that changes one port within its own objects
 * (an allowed address pair, its admin state) recomputes that port's tap, its chains of both families
 * and the sets of its groups — nothing else; any other event (a network, a router, a group's rules,
 * a VTEP, a port created, moved or removed) recomputes the whole state, as before. The result always
 * equals objectsOf(the whole desired state) (services/l2-agent/src/desired/kept-desired.unit.spec.ts).
 */
export class KeptDesired {
  private objects = new Map<ObjectKey, unknown>();
  /** how many ports' objects were computed (a whole recompute counts every firewalled port) */
  recomputedPorts = 0;
  wholeRecomputes = 0;

  constructor(
    private readonly view: L2View,
    private readonly cfg: L2Config,
    private readonly chains: PortChainCache = new Map(),
  ) {}

  /** The whole desired state, computed from the view (what the kept objects always equal). */
  whole(): HostState {
    return mergeStates(l2Desired(this.view, this.cfg), firewallDesired(firewallInput(this.view), this.chains));
  }

  next(): DesiredObjects {
    const t = this.view.takeTouched();
    const touched = new Set<ObjectKey>();
    if (!t.broad) for (const [id, before] of t.ports) if (!this.port(id, before, touched)) return this.recomputeAll();
    if (t.broad) return this.recomputeAll();
    const objects = this.objects;
    return { objects, touched, state: () => restrictState(objects, new Set(objects.keys())) };
  }

  private recomputeAll(): DesiredObjects {
    const whole = this.whole();
    this.objects = objectsOf(whole);
    this.wholeRecomputes++;
    this.recomputedPorts += this.view.wiredPorts().length;
    return { objects: this.objects, state: () => whole };
  }

  /** Recompute one port's objects; false when the change reaches further (a group's set appears or goes). */
  private port(id: string, before: Port, touched: Set<ObjectKey>): boolean {
    const p = this.view.ports.get(id);
    if (!p) return false;
    this.recomputedPorts++;
    const n = this.view.networks.get(p.network_id);
    if (n && wireable(n, this.cfg)) {
      const key = `link:${linkKey({ name: tapName(p.id) })}`;
      this.objects.set(key, { name: tapName(p.id), kind: 'external', up: true, mtu: n.mtu, master: bridgeName(n.id) });
      touched.add(key);
    }
    if (isTrustedOwner(p.device_owner) || !n) return true;
    // the port's groups' members and the DHCP servers of its subnets
    const groups = new Set(p.security_groups);
    const members = new Map<string, string[]>();
    const othersHave = new Map<string, boolean>();
    const subnets = new Set(p.fixed_ips.map((f) => f.subnet_id));
    const dhcp = new Map<string, string[]>();
    for (const q of this.view.ports.values()) {
      if (q.device_owner === DHCP_OWNER) for (const f of q.fixed_ips) if (subnets.has(f.subnet_id)) dhcp.set(f.subnet_id, [...(dhcp.get(f.subnet_id) ?? []), f.ip_address]);
      if (!q.port_security_enabled) continue;
      for (const g of q.security_groups) {
        if (!groups.has(g)) continue;
        const addrs = addressesOf(q);
        members.set(g, [...(members.get(g) ?? []), ...addrs]);
        if (q.id !== p.id) for (const a of addrs) othersHave.set(`${isV6(a)}/${g}`, true);
      }
    }
    // a group that gains its first member or loses its last changes other ports' chains: not this port's alone
    for (const g of groups) {
      for (const v6 of [false, true]) {
        if (othersHave.get(`${v6}/${g}`)) continue;
        const had = addressesOf(before).some((a) => isV6(a) === v6);
        const has = addressesOf(p).some((a) => isV6(a) === v6);
        if (had !== has) return false;
      }
    }
    const membersOf = (g: string, ethertype: 'IPv4' | 'IPv6') => (members.get(g) ?? []).filter((ip) => isV6(ip) === (ethertype === 'IPv6'));
    const fp: FirewalledPort = {
      id: p.id, mac: p.mac_address, fixedIps: p.fixed_ips.map((f) => f.ip_address), allowedPairs: p.allowed_address_pairs, portSecurity: p.port_security_enabled,
      groups: p.security_groups, dhcpServers: [...new Set(p.fixed_ips.flatMap((f) => dhcp.get(f.subnet_id) ?? []))],
    };
    if (!fp.portSecurity) return true;
    for (const [ethertype, family, setFamily] of FAMILIES) {
      const rules = fp.groups.flatMap((g) => this.view.groups.rulesOf(g));
      const pc = cachedPortChains(this.chains, fp, rules, ethertype, (g) => membersOf(g, ethertype).length > 0);
      for (const chain of pc.chains) {
        const key = chainObjectKey({ family, table: 'filter' }, chain.name);
        const kept = this.objects.get(key) as { table: IptTable } | undefined;
        if (!kept) return false;
        this.objects.set(key, { table: kept.table, chain });
        touched.add(key);
      }
      for (const g of groups) {
        const name = ipsetOf(ethertype, g);
        const key = `ipset:${ipsetKey({ name })}`;
        if (!this.objects.has(key)) continue;
        const set: IpSet = { name, type: 'hash:net', family: setFamily, members: [...new Set(membersOf(g, ethertype))].sort() };
        this.objects.set(key, set);
        touched.add(key);
      }
    }
    return true;
  }
}
