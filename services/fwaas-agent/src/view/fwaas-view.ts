import type { HostView } from '@neutrino/agent-kit';
import { emptyFirewallState, evolveFirewall, evolvePort, type FirewallState, type Port } from '@neutrino/domain';
import type { StoredEvent } from '@neutrino/events';
import { ROUTER_INTERFACE_OWNERS } from '@neutrino/naming';

const INTERFACE_OWNERS = new Set<string>(ROUTER_INTERFACE_OWNERS);

/**
 * What the fwaas-agent of one host needs from the log: the firewall state
 * (evt.firewall.fwaas, through the domain's evolve), the routers scheduled
 * here (router.scheduled / router.deleted) and their interface ports
 * (port id → router id). `lastSeq` is the firewall subject's last event, the
 * expected sequence of the agent's reports.
 */
export class FwaasView implements HostView {
  firewall: FirewallState = emptyFirewallState();
  lastSeq = 0;
  /** router → the hosts carrying it */
  readonly scheduled = new Map<string, string[]>();
  /** router-interface port id → its router */
  readonly interfaces = new Map<string, string>();

  constructor(readonly host: string) {}

  isHere(routerId: string): boolean {
    return (this.scheduled.get(routerId) ?? []).includes(this.host);
  }

  /** The routers on this host that have interfaces, sorted. */
  routers(): string[] {
    return [...new Set(this.interfaces.values())].filter((r) => this.isHere(r)).sort();
  }

  /** The interface ports of a router, sorted. */
  portsOf(routerId: string): string[] {
    return [...this.interfaces].filter(([, r]) => r === routerId).map(([p]) => p).sort();
  }

  apply(e: StoredEvent): boolean {
    const id = e.aggregate.id;
    switch (e.aggregate.type) {
      case 'firewall':
        this.firewall = evolveFirewall(this.firewall, e);
        this.lastSeq = e.seq;
        return true;
      case 'router': {
        if (e.type === 'router.scheduled') {
          const was = this.isHere(id);
          this.scheduled.set(id, [...(e.data as { hosts: string[] }).hosts]);
          return was !== this.isHere(id);
        }
        if (e.type === 'router.deleted') {
          const was = this.isHere(id);
          this.scheduled.delete(id);
          return was;
        }
        return false;
      }
      case 'port': {
        const before = this.interfaces.get(id);
        const next = evolvePort(this.ports.get(id), e);
        const router = next && INTERFACE_OWNERS.has(next.device_owner) && next.device_id ? next.device_id : undefined;
        if (router) {
          this.ports.set(id, next!);
          this.interfaces.set(id, router);
        } else {
          this.ports.delete(id);
          this.interfaces.delete(id);
        }
        return before !== router && [before, router].some((r) => !!r && this.isHere(r));
      }
      default:
        return false;
    }
  }

  /** the router-interface ports themselves (what their updates fold into) */
  private readonly ports = new Map<string, Port>();
}
