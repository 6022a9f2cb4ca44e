import type { HostView } from '@neutrino/agent-kit';
import { evolveNetwork, evolvePort, evolveSubnet, type Network, type Port, type Subnet } from '@neutrino/domain';
import type { StoredEvent } from '@neutrino/events';

export const DHCP_BINARY = 'neutrino-dhcp-agent';

/** Port attributes dnsmasq's files and the DHCP interface are made of (not e.g. the status the l2-agent reports). */
const PORT_KEYS: Array<keyof Port> = ['mac_address', 'fixed_ips', 'device_owner', 'device_id', 'binding:host_id', 'extra_dhcp_opts', 'network_id'];
const SUBNET_KEYS: Array<keyof Subnet> = ['cidr', 'gateway_ip', 'enable_dhcp', 'dns_nameservers', 'host_routes', 'ip_version'];
const NETWORK_KEYS: Array<keyof Network> = ['admin_state_up', 'mtu', 'subnets'];

const changed = <T>(keys: Array<keyof T>, a: T | undefined, b: T | undefined): boolean =>
  !a || !b || keys.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));

/**
 * What the DHCP agent needs from the log: every network, subnet and port
 * (a dnsmasq serves every port of its network, wherever the port lives).
 * `onChange` hears of every relevant change, with the network it touched.
 */
export class DhcpView implements HostView {
  readonly networks = new Map<string, Network>();
  readonly subnets = new Map<string, Subnet>();
  readonly ports = new Map<string, Port>();
  onChange?: (networkId: string) => void;

  constructor(readonly host: string) {}

  apply(e: StoredEvent): boolean {
    const id = e.aggregate.id;
    let touched: string | undefined;
    switch (e.aggregate.type) {
      case 'network': {
        const before = this.networks.get(id);
        const next = evolveNetwork(before, e);
        this.put(this.networks, id, next);
        // a deleted network takes its subnets and (DHCP) ports with it
        if (e.type === 'network.deleted') this.dropNetwork(id);
        if (changed(NETWORK_KEYS, before, next)) touched = id;
        break;
      }
      case 'subnet': {
        const before = this.subnets.get(id);
        const next = evolveSubnet(before, e);
        this.put(this.subnets, id, next);
        const nid = (next ?? before)?.network_id;
        const n = nid === undefined ? undefined : this.networks.get(nid);
        if (n) this.networks.set(n.id, evolveNetwork(n, e)!); // keeps network.subnets in step
        if (changed(SUBNET_KEYS, before, next)) touched = nid;
        break;
      }
      case 'port': {
        const before = this.ports.get(id);
        const next = evolvePort(before, e);
        this.put(this.ports, id, next);
        if (changed(PORT_KEYS, before, next)) touched = (next ?? before)?.network_id;
        break;
      }
      default:
        return false;
    }
    if (touched === undefined) return false;
    this.onChange?.(touched);
    return true;
  }

  subnetsOf(networkId: string): Subnet[] {
    const n = this.networks.get(networkId);
    if (!n) return [];
    return n.subnets.map((s) => this.subnets.get(s)).filter((s): s is Subnet => !!s);
  }

  portsOf(networkId: string): Port[] {
    return [...this.ports.values()].filter((p) => p.network_id === networkId).sort((a, b) => a.id.localeCompare(b.id));
  }

  private put<T>(m: Map<string, T>, id: string, v: T | undefined): void {
    if (v) m.set(id, v);
    else m.delete(id);
  }

  private dropNetwork(id: string): void {
    for (const [sid, s] of this.subnets) if (s.network_id === id) this.subnets.delete(sid);
    for (const [pid, p] of this.ports) if (p.network_id === id) this.ports.delete(pid);
  }
}
