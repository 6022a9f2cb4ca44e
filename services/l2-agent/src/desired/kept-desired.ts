import { chainObjectKey, fdbKey, ipsetKey, linkKey, mergeStates, restrictState, type DesiredObjects, type HostState, type IptTable, type ObjectKey } from '@neutrino/dataplane';
import type { Port } from '@neutrino/domain';
import { DHCP_OWNER, bridgeName, isTrustedOwner, tapName, vxlanName } from '@neutrino/naming';
import type { L2Config } from '../config/l2-config';
import { firewallDesired, fixedChains, groupsPart, hookChains, portChainObjects, rawTable, type GroupsPart } from '../firewall/firewall-desired';
import { firewallInput, isStateless } from '../firewall/firewall-input';
import { addressGroupMembers, ipsetOf, ordinal, type FirewalledPort } from '../firewall/firewall-model';
import { notrackRules, portHooks } from '../firewall/port-chains';
import type { L2Touched, L2View } from '../view/l2-view';
import { forwardingEntries, l2Desired, wireable } from './l2-desired';
import { portQos, portQosObjects, qosDesired, qosHookObjects } from './qos-desired';

type Ethertype = 'IPv4' | 'IPv6';
const FAMILIES = [
  ['IPv4', 'ipv4', 'inet'],
  ['IPv6', 'ipv6', 'inet6'],
] as const;
const isV6 = (ip: string) => ip.includes(':');
/** The set key of an address group (`${ethertype}/ag:<id>`) beside the remote groups' (`${ethertype}/<id>`). */
const AG = 'ag:';
const addressesOf = (p: Port) => (p.port_security_enabled ? [...(p.fixed_ips ?? []).map((f) => f.ip_address), ...(p.allowed_address_pairs ?? []).map((a) => a.ip_address)] : []);
const differ = (a: Port | undefined, b: Port | undefined, keys: Array<keyof Port>) => !a || !b || keys.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
/** what of a port its network's objects use (the fdb entry of a remote port, the bridge of a wired one) */
const NETWORK_USES: Array<keyof Port> = ['network_id', 'binding:host_id', 'mac_address', 'device_owner', 'device_id'];
/** what of a port its groups' members use */
const MEMBER_USES: Array<keyof Port> = ['port_security_enabled', 'fixed_ips', 'allowed_address_pairs', 'security_groups'];

/** The whole desired state of the host, computed from the view in one go (what the kept objects always equal). */
export function wholeDesired(view: L2View, cfg: L2Config): HostState {
  return mergeStates(l2Desired(view, cfg), firewallDesired(firewallInput(view)), qosDesired(view, cfg));
}

/** A firewalled port (wired here, not trusted, on a known network) as last computed. */
interface Filtered {
  security: boolean;
  /** per ethertype, the remote groups (with members) and the address groups (`ag:<id>`) whose sets its chains match */
  sets: Record<Ethertype, string[]>;
  /** per ethertype, its raw-table CT --notrack rules (a stateless port's; the host's raw chain joins them) */
  raw: Record<Ethertype, string[]>;
}

/**
 * The l2-agent's desired state kept by object (ovn-controller's incremental processing, checked
 * against a full recompute). Each object has an owner — a network (its bridge, vxlan device and
 * forwarding entries), a port (its tap and its chains of both families), a group's set of one
 * ethertype, or the host (the fixed chains, the chains of every port's jumps, the flat NICs) — and
 * an event recomputes only the owners it reaches (L2Touched names them):
 * - a port: its own objects; its network's when its wiring or address changed; its groups' sets when
 *   its addresses or groups changed, and the ports whose rules match a group of it when that group
 *   gains its first member or loses its last of a family; the ports of a subnet whose DHCP server it is;
 * - a network: its objects and its ports';
 * - a group's rules: the ports in the group (and the sets their rules match, before and after);
 * - an address group's addresses: its sets only (never a chain); the group coming or going: the
 *   ports whose rules name it;
 * - a VTEP: the networks with ports on that host; a router's placement: its ports and their networks.
 * The first call (and only that one: nothing else is left unscoped) computes every owner. The result
 * equals objectsOf(wholeDesired()) after every call (kept-desired.unit.spec.ts, kept-desired.property.unit.spec.ts).
 */
export class KeptDesired {
  private objects = new Map<ObjectKey, unknown>();
  /** owner ('net:<id>', 'port:<id>', 'flat', 'host') → the keys of the objects it owns (a group's set is keyed by itself) */
  private owned = new Map<string, ObjectKey[]>();
  private filtered = new Map<string, Filtered>();
  /** `${ethertype}/${group}` → the filtered ports whose chains match the group's set */
  private setUsers = new Map<string, Set<string>>();
  /** wired networks of type flat (their NICs are the host's: two networks on one physnet share it) */
  private flat = new Set<string>();
  /** port → its jump in the QoS mangle chain (a port that marks DSCP) */
  private dscpHooks = new Map<string, string>();
  /** how many ports' / networks' objects were computed */
  recomputedPorts = 0;
  recomputedNetworks = 0;
  wholeRecomputes = 0;

  constructor(
    private readonly view: L2View,
    private readonly cfg: L2Config,
  ) {}

  /** The whole desired state, computed from the view in one go. */
  whole(): HostState {
    return wholeDesired(this.view, this.cfg);
  }

  next(): DesiredObjects {
    const t = this.view.takeTouched();
    const run = new Recompute(this.view, t);
    if (t.broad) {
      this.objects = new Map();
      this.owned = new Map();
      this.filtered = new Map();
      this.setUsers = new Map();
      this.flat = new Set();
      this.dscpHooks = new Map();
      this.wholeRecomputes++;
      for (const id of this.view.networks.keys()) run.networks.add(id);
      for (const p of this.view.wiredPorts()) run.ports.add(p.id);
      run.hooks = true;
      run.qosHooks = true;
      run.whole = true;
    } else run.expand();
    for (const id of run.networks) this.network(id, run);
    if (run.flat) this.flatNics(run);
    for (const id of run.ports) this.port(id, run);
    for (const k of run.sets) this.set(k, run);
    if (run.hooks) this.hooks(run);
    if (run.qosHooks) this.put('qos-host', qosHookObjects([...this.dscpHooks].sort(([a], [b]) => ordinal(a, b)).map(([, h]) => h)), run);
    const objects = this.objects;
    let state: HostState | undefined;
    return { objects, ...(t.broad ? {} : { touched: run.touched }), state: () => (state ??= restrictState(objects, new Set(objects.keys()))) };
  }

  private put(owner: string, objects: Array<[ObjectKey, unknown]>, run: Recompute): void {
    for (const k of this.owned.get(owner) ?? []) {
      this.objects.delete(k);
      run.touch(k);
    }
    for (const [k, o] of objects) {
      this.objects.set(k, o);
      run.touch(k);
    }
    if (objects.length) this.owned.set(owner, objects.map(([k]) => k));
    else this.owned.delete(owner);
  }

  /** A network's bridge, vxlan device and forwarding entries, while a port here is on it and the host can carry it. */
  private network(id: string, run: Recompute): void {
    this.recomputedNetworks++;
    const n = this.view.networks.get(id);
    const out: Array<[ObjectKey, unknown]> = [];
    const wired = !!n && wireable(n, this.cfg) && this.view.hasLocalPorts(id);
    if (n && wired) {
      const bridge = bridgeName(n.id);
      out.push([`link:${linkKey({ name: bridge })}`, { name: bridge, kind: 'bridge', up: true, mtu: n.mtu }]);
      if (n['provider:network_type'] === 'vxlan') {
        const vni = n['provider:segmentation_id']!;
        const dev = vxlanName(vni);
        const { localIp: local, tunnelInterface, vxlanPort: dstport } = this.cfg;
        out.push([`link:${linkKey({ name: dev })}`, { name: dev, kind: 'vxlan', up: true, mtu: n.mtu, master: bridge, vxlan: { vni, local, dev: tunnelInterface, dstport, learning: false } }]);
        for (const f of forwardingEntries(this.view, n.id, dev)) out.push([`fdb:${fdbKey(f)}`, f]);
      }
    }
    const flat = wired && n['provider:network_type'] === 'flat';
    if (flat !== this.flat.has(id) || flat) run.flat = true;
    if (flat) this.flat.add(id);
    else this.flat.delete(id);
    this.put(`net:${id}`, out, run);
  }

  /** The flat networks' NICs in their bridges (the last network of a physnet wins, as in l2Desired). */
  private flatNics(run: Recompute): void {
    const nics = new Map<ObjectKey, unknown>();
    for (const id of [...this.flat].sort(ordinal)) {
      const n = this.view.networks.get(id)!;
      const name = this.cfg.physicalInterfaceMappings[n['provider:physical_network']!];
      nics.set(`link:${linkKey({ name })}`, { name, kind: 'external', up: true, master: bridgeName(n.id) });
    }
    this.put('flat', [...nics], run);
  }

  /** A port's tap and, when it is filtered, its chains of both families (and the sets they match). */
  private port(id: string, run: Recompute): void {
    const p = this.view.ports.get(id);
    const wired = !!p && this.view.isWired(p);
    if (wired) this.recomputedPorts++;
    const out: Array<[ObjectKey, unknown]> = [];
    const n = p && wired ? this.view.networks.get(p.network_id) : undefined;
    let dscpHook: string | undefined;
    if (p && n && wireable(n, this.cfg)) {
      out.push([`link:${linkKey({ name: tapName(p.id) })}`, { name: tapName(p.id), kind: 'external', up: true, mtu: n.mtu, master: bridgeName(n.id) }]);
      const qos = portQos(p, n, this.view.qosPolicies);
      out.push(...portQosObjects(qos));
      dscpHook = qos.dscpHook;
    }
    if (dscpHook !== this.dscpHooks.get(id)) {
      run.qosHooks = true;
      if (dscpHook) this.dscpHooks.set(id, dscpHook);
      else this.dscpHooks.delete(id);
    }
    const before = this.filtered.get(id);
    for (const [ethertype] of FAMILIES) for (const g of before?.sets[ethertype] ?? []) this.useSet(ethertype, g, id, false, run);
    let after: Filtered | undefined;
    if (p && n && !isTrustedOwner(p.device_owner)) {
      after = { security: !!p.port_security_enabled, sets: { IPv4: [], IPv6: [] }, raw: { IPv4: [], IPv6: [] } };
      if (after.security) {
        const fp = run.firewalled(p);
        for (const [ethertype, family] of FAMILIES) {
          after.raw[ethertype] = notrackRules(fp, ethertype);
          const pc = portChainObjects(fp, ethertype, run.groupsPart(fp.groups ?? [], ethertype));
          for (const chain of pc.chains) out.push([CHAIN_KEY[family] + chain.name, { table: TABLES[family], chain }]);
          after.sets[ethertype] = [...pc.referenced, ...pc.addressGroups.map((a) => AG + a)];
          for (const g of after.sets[ethertype]) this.useSet(ethertype, g, id, true, run);
        }
      }
    }
    if (!!before !== !!after || (before && after && (before.security !== after.security || JSON.stringify(before.raw) !== JSON.stringify(after.raw)))) run.hooks = true;
    if (after) this.filtered.set(id, after);
    else this.filtered.delete(id);
    this.put(`port:${id}`, out, run);
  }

  private useSet(ethertype: Ethertype, g: string, port: string, uses: boolean, run: Recompute): void {
    const k = `${ethertype}/${g}`;
    const users = this.setUsers.get(k) ?? new Set<string>();
    if (uses) users.add(port);
    else users.delete(port);
    if (users.size) this.setUsers.set(k, users);
    else this.setUsers.delete(k);
    run.sets.add(k);
  }

  /** A group's (or an address group's) set of one ethertype: while a filtered port's chains match it, its members (of any host) or addresses. */
  private set(k: string, run: Recompute): void {
    const ethertype = k.slice(0, 4) as Ethertype;
    const g = k.slice(5);
    const ag = g.startsWith(AG) ? g.slice(AG.length) : undefined;
    const name = ipsetOf(ethertype, ag ?? g);
    const key = `ipset:${ipsetKey({ name })}`;
    if (this.setUsers.get(k)?.size) {
      const members = ag ? addressGroupMembers(this.view.addressGroups.get(ag)?.addresses ?? [], ethertype) : [...new Set(run.membersOf(g, ethertype))].sort();
      this.objects.set(key, { name, type: 'hash:net', family: ethertype === 'IPv4' ? 'inet' : 'inet6', members });
      run.touch(key);
    } else if (this.objects.delete(key)) run.touch(key);
  }

  /** The host's own chains: fixed while any port is filtered, and the chains of every filtered port's jumps in port order. */
  private hooks(run: Recompute): void {
    const ports = [...this.filtered].sort(([a], [b]) => ordinal(a, b));
    const out: Array<[ObjectKey, unknown]> = [];
    if (ports.length) {
      const forward: string[] = [];
      const input: string[] = [];
      const sgChain: string[] = [];
      for (const [id, f] of ports) {
        const h = portHooks({ id, portSecurity: f.security } as FirewalledPort);
        forward.push(...h.forward);
        input.push(...h.input);
        sgChain.push(...h.sgChain);
      }
      for (const [ethertype, family] of FAMILIES) {
        for (const chain of [...fixedChains(), ...hookChains(forward, input, sgChain)]) out.push([CHAIN_KEY[family] + chain.name, { table: TABLES[family], chain }]);
        const raw = rawTable(family, ports.flatMap(([, f]) => f.raw[ethertype]));
        for (const chain of raw?.chains ?? []) out.push([RAW_CHAIN_KEY[family] + chain.name, { table: RAW_TABLES[family], chain }]);
      }
    }
    this.put('host', out, run);
  }
}

/** The table a chain's object names (its identity: family and table; the chains are the objects). */
const TABLES: Record<'ipv4' | 'ipv6', IptTable> = { ipv4: { family: 'ipv4', table: 'filter', chains: [] }, ipv6: { family: 'ipv6', table: 'filter', chains: [] } };
/** chainObjectKey(table, name) is this + name */
const CHAIN_KEY = { ipv4: chainObjectKey(TABLES.ipv4, ''), ipv6: chainObjectKey(TABLES.ipv6, '') };
const RAW_TABLES: Record<'ipv4' | 'ipv6', IptTable> = { ipv4: { family: 'ipv4', table: 'raw', chains: [] }, ipv6: { family: 'ipv6', table: 'raw', chains: [] } };
const RAW_CHAIN_KEY = { ipv4: chainObjectKey(RAW_TABLES.ipv4, ''), ipv6: chainObjectKey(RAW_TABLES.ipv6, '') };

/** One call's work: which owners to recompute, the keys that changed, and the indexes of the view it needed (built once). */
class Recompute {
  readonly networks = new Set<string>();
  readonly ports = new Set<string>();
  /** `${ethertype}/${group}` */
  readonly sets = new Set<string>();
  readonly touched = new Set<ObjectKey>();
  /** everything is recomputed: no key is told apart */
  whole = false;
  hooks = false;
  qosHooks = false;
  flat = false;
  private members?: Map<string, string[]>;
  private dhcp?: Map<string, string[]>;

  constructor(
    private readonly view: L2View,
    private readonly t: L2Touched,
  ) {}

  touch(k: ObjectKey): void {
    if (!this.whole) this.touched.add(k);
  }

  private parts = new Map<string, GroupsPart>();
  /** The rules of a set of groups translated for one ethertype, once per call for all the ports that have those groups. */
  groupsPart(groups: string[], ethertype: Ethertype): GroupsPart {
    const k = `${ethertype}|${groups.join(',')}`;
    let part = this.parts.get(k);
    if (!part) {
      const rules = groups.flatMap((g) => this.view.groups.rulesOf(g));
      this.parts.set(k, (part = groupsPart(rules, ethertype, (g) => this.hasMembers(g, ethertype), (a) => this.view.addressGroups.has(a))));
    }
    return part;
  }

  /** Addresses of every port of the group (any host), of one family. */
  membersOf(g: string, ethertype: Ethertype): string[] {
    if (!this.members) {
      this.members = new Map();
      for (const p of this.view.ports.values()) {
        if (!p.port_security_enabled) continue;
        const addrs = addressesOf(p);
        for (const x of p.security_groups ?? []) {
          const list = this.members.get(x);
          if (list) list.push(...addrs);
          else this.members.set(x, [...addrs]);
        }
      }
    }
    return (this.members.get(g) ?? []).filter((ip) => isV6(ip) === (ethertype === 'IPv6'));
  }

  private has = new Map<string, boolean>();
  hasMembers(g: string, ethertype: Ethertype): boolean {
    const k = `${ethertype}/${g}`;
    let has = this.has.get(k);
    if (has === undefined) this.has.set(k, (has = this.membersOf(g, ethertype).length > 0));
    return has;
  }

  firewalled(p: Port): FirewalledPort {
    if (!this.dhcp) {
      this.dhcp = new Map();
      for (const q of this.view.ports.values()) {
        if (q.device_owner !== DHCP_OWNER) continue;
        for (const f of q.fixed_ips ?? []) this.dhcp.set(f.subnet_id, [...(this.dhcp.get(f.subnet_id) ?? []), f.ip_address]);
      }
    }
    const fixed = p.fixed_ips ?? [];
    return {
      id: p.id, mac: p.mac_address, fixedIps: fixed.map((f) => f.ip_address), allowedPairs: p.allowed_address_pairs, portSecurity: p.port_security_enabled,
      groups: p.security_groups, dhcpServers: [...new Set(fixed.flatMap((f) => this.dhcp!.get(f.subnet_id) ?? []))].sort(),
      stateless: isStateless(this.view, p), bridge: bridgeName(p.network_id),
    };
  }

  /** From what the events named to the owners to recompute. */
  expand(): void {
    const { view, t } = this;
    const memberGroups = new Set<string>();
    const dhcpSubnets = new Set<string>();
    for (const [id, before] of t.ports) {
      const after = view.ports.get(id);
      this.ports.add(id);
      if (differ(before, after, NETWORK_USES)) for (const p of [before, after]) if (p) this.networks.add(p.network_id);
      if (differ(before, after, MEMBER_USES)) for (const p of [before, after]) for (const g of p?.security_groups ?? []) memberGroups.add(g);
      if ((before?.device_owner === DHCP_OWNER || after?.device_owner === DHCP_OWNER) && differ(before, after, ['device_owner', 'fixed_ips'])) {
        for (const p of [before, after]) for (const f of p?.fixed_ips ?? []) dhcpSubnets.add(f.subnet_id);
      }
    }
    for (const id of t.networks) {
      this.networks.add(id);
      for (const p of view.portsOn(id)) this.ports.add(p.id);
    }
    if (t.qosPolicies.size) for (const p of view.wiredPorts()) if (t.qosPolicies.has(view.qosPolicyOf(p) ?? '')) this.ports.add(p.id);
    for (const p of view.ports.values()) {
      if (t.hosts.has(p['binding:host_id'])) this.networks.add(p.network_id);
      if (t.routers.has(p.device_id)) {
        this.ports.add(p.id);
        this.networks.add(p.network_id);
      }
    }
    for (const g of memberGroups) for (const [ethertype] of FAMILIES) this.sets.add(`${ethertype}/${g}`);
    const flipped = this.flippedGroups(memberGroups);
    // an address group's addresses are its sets' members; only its coming or going changes the chains of the rules naming it
    const cameOrWent = new Set<string>();
    for (const [id, before] of t.addressGroups) {
      for (const [ethertype] of FAMILIES) this.sets.add(`${ethertype}/${AG}${id}`);
      if (!!before !== view.addressGroups.has(id)) cameOrWent.add(id);
    }
    if (!t.groups.size && !dhcpSubnets.size && !flipped.size && !cameOrWent.size) return;
    const namesOne = (g: string) => view.groups.rulesOf(g).some((r) => (r.remote_group_id && flipped.has(`${r.ethertype}/${r.remote_group_id}`)) || (r.remote_address_group_id && cameOrWent.has(r.remote_address_group_id)));
    for (const p of view.wiredPorts()) {
      const groups = p.security_groups ?? [];
      if (groups.some((g) => t.groups.has(g)) || (p.fixed_ips ?? []).some((f) => dhcpSubnets.has(f.subnet_id))) this.ports.add(p.id);
      else if ((flipped.size || cameOrWent.size) && groups.some(namesOne)) this.ports.add(p.id);
    }
  }

  /**
   * The (ethertype, group) pairs among these groups that gained their first member or lost their last:
   * the rules matching such a group's set appear or go in every port that has them.
   */
  private flippedGroups(groups: Set<string>): Set<string> {
    const out = new Set<string>();
    if (!groups.size) return out;
    const before = new Set<string>();
    const after = new Set<string>();
    const mark = (p: Port | undefined, into: Set<string>) => {
      if (!p) return;
      const addrs = addressesOf(p);
      for (const g of p.security_groups ?? []) if (groups.has(g)) for (const a of addrs) into.add(`${isV6(a) ? 'IPv6' : 'IPv4'}/${g}`);
    };
    for (const p of this.view.ports.values()) {
      if (this.t.ports.has(p.id)) continue;
      mark(p, before);
      mark(p, after);
    }
    for (const [id, b] of this.t.ports) {
      mark(b, before);
      mark(this.view.ports.get(id), after);
    }
    for (const k of new Set([...before, ...after])) if (before.has(k) !== after.has(k)) out.add(k);
    return out;
  }
}
