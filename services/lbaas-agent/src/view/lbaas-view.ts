import type { HostView } from '@neutrino/agent-kit';
import { evolveLoadBalancerTree, evolveNetwork, evolvePort, evolveSubnet, type LoadBalancerTree, type Network, type Port, type Subnet } from '@neutrino/domain';
import type { StoredEvent } from '@neutrino/events';
import { isLbaasVipOwner } from '@neutrino/naming';


const PORT_KEYS: Array<keyof Port> = ['mac_address', 'fixed_ips', 'network_id'];
const SUBNET_KEYS: Array<keyof Subnet> = ['cidr', 'gateway_ip'];
const changed = <T>(keys: Array<keyof T>, a: T | undefined, b: T | undefined): boolean =>
  !a !== !b || (!!a && !!b && keys.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])));

/**
 * What the lbaas-agent needs from the log: the tree of every load balancer
 * (through the domain's evolve; only those whose `host` is this one are
 * served), the VIP ports (their MAC), and the subnets and networks a VIP
 * lives on (prefix, gateway, MTU). `lastSeq` keeps each load balancer's last
 * event, the expected sequence of the agent's reports.
 */
export class LbaasView implements HostView {
  readonly trees = new Map<string, LoadBalancerTree>();
  readonly lastSeq = new Map<string, number>();
  readonly ports = new Map<string, Port>();
  readonly subnets = new Map<string, Subnet>();
  readonly networks = new Map<string, Network>();

  constructor(readonly host: string) {}

  /** The load balancers scheduled to this host, by id. */
  hosted(): LoadBalancerTree[] {
    return [...this.trees.values()].filter((t) => t.loadbalancer.host === this.host).sort((a, b) => a.loadbalancer.id.localeCompare(b.loadbalancer.id));
  }

  apply(e: StoredEvent): boolean {
    const id = e.aggregate.id;
    switch (e.aggregate.type) {
      case 'loadbalancer': {
        const before = this.trees.get(id);
        const next = evolveLoadBalancerTree(before, e);
        if (next) {
          this.trees.set(id, next);
          this.lastSeq.set(id, e.seq);
        } else {
          this.trees.delete(id);
          this.lastSeq.delete(id);
        }
        return before?.loadbalancer.host === this.host || next?.loadbalancer.host === this.host;
      }
      case 'port': {
        const before = this.ports.get(id);
        const next = evolvePort(before, e);
        if (next && isLbaasVipOwner(next.device_owner)) this.ports.set(id, next);
        else this.ports.delete(id);
        const kept = this.ports.get(id);
        return changed(PORT_KEYS, before, kept) && this.hosted().some((t) => t.loadbalancer.vip_port_id === id);
      }
      case 'subnet': {
        const before = this.subnets.get(id);
        const next = evolveSubnet(before, e);
        if (next) this.subnets.set(id, next);
        else this.subnets.delete(id);
        return changed(SUBNET_KEYS, before, next) && this.hosted().some((t) => t.loadbalancer.vip_subnet_id === id);
      }
      case 'network': {
        const before = this.networks.get(id);
        const next = evolveNetwork(before, e);
        if (next) this.networks.set(id, next);
        else this.networks.delete(id);
        return before?.mtu !== next?.mtu && this.hosted().some((t) => t.loadbalancer.vip_network_id === id);
      }
      default:
        return false;
    }
  }
}
