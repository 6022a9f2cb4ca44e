import type { Network, Port, Resource, ResourceKind, Subnet } from '@neutrino/domain';

export interface Versioned<T> {
  value: T;
  /** Stream sequence of the last event on the resource's subject. */
  seq: number;
}

/**
 * The gateway's in-memory view of its SQLite projection: what reads and
 * command checks use. Changed only after the projection's transaction
 * committed, so it never shows a half-applied event.
 */
export class ReadModel {
  readonly networks = new Map<string, Versioned<Network>>();
  readonly subnets = new Map<string, Versioned<Subnet>>();
  readonly ports = new Map<string, Versioned<Port>>();
  private readonly portsByNetwork = new Map<string, Set<string>>();

  table(kind: ResourceKind): Map<string, Versioned<Resource>> {
    return (kind === 'network' ? this.networks : kind === 'subnet' ? this.subnets : this.ports) as Map<string, Versioned<Resource>>;
  }

  get<K extends ResourceKind>(kind: K, id: string): Versioned<KindMap[K]> | undefined {
    return this.table(kind).get(id) as Versioned<KindMap[K]> | undefined;
  }

  put(kind: ResourceKind, id: string, v: Versioned<Resource> | undefined): void {
    if (kind === 'port') this.indexPort(id, v?.value as Port | undefined);
    if (v) this.table(kind).set(id, v);
    else this.table(kind).delete(id);
  }

  clear(): void {
    this.networks.clear();
    this.subnets.clear();
    this.ports.clear();
    this.portsByNetwork.clear();
  }

  subnetsOf(networkId: string): Subnet[] {
    const net = this.networks.get(networkId)?.value;
    return (net?.subnets ?? []).map((id) => this.subnets.get(id)?.value).filter((s): s is Subnet => !!s);
  }

  portsOn(networkId: string): Port[] {
    return [...(this.portsByNetwork.get(networkId) ?? [])].map((id) => this.ports.get(id)!.value);
  }

  /** Addresses held by ports on a network, by subnet. */
  usedIps(networkId: string): Map<string, Set<string>> {
    const used = new Map<string, Set<string>>();
    for (const p of this.portsOn(networkId)) {
      for (const f of p.fixed_ips) {
        if (!used.has(f.subnet_id)) used.set(f.subnet_id, new Set());
        used.get(f.subnet_id)!.add(f.ip_address);
      }
    }
    return used;
  }

  usedMacs(networkId: string): Set<string> {
    return new Set(this.portsOn(networkId).map((p) => p.mac_address));
  }

  private indexPort(id: string, next: Port | undefined): void {
    const prev = this.ports.get(id)?.value;
    if (prev) this.portsByNetwork.get(prev.network_id)?.delete(id);
    if (next) {
      if (!this.portsByNetwork.has(next.network_id)) this.portsByNetwork.set(next.network_id, new Set());
      this.portsByNetwork.get(next.network_id)!.add(id);
    }
  }
}

interface KindMap {
  network: Network;
  subnet: Subnet;
  port: Port;
}
