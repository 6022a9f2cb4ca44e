import * as ipaddr from 'ipaddr.js';
import { ROUTER_INTERFACE_OWNERS as ROUTER_INTERFACE_OWNERS_LIST, isTrustedOwner } from '@neutrino/naming';
import type { HostView } from '@neutrino/agent-kit';
import { evolvePort, type Port } from '@neutrino/domain';
import type { StoredEvent } from '@neutrino/events';

export const METADATA_BINARY = 'neutrino-metadata-agent';

/** Ports that attach a router to a network (their device_id is the router id). */
const ROUTER_INTERFACE_OWNERS = new Set(ROUTER_INTERFACE_OWNERS_LIST);

/** Who is asking, as the namespace proxy tells the agent. */
export interface Asker {
  ip: string;
  routerId?: string;
  networkId?: string;
}

export type Lookup = { found: true; instanceId: string; tenantId: string; portId: string } | { found: false; reason: 'no-port' | 'several-ports' | 'no-network' };

const normIp = (ip: string): string => {
  try {
    return ipaddr.process(ip.trim()).toString();
  } catch {
    return ip.trim();
  }
};
const key = (networkId: string, ip: string) => `${networkId}|${normIp(ip)}`;

/**
 * What the metadata agent needs from the log: every port, indexed by
 * (network, fixed IP), and which networks each router has an interface on.
 * It drives no dataplane, so no event ever asks for a reconcile.
 */
export class MetadataView implements HostView {
  readonly ports = new Map<string, Port>();
  private readonly byAddress = new Map<string, Set<string>>();

  apply(e: StoredEvent): boolean {
    if (e.type === 'network.deleted') {
      for (const p of [...this.ports.values()]) if (p.network_id === e.aggregate.id) this.put(p.id, undefined);
      return false;
    }
    if (e.aggregate.type !== 'port') return false;
    this.put(e.aggregate.id, evolvePort(this.ports.get(e.aggregate.id), e));
    return false;
  }

  /** Networks a router is attached to through its interface ports. */
  networksOfRouter(routerId: string): string[] {
    const nets = new Set<string>();
    for (const p of this.ports.values()) if (p.device_id === routerId && ROUTER_INTERFACE_OWNERS.has(p.device_owner)) nets.add(p.network_id);
    return [...nets].sort();
  }

  /**
   * spec/metadata.md §5.2: the port whose fixed IP is the asker's address on
   * the given network, or on any network of the given router. Its device_id is
   * the instance, its tenant_id the tenant. Ports the network owns (DHCP,
   * router interfaces) are never instances. None or several: no answer.
   */
  lookup(a: Asker): Lookup {
    const networks = a.networkId ? [a.networkId] : a.routerId ? this.networksOfRouter(a.routerId) : [];
    if (!networks.length) return { found: false, reason: 'no-network' };
    const hits: Port[] = [];
    for (const n of networks) {
      for (const id of this.byAddress.get(key(n, a.ip)) ?? []) {
        const p = this.ports.get(id);
        if (p && p.device_id && !isTrustedOwner(p.device_owner)) hits.push(p);
      }
    }
    if (hits.length === 0) return { found: false, reason: 'no-port' };
    if (hits.length > 1) return { found: false, reason: 'several-ports' };
    return { found: true, instanceId: hits[0].device_id, tenantId: hits[0].tenant_id || hits[0].project_id, portId: hits[0].id };
  }

  private put(id: string, next: Port | undefined): void {
    const before = this.ports.get(id);
    for (const f of before?.fixed_ips ?? []) {
      const k = key(before!.network_id, f.ip_address);
      const ids = this.byAddress.get(k);
      ids?.delete(id);
      if (ids && !ids.size) this.byAddress.delete(k);
    }
    if (!next) {
      this.ports.delete(id);
      return;
    }
    this.ports.set(id, next);
    for (const f of next.fixed_ips) {
      const k = key(next.network_id, f.ip_address);
      if (!this.byAddress.has(k)) this.byAddress.set(k, new Set());
      this.byAddress.get(k)!.add(id);
    }
  }
}
