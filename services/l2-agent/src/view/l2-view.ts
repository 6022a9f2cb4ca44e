import type { HostView } from '@neutrino/agent-kit';
import { evolveNetwork, evolvePort, type Network, type Port } from '@neutrino/domain';
import type { StoredEvent } from '@neutrino/events';
import { DHCP_OWNER, ROUTER_GATEWAY_OWNER, ROUTER_INTERFACE_OWNER } from '@neutrino/naming';
import { GroupRules } from './security-groups';

export const L2_BINARY = 'neutrino-linuxbridge-agent';
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
  /** router → the l3-agent hosts that carry it (router.scheduled) */
  readonly routerHosts = new Map<string, string[]>();

  /**
   * What the events since the last takeTouched() changed, for an agent that recomputes only that:
   * the ports whose change stays within their own objects (with the port as it was before), or `broad`
   * when anything else changed (a network, a router, a group, a VTEP, a port's wiring or membership).
   */
  private touched: { broad: boolean; ports: Map<string, Port> } = { broad: true, ports: new Map() };

  constructor(readonly host: string) {}

  takeTouched(): { broad: boolean; ports: Map<string, Port> } {
    const t = this.touched;
    this.touched = { broad: false, ports: new Map() };
    return t;
  }

  private touch(before: Port | undefined, after: Port | undefined): void {
    if (this.touched.broad) return;
    if (!before || !after || !this.isWired(before) || !this.isWired(after) || before.device_owner === DHCP_OWNER) {
      this.touched.broad = true;
      return;
    }
    const same: Array<keyof Port> = ['network_id', 'mac_address', 'binding:host_id', 'device_owner', 'device_id', 'port_security_enabled', 'security_groups', 'fixed_ips'];
    if (same.some((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))) this.touched.broad = true;
    else if (!this.touched.ports.has(after.id)) this.touched.ports.set(after.id, before);
  }

  apply(e: StoredEvent): boolean {
    const id = e.aggregate.id;
    switch (e.aggregate.type) {
      case 'network': {
        this.touched.broad = true;
        const next = evolveNetwork(this.networks.get(id), e);
        if (next) this.networks.set(id, next);
        else this.networks.delete(id);
        return this.hasLocalPorts(id);
      }
      case 'port': {
        const before = this.ports.get(id);
        const next = evolvePort(before, e);
        if (next) this.ports.set(id, next);
        else this.ports.delete(id);
        const p = next ?? before;
        const wiring = this.wiringChanged(before, next);
        if (wiring) this.touch(before, next);
        return !!p && (wiring || this.hasLocalPorts(p.network_id));
      }
      case 'router': {
        const d = e.data as { hosts?: string[] };
        if (e.type === 'router.scheduled') this.routerHosts.set(id, d.hosts ?? []);
        else if (e.type === 'router.deleted') this.routerHosts.delete(id);
        else return false;
        this.touched.broad = true;
        return true;
      }
      case 'security_group':
        this.touched.broad = true;
        this.groups.apply(id, e);
        return this.localPorts().length > 0;
      case 'agent': {
        const agent = (e.data as { agent?: { binary: string; host: string; configurations?: { tunneling_ip?: string } } }).agent;
        if (e.type !== 'agent.registered' || agent?.binary !== L2_BINARY) return false;
        const ip = agent.configurations?.tunneling_ip;
        if (ip && this.vteps.get(agent.host) !== ip) this.touched.broad = true;
        if (ip) this.vteps.set(agent.host, ip);
        return agent.host !== this.host;
      }
      default:
        return false;
    }
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

  hasLocalPorts(networkId: string): boolean {
    for (const p of this.ports.values()) if (p.network_id === networkId && (p['binding:host_id'] === this.host || this.carriesRouterPort(p))) return true;
    return false;
  }

  private carriesRouterPort(p: Port): boolean {
    return ROUTER_OWNERS.has(p.device_owner) && (this.routerHosts.get(p.device_id) ?? []).includes(this.host);
  }

  /** A port event only matters when something the dataplane uses changed, not e.g. the status we reported. */
  private wiringChanged(before: Port | undefined, after: Port | undefined): boolean {
    if (!before || !after) return true;
    const keys: Array<keyof Port> = ['binding:host_id', 'mac_address', 'fixed_ips', 'admin_state_up', 'security_groups', 'port_security_enabled', 'allowed_address_pairs', 'network_id'];
    return keys.some((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  }
}
