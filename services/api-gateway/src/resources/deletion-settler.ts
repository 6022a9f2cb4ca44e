import { subnetDecider, type Actor, type Network, type Port, type SubnetPool } from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import type { Reader } from '../read/reader';
import type { CommandHandler } from '../write/command-handler';
import { onNetwork } from '../write/network-commands';
import { aggregate, subnetState } from '../write/states';
import type { PortsService } from './ports.service';
import type { SubnetPoolsService } from './subnetpools.service';

const SETTLER: Actor = { user_id: 'deletion-settler', project_id: '', roles: ['admin', 'service'] };

/** What a crash between the steps of a deletion (or of a port create racing one) leaves, as the read model shows it. */
export interface Unsettled {
  /** Networks with a pending deletion mark or a subnet removal not yet recorded as subnet.deleted. */
  networks: Array<{ id: string; seq: number }>;
  /** Ports on a network that is gone, or with an address on a subnet that is gone (or whose removal was decided). */
  ports: Array<{ id: string; seq: number }>;
}

export function findUnsettled(networks: Iterable<{ value: Network; seq: number }>, ports: Iterable<{ value: Port; seq: number }>, hasNetwork: (id: string) => Network | undefined): Unsettled {
  const out: Unsettled = { networks: [], ports: [] };
  for (const n of networks) if (n.value.deleting?.length || n.value.removed_subnets?.length) out.networks.push({ id: n.value.id, seq: n.seq });
  for (const p of ports) {
    const net = hasNetwork(p.value.network_id);
    const stranded = !net || p.value.fixed_ips.some((f) => !net.subnets.includes(f.subnet_id) || net.removed_subnets?.includes(f.subnet_id));
    if (stranded) out.ports.push({ id: p.value.id, seq: p.seq });
  }
  return out;
}

/**
 * Blocks a subnet pool holds for subnets that do not exist: a gateway died
 * between the allocation and the subnet's record (or its release after a
 * refused create), or a subnet's deletion was finished by this settler.
 * Keyed by the allocation itself (the pool's sequence moves with every other
 * allocation of the pool).
 */
export function findStrandedBlocks(pools: Iterable<{ value: SubnetPool }>, hasSubnet: (id: string) => boolean): Array<{ pool: string; subnet: string; key: string }> {
  const out: Array<{ pool: string; subnet: string; key: string }> = [];
  for (const { value } of pools)
    for (const [subnet, a] of Object.entries(value.allocations)) if (!hasSubnet(subnet)) out.push({ pool: value.id, subnet, key: `block:${value.id}/${subnet}@${a.at}` });
  return out;
}

/**
 * Settles what a gateway that crashed mid-deletion left: a deletion mark
 * (`network.deleting`) no deletion is working on any more, a subnet whose
 * removal was decided on the network (`network.subnet_removed`) but never
 * recorded as deleted, a port recorded while a deletion was pending that
 * neither joined the network nor was deleted again. Something is settled only
 * when two sweeps in a row saw it unchanged (same subject sequence), so a
 * deletion or a create in flight — far shorter than the interval — is left alone.
 * So is a pool's block held for a subnet that does not exist (findStrandedBlocks).
 */
export class DeletionSettler {
  private seen = new Set<string>();

  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    private readonly ports: () => PortsService,
    private readonly pools?: () => SubnetPoolsService,
  ) {}

  /** One sweep; returns what it settled. */
  async sweep(): Promise<{ networks: number; ports: number; blocks: number }> {
    const model = this.reader.model;
    const found = findUnsettled(model.networks.values(), model.ports.values(), (id) => model.networks.get(id)?.value);
    const now = new Set<string>();
    const stale = (kind: string, x: { id: string; seq: number }) => {
      const key = `${kind}:${x.id}@${x.seq}`;
      now.add(key);
      return this.seen.has(key);
    };
    const ctx: RequestContext = { actor: SETTLER, requestId: `settle-${Date.now()}`, baseUrl: '' };
    const settled = { networks: 0, ports: 0, blocks: 0 };
    for (const p of found.ports.filter((x) => stale('port', x))) {
      await this.ports().remove(ctx, p.id);
      settled.ports++;
    }
    for (const n of found.networks.filter((x) => stale('network', x))) {
      await this.settleNetwork(ctx, n.id);
      settled.networks++;
    }
    if (this.pools) {
      // after the subnets this sweep recorded as deleted: their blocks are stranded from now on
      for (const b of findStrandedBlocks(model.subnetPools.values(), (sid) => model.subnets.has(sid))) {
        now.add(b.key);
        if (!this.seen.has(b.key)) continue;
        await this.pools().release(ctx, b.pool, b.subnet);
        settled.blocks++;
      }
    }
    this.seen = now;
    return settled;
  }

  private async settleNetwork(ctx: RequestContext, id: string): Promise<void> {
    const model = this.reader.model;
    const decide = onNetwork(this.handler, model, ctx, id);
    // A removal decided on the network is finished: no port may take an address on that subnet any more.
    for (const sid of model.networks.get(id)?.value.removed_subnets ?? []) {
      await this.handler.handle(ctx, {
        aggregate: aggregate('subnet', sid),
        load: () => subnetState(model, sid, SETTLER),
        decide: (s) => subnetDecider.decide({ type: 'DeleteSubnet', actor: SETTLER, removed: true }, s),
      });
    }
    // Marks no deletion works on: gone, one event per mark.
    for (const mark of model.networks.get(id)?.value.deleting ?? []) await decide({ type: 'CancelDeletion', id: mark });
  }
}
