import type { HostView } from '@neutrino/agent-kit';
import { effectiveQosPolicyId, evolveAddressGroup, evolveNetwork, evolvePort, evolveQosPolicy, type AddressGroup, type Network, type Port, type QosPolicy } from '@neutrino/domain';
import type { StoredEvent } from '@neutrino/events';
import { L2_AGENT_BINARIES, LINUXBRIDGE_AGENT_BINARY, ROUTER_GATEWAY_OWNER, ROUTER_INTERFACE_OWNER } from '@neutrino/naming';
import { GroupRules } from './security-groups';

/** The LinuxBridge mechanism's binary (the openvswitch one is OPENVSWITCH_AGENT_BINARY, @neutrino/naming). */
export const L2_BINARY = LINUXBRIDGE_AGENT_BINARY;
/** The local VLANs of br-int (802.1Q ids 1–4094; 4095 is OVS's dead VLAN). */
const MAX_LOCAL_VLAN = 4094;
const ROUTER_OWNERS = new Set([ROUTER_INTERFACE_OWNER, ROUTER_GATEWAY_OWNER]);

/**
 * What the LinuxBridge agent of one host needs from the log: every network
 * and port (ports elsewhere give the VXLAN forwarding entries), and where the
 * other l2-agents' tunnel endpoints are.
 */
export class L2View implements HostView {
  readonly networks = new Map<string, Network>();
  readonly ports = new Map<string, Port>();
  /** host → VTEP address, from the agents' registrations */
  readonly vteps = new Map<string, string>();
  readonly groups = new GroupRules();
  /** address groups (evt.address_group.<id>): the sets of the rules that name them */
  readonly addressGroups = new Map<string, AddressGroup>();
  /** QoS policies with their rules (evt.qos_policy.<id>): what the ports' tc and DSCP marking follow */
  readonly qosPolicies = new Map<string, QosPolicy>();
  /** router → the l3-agent hosts that carry it (router.scheduled) */
  readonly routerHosts = new Map<string, string[]>();
  /**
   * network → its local VLAN on this host's br-int (openvswitch, spec/l2.md §5.3): the lowest free id
   * when the network gets its first port bound here, freed when it loses its last. Decided while
   * the log is folded, so a restart (which replays the same log) gives every network the same id.
   */
  readonly localVlans = new Map<string, number>();

  /** network → its ports (any host), so a port event asks about its network's ports without a walk over all of them */
  private readonly portsOfNetwork = new Map<string, Set<string>>();
  private touched = touchedAll();

  constructor(readonly host: string) {}

  /**
   * What the events since the last call changed, named by object (see L2Touched); `broad` on the first
   * call (the whole state is computed at start).
   */
  takeTouched(): L2Touched {
    const t = this.touched;
    this.touched = { broad: false, ports: new Map(), networks: new Set(), groups: new Set(), addressGroups: new Map(), hosts: new Set(), routers: new Set(), qosPolicies: new Set() };
    return t;
  }

  /** Ports on the network (any host). */
  portsOn(networkId: string): Port[] {
    const ids = this.portsOfNetwork.get(networkId);
    return ids ? [...ids].map((id) => this.ports.get(id)!) : [];
  }

  private index(before: Port | undefined, after: Port | undefined): void {
    if (before && before.network_id !== after?.network_id) this.portsOfNetwork.get(before.network_id)?.delete(before.id);
    if (after) {
      const set = this.portsOfNetwork.get(after.network_id) ?? new Set<string>();
      set.add(after.id);
      this.portsOfNetwork.set(after.network_id, set);
    }
  }

  apply(e: StoredEvent): boolean {
    const id = e.aggregate.id;
    switch (e.aggregate.type) {
      case 'network': {
        const before = this.networks.get(id);
        const next = evolveNetwork(before, e);
        if (next) this.networks.set(id, next);
        else this.networks.delete(id);
        // before the first takeTouched() (the replay at start) everything is computed anyway: nothing to tell apart
        if (this.touched.broad) return true;
        // a subnet added, a deletion begun or cancelled, a name: nothing the wiring uses
        if (!changed(before, next, NETWORK_WIRING)) return false;
        this.touched.networks.add(id);
        return this.hasLocalPorts(id);
      }
      case 'port': {
        const before = this.ports.get(id);
        const next = evolvePort(before, e);
        if (next) this.ports.set(id, next);
        else this.ports.delete(id);
        this.index(before, next);
        if (before) this.allocateLocalVlan(before.network_id);
        if (next && next.network_id !== before?.network_id) this.allocateLocalVlan(next.network_id);
        if (this.touched.broad) return true;
        const p = next ?? before;
        // an update names what it changed: a status report (most of them) names nothing the wiring uses
        const keys = e.type === 'port.updated' && before && next ? PORT_WIRING.filter((k) => k in ((e.data as { changes?: object }).changes ?? {})) : PORT_WIRING;
        const wiring = changed(before, next, keys);
        if (wiring && !this.touched.ports.has(id)) this.touched.ports.set(id, before);
        return !!p && (wiring || this.hasLocalPorts(p.network_id));
      }
      case 'router': {
        const d = e.data as { hosts?: string[] };
        if (e.type === 'router.scheduled') this.routerHosts.set(id, d.hosts ?? []);
        else if (e.type === 'router.deleted') this.routerHosts.delete(id);
        else return false;
        if (!this.touched.broad) this.touched.routers.add(id);
        return true;
      }
      case 'security_group': {
        const before = this.groups.rulesOf(id);
        const wasStateful = this.groups.isStateful(id);
        this.groups.apply(id, e);
        if (this.touched.broad) return true;
        const after = this.groups.rulesOf(id);
        // a name or description: not rendered (nor are the rules' descriptions; a rule is never edited, only added or removed);
        // `stateful` is: its ports' raw-table rules follow it
        if (before.length === after.length && before.every((r, i) => r.id === after[i].id) && wasStateful === this.groups.isStateful(id)) return false;
        this.touched.groups.add(id);
        return this.wiredPorts().some((p) => p.security_groups?.includes(id));
      }
      case 'address_group': {
        const before = this.addressGroups.get(id);
        const next = evolveAddressGroup(before, e);
        if (next) this.addressGroups.set(id, next);
        else this.addressGroups.delete(id);
        if (this.touched.broad) return true;
        // a name, a description, a policy: not rendered
        if (!!before === !!next && JSON.stringify(before?.addresses) === JSON.stringify(next?.addresses)) return false;
        if (!this.touched.addressGroups.has(id)) this.touched.addressGroups.set(id, before);
        return this.wiredPorts().some((p) => (p.security_groups ?? []).some((g) => this.groups.rulesOf(g).some((r) => r.remote_address_group_id === id)));
      }
      case 'qos_policy': {
        const next = evolveQosPolicy(this.qosPolicies.get(id), e);
        if (next) this.qosPolicies.set(id, next);
        else this.qosPolicies.delete(id);
        if (this.touched.broad) return true;
        // a name, a description, sharing: nothing the dataplane uses
        if (e.type !== 'qos_policy.rule_added' && e.type !== 'qos_policy.rule_updated' && e.type !== 'qos_policy.rule_removed') return false;
        this.touched.qosPolicies.add(id);
        return this.wiredPorts().some((p) => this.qosPolicyOf(p) === id);
      }
      case 'agent': {
        const agent = (e.data as { agent?: { binary: string; host: string; configurations?: { tunneling_ip?: string } } }).agent;
        if (e.type !== 'agent.registered' || !agent || !L2_AGENT_BINARIES.includes(agent.binary)) return false;
        const ip = agent.configurations?.tunneling_ip;
        if (ip && this.vteps.get(agent.host) !== ip && !this.touched.broad) this.touched.hosts.add(agent.host);
        if (ip) this.vteps.set(agent.host, ip);
        return agent.host !== this.host;
      }
      default:
        return false;
    }
  }

  /** The network's local VLAN: allocated while a port of it is bound here, freed with the last. */
  private allocateLocalVlan(networkId: string): void {
    let bound = false;
    for (const id of this.portsOfNetwork.get(networkId) ?? []) if (this.ports.get(id)!['binding:host_id'] === this.host) bound = true;
    if (!bound) {
      this.localVlans.delete(networkId);
      return;
    }
    if (this.localVlans.has(networkId)) return;
    const used = new Set(this.localVlans.values());
    for (let v = 1; v <= MAX_LOCAL_VLAN; v++)
      if (!used.has(v)) {
        this.localVlans.set(networkId, v);
        return;
      }
    throw new Error(`no local VLAN left on ${this.host} for network ${networkId}`);
  }

  /** Ports bound to this host (their status is this agent's to report). */
  localPorts(): Port[] {
    return [...this.ports.values()].filter((p) => p['binding:host_id'] === this.host);
  }

  /**
   * Ports whose taps this host wires: those bound here, and the interfaces and
   * gateway of every router scheduled here — an HA router's standby keeps its
   * taps in the bridges, so keepalived's gratuitous ARPs go out the moment it
   * takes over instead of after a rebinding round trip.
   */
  wiredPorts(): Port[] {
    return [...this.ports.values()].filter((p) => p['binding:host_id'] === this.host || this.carriesRouterPort(p));
  }

  /** Whether this host wires the port's tap (bound here, or a router here carries it). */
  isWired(p: Port): boolean {
    return p['binding:host_id'] === this.host || this.carriesRouterPort(p);
  }

  /** The QoS policy that applies to the port (its own, else its network's unless the network owns it). */
  qosPolicyOf(p: Port): string | null {
    return effectiveQosPolicyId(p, this.networks.get(p.network_id));
  }

  hasLocalPorts(networkId: string): boolean {
    for (const id of this.portsOfNetwork.get(networkId) ?? []) if (this.isWired(this.ports.get(id)!)) return true;
    return false;
  }

  private carriesRouterPort(p: Port): boolean {
    return ROUTER_OWNERS.has(p.device_owner) && (this.routerHosts.get(p.device_id) ?? []).includes(this.host);
  }
}

/**
 * What changed since the agent last computed its desired state, by the objects it names (an agent
 * recomputes only what these reach: services/l2-agent/src/desired/kept-desired.ts).
 */
export interface L2Touched {
  /** nothing can be scoped (the start): the whole state is computed */
  broad: boolean;
  /** ports (any host) whose wiring changed → the port as it was before the first of those changes (undefined: it did not exist) */
  ports: Map<string, Port | undefined>;
  /** networks whose wiring (existence, MTU, type, segment) changed */
  networks: Set<string>;
  /** security groups whose rules changed (added, removed, the group created or deleted) */
  groups: Set<string>;
  /** address groups whose addresses changed, or that came or went → the group as it was before the first of those changes */
  addressGroups: Map<string, AddressGroup | undefined>;
  /** hosts whose VTEP address changed */
  hosts: Set<string>;
  /** routers whose l3 hosts changed */
  routers: Set<string>;
  /** QoS policies whose rules changed */
  qosPolicies: Set<string>;
}

const touchedAll = (): L2Touched => ({ broad: true, ports: new Map(), networks: new Set(), groups: new Set(), addressGroups: new Map(), hosts: new Set(), routers: new Set(), qosPolicies: new Set() });

/** What of a port the dataplane uses (the status this agent reports is not among them). */
const PORT_WIRING: Array<keyof Port> = ['binding:host_id', 'mac_address', 'fixed_ips', 'admin_state_up', 'security_groups', 'port_security_enabled', 'allowed_address_pairs', 'network_id', 'device_owner', 'device_id', 'qos_policy_id'];
const NETWORK_WIRING: Array<keyof Network> = ['mtu', 'provider:network_type', 'provider:physical_network', 'provider:segmentation_id', 'qos_policy_id'];

function changed<T extends object>(before: T | undefined, after: T | undefined, keys: Array<keyof T>): boolean {
  if (!before || !after) return before !== after;
  return keys.some((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}
