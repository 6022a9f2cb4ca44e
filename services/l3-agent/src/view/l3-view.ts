import type { HostView } from '@neutrino/agent-kit';
import { evolveVpnProject, type VpnProject, evolveFloatingIp, evolveNetwork, evolvePlacement, evolvePort, evolveRouter, evolveSubnet, type FloatingIp, type Network, type Port, type Router, type Subnet } from '@neutrino/domain';
import type { StoredEvent } from '@neutrino/events';
import { L3_AGENT_PORT_OWNERS } from '@neutrino/naming';
import { assignVrid } from './vrid';

export const L3_BINARY = 'neutrino-l3-agent';
const ROUTER_OWNERS = new Set(L3_AGENT_PORT_OWNERS);
export const isRouterPort = (p: Port | undefined): p is Port => !!p && ROUTER_OWNERS.has(p.device_owner);

export type HaState = 'active' | 'standby' | 'unknown';

/** Attributes the dataplane is made of: not the statuses agents report. */
const PORT_KEYS: Array<keyof Port> = ['mac_address', 'fixed_ips', 'device_owner', 'device_id', 'binding:host_id', 'network_id', 'admin_state_up'];
const FIP_KEYS: Array<keyof FloatingIp> = ['floating_ip_address', 'port_id', 'fixed_ip_address', 'router_id', 'port_forwardings'];
const ROUTER_KEYS: Array<keyof Router> = ['admin_state_up', 'external_gateway_info', 'routes', 'ha'];
const changed = <T>(keys: Array<keyof T>, a: T | undefined, b: T | undefined): boolean =>
  !a || !b || keys.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));

/**
 * What the l3-agent of one host needs from the log: routers and the hosts
 * they are scheduled to, their ports (interfaces, gateway, HA ports), the
 * subnets and networks those ports are on, floating IPs, and the HA states
 * the agents reported. apply() says whether a router on this host changed.
 */
export class L3View implements HostView {
  readonly routers = new Map<string, Router>();
  /** router → the l3-agent hosts that carry it */
  readonly scheduled = new Map<string, string[]>();
  /** router → VRRP instance id (HA routers), the lowest free one of its project at the time it became HA */
  readonly vrids = new Map<string, number>();
  /** router → host → last reported HA state */
  readonly haStates = new Map<string, Map<string, HaState>>();
  readonly networks = new Map<string, Network>();
  readonly subnets = new Map<string, Subnet>();
  /** router-owned ports only */
  readonly ports = new Map<string, Port>();
  readonly floatingIps = new Map<string, FloatingIp>();
  /** project → its VPN objects (evt.vpn.<project>): the VPN module renders the services of routers here */
  readonly vpn = new Map<string, VpnProject>();
  /** router → its ports' ids / its floating IPs' ids (indexes of the two maps above) */
  private readonly portsByRouter = new Map<string, Set<string>>();
  /** router ports by network and by subnet (a network or subnet event asks whether a router here uses it) */
  private readonly portsByNetwork = new Map<string, Set<string>>();
  private readonly portsBySubnet = new Map<string, Set<string>>();
  private readonly fipsByRouter = new Map<string, Set<string>>();
  /** bumped by every event applied: what is computed from the view can be kept until it moves */
  version = 0;

  constructor(readonly host: string) {}

  apply(e: StoredEvent): boolean {
    this.version++;
    const id = e.aggregate.id;
    switch (e.aggregate.type) {
      case 'router':
        return this.applyRouter(e, id);
      case 'floatingip': {
        const before = this.floatingIps.get(id);
        const next = evolveFloatingIp(before, e);
        put(this.floatingIps, id, next);
        reindex(this.fipsByRouter, id, before?.router_id, next?.router_id);
        return changed(FIP_KEYS, before, next) && [before?.router_id, next?.router_id].some((r) => !!r && this.isHere(r));
      }
      case 'port': {
        const before = this.ports.get(id);
        const next = evolvePort(before, e);
        put(this.ports, id, isRouterPort(next) ? next : undefined);
        reindex(this.portsByRouter, id, isRouterPort(before) ? before.device_id : undefined, isRouterPort(next) ? next.device_id : undefined);
        this.indexPort(id, isRouterPort(before) ? before : undefined, isRouterPort(next) ? next : undefined);
        if (!isRouterPort(before) && !isRouterPort(next)) return false;
        return changed(PORT_KEYS, before, next) && [before?.device_id, next?.device_id].some((r) => !!r && this.isHere(r));
      }
      case 'vpn': {
        const before = this.vpn.get(id);
        const next = evolveVpnProject(before, e);
        this.vpn.set(id, next);
        // what the agent itself reported changes nothing here; any other VPN change of a router here does
        if (e.type === 'vpn.status_reported') return false;
        const routers = new Set([...Object.values(before?.vpnservice ?? {}), ...Object.values(next.vpnservice)].map((v) => v.router_id));
        return [...routers].some((r) => this.isHere(r));
      }
      case 'subnet': {
        const before = this.subnets.get(id);
        const next = evolveSubnet(before, e);
        put(this.subnets, id, next);
        const nid = (next ?? before)?.network_id;
        const n = nid === undefined ? undefined : this.networks.get(nid);
        if (n) this.networks.set(n.id, evolveNetwork(n, e)!);
        return this.usedHere(this.portsBySubnet.get(id));
      }
      case 'network': {
        const before = this.networks.get(id);
        const next = evolveNetwork(before, e);
        put(this.networks, id, next);
        if (e.type === 'network.deleted') for (const [sid, s] of this.subnets) if (s.network_id === id) this.subnets.delete(sid);
        const relevant = this.usedHere(this.portsByNetwork.get(id));
        if (e.type === 'network.deleted') {
          for (const [pid, p] of this.ports) {
            if (p.network_id !== id) continue;
            this.ports.delete(pid);
            reindex(this.portsByRouter, pid, p.device_id, undefined);
            this.indexPort(pid, p, undefined);
          }
        }
        return relevant && before?.mtu !== next?.mtu;
      }
      default:
        return false;
    }
  }

  private applyRouter(e: StoredEvent, id: string): boolean {
    const wasHere = this.isHere(id);
    if (e.type === 'router.scheduled') {
      const { hosts } = e.data as { hosts: string[] };
      this.scheduled.set(id, [...hosts]);
      return wasHere !== this.isHere(id) || (this.isHere(id) && !!this.routers.get(id)?.ha);
    }
    if (e.type === 'router.ha_state_reported') {
      // the domain's placement: a newer active report demotes the previous active member
      const placement = evolvePlacement({ hosts: this.scheduled.get(id) ?? [], ha_states: Object.fromEntries(this.haStates.get(id) ?? []) }, e);
      this.haStates.set(id, new Map(Object.entries(placement?.ha_states ?? {})));
      return false;
    }
    const before = this.routers.get(id);
    const next = evolveRouter(before, e);
    put(this.routers, id, next);
    if (!next) {
      this.scheduled.delete(id);
      this.vrids.delete(id);
      this.haStates.delete(id);
    } else if (next.ha && !this.vrids.has(id)) {
      this.vrids.set(id, assignVrid(next, this.routers, this.vrids));
    }
    return wasHere && changed(ROUTER_KEYS, before, next);
  }

  /** Is the router scheduled to this host? */
  isHere(routerId: string): boolean {
    return (this.scheduled.get(routerId) ?? []).includes(this.host) && this.routers.has(routerId);
  }

  /** Routers on this host, by id. */
  routersHere(): Router[] {
    return [...this.routers.values()].filter((r) => this.isHere(r.id)).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The router's ports of one kind, by id. */
  portsOf(routerId: string, owner: string): Port[] {
    return [...(this.portsByRouter.get(routerId) ?? [])]
      .map((id) => this.ports.get(id)!)
      .filter((p) => p.device_owner === owner)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Floating IPs associated through the router. */
  floatingIpsOf(routerId: string): FloatingIp[] {
    return [...(this.fipsByRouter.get(routerId) ?? [])].map((id) => this.floatingIps.get(id)!).filter((f) => f.port_id && f.fixed_ip_address);
  }

  /** Floating IPs that forward ports through the router (no port of their own). */
  forwardingFipsOf(routerId: string): FloatingIp[] {
    return [...(this.fipsByRouter.get(routerId) ?? [])].map((id) => this.floatingIps.get(id)!).filter((f) => !f.port_id && f.port_forwardings?.length);
  }

  /** Whether one of these router ports belongs to a router here. */
  private usedHere(portIds: Set<string> | undefined): boolean {
    for (const pid of portIds ?? []) {
      const p = this.ports.get(pid);
      if (p && this.isHere(p.device_id)) return true;
    }
    return false;
  }

  private indexPort(id: string, before: Port | undefined, next: Port | undefined): void {
    reindex(this.portsByNetwork, id, before?.network_id, next?.network_id);
    const was = new Set(before?.fixed_ips.map((f) => f.subnet_id) ?? []);
    const now = new Set(next?.fixed_ips.map((f) => f.subnet_id) ?? []);
    for (const sid of was) if (!now.has(sid)) reindex(this.portsBySubnet, id, sid, undefined);
    for (const sid of now) if (!was.has(sid)) reindex(this.portsBySubnet, id, undefined, sid);
  }
}

/** Move an id from one key's set to another's. */
function reindex(index: Map<string, Set<string>>, id: string, from: string | null | undefined, to: string | null | undefined): void {
  if (from === to) return;
  if (from) {
    const set = index.get(from);
    set?.delete(id);
    if (set && !set.size) index.delete(from);
  }
  if (to) index.set(to, (index.get(to) ?? new Set()).add(id));
}

function put<T>(m: Map<string, T>, id: string, v: T | undefined): void {
  if (v) m.set(id, v);
  else m.delete(id);
}
