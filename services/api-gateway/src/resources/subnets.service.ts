import { NeutronError, networkDecider, subnetDecider, type DomainConfig, type Subnet, type SubnetCommand, type SubnetPool } from '@neutrino/domain';
import type { QuotasService } from './quotas.service';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { SUBNET } from '../read/kinds';
import type { Reader } from '../read/reader';
import { createOneOrMany } from '../write/bulk';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { checkIfMatch } from '../write/if-match';
import { onNetwork } from '../write/network-commands';
import { aggregate, networkState, subnetState } from '../write/states';
import type { PortsService } from './ports.service';
import type { SubnetPoolsService } from './subnetpools.service';

/** How often a subnet's removal is decided again when ports that joined meanwhile hold addresses on it. */
const MAX_REMOVAL_ROUNDS = 10;

/** Commands on /v2.0/subnets (subnetDecider). */
export class SubnetsService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    private readonly cfg: DomainConfig,
    private readonly ports: () => PortsService,
    private readonly quotas?: QuotasService,
    private readonly pools?: SubnetPoolsService,
  ) {}

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const { one, many } = await createOneOrMany(
      raw, SUBNET, (b, id) => this.createOne(ctx, b, id), (s) => this.remove(ctx, s.id), undefined,
      (b) => this.precheck(ctx, b), this.quotas?.claimsFor(ctx, 'subnet', { subnet: 1 }),
    );
    const show = (s: Subnet) => SUBNET.present(this.reader.model.subnets.get(s.id)!.value, ctx.actor);
    return one ? { subnet: show(one) } : { subnets: many!.map(show) };
  }

  private run(ctx: RequestContext, id: string, command: SubnetCommand, networkId?: unknown, ifMatch?: string | string[]) {
    return this.handler.handle(ctx, {
      aggregate: aggregate('subnet', id),
      load: () => {
        if (command.type !== 'CreateSubnet') checkIfMatch(ifMatch, this.reader.visible<Subnet>(SUBNET, id, ctx.actor).value);
        return subnetState(this.reader.model, id, ctx.actor, networkId);
      },
      decide: (s) => subnetDecider.decide(command, s),
    });
  }

  /**
   * The create process: decided against the network's subnets, recorded on its
   * own subject, then its joining appended to the network's subject with the
   * sequence that decision saw — so concurrent creates with one CIDR (or
   * overlapping ones) are serialized on the network: all but one decide again,
   * are refused, and their subnet is deleted again.
   */
  /** The create's refusals that need nothing made first (pure), before its quota is claimed. */
  private precheck(ctx: RequestContext, body: Record<string, unknown>): void {
    const id = newId();
    const networkId = (body?.subnet as { network_id?: unknown } | undefined)?.network_id;
    subnetDecider.decide(
      { type: 'CreateSubnet', body, actor: ctx.actor, cfg: this.cfg, id, now: nowIso(), pools: this.visiblePools(ctx) },
      subnetState(this.reader.model, id, ctx.actor, networkId).state,
    );
  }

  private visiblePools(ctx: RequestContext): SubnetPool[] {
    return this.pools?.visiblePools(ctx.actor) ?? [];
  }

  /**
   * A subnet from a pool: decided once on the state as it is (every refusal
   * that needs nothing made first, and which pool and block), then its block
   * is allocated on the pool's subject with the pool's expected sequence —
   * concurrent creates from one pool re-decide there and get distinct blocks.
   * Undefined: the body names no pool.
   */
  private async allocateFromPool(ctx: RequestContext, body: Record<string, unknown>, id: string, now: string, pools: SubnetPool[]) {
    const networkId = (body?.subnet as { network_id?: unknown } | undefined)?.network_id;
    const [planned] = subnetDecider.decide(
      { type: 'CreateSubnet', body, actor: ctx.actor, cfg: this.cfg, id, now, pools },
      subnetState(this.reader.model, id, ctx.actor, networkId).state,
    );
    const subnet = (planned?.data as { subnet: Subnet } | undefined)?.subnet;
    if (!subnet?.subnetpool_id || !this.pools) return undefined;
    const item = (body.subnet ?? {}) as Record<string, unknown>;
    const request = item.cidr !== undefined && item.cidr !== null ? { cidr: subnet.cidr } : { prefixlen: Number(subnet.cidr.split('/')[1]) };
    const allocated = await this.pools.allocate(ctx, subnet.subnetpool_id, id, subnet.project_id, request);
    return { poolId: subnet.subnetpool_id, allocated };
  }

  private async createOne(ctx: RequestContext, body: Record<string, unknown>, id = newId()): Promise<Subnet> {
    const model = this.reader.model;
    const now = nowIso();
    const networkId = (body?.subnet as { network_id?: unknown } | undefined)?.network_id;
    const network = subnetState(model, id, ctx.actor, networkId).state.network;
    const pools = this.visiblePools(ctx);
    const initial = network ? networkState(model, network.id) : undefined;
    const fromPool = await this.allocateFromPool(ctx, body, id, now, pools);
    const allocated = fromPool?.allocated;
    // a failure from here on frees the pool's block again (no leaked prefix)
    const release = () => (fromPool ? this.pools!.release(ctx, fromPool.poolId, id).catch(() => undefined) : undefined);
    try {
      await this.run(ctx, id, { type: 'CreateSubnet', body, actor: ctx.actor, cfg: this.cfg, id, now, pools, allocated }, networkId);
    } catch (err) {
      await release();
      throw err;
    }
    try {
      await this.handler.handle(ctx, {
        aggregate: aggregate('network', network!.id),
        initial,
        load: () => networkState(model, network!.id),
        decide: (s) => networkDecider.decide({ type: 'AddSubnet', body, actor: ctx.actor, cfg: this.cfg, subnet_id: id, now, pools, allocated }, s),
      });
    } catch (err) {
      await this.run(ctx, id, { type: 'DeleteSubnet', actor: { ...ctx.actor, roles: [...ctx.actor.roles, 'admin'] } }).catch(() => undefined);
      await release();
      throw err;
    }
    return model.subnets.get(id)!.value;
  }

  async update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    await this.run(ctx, id, { type: 'UpdateSubnet', body: parseJsonBody(raw), actor: ctx.actor, cfg: this.cfg }, undefined, ifMatch);
    return { subnet: SUBNET.present(this.reader.model.subnets.get(id)!.value, ctx.actor) };
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    this.reader.visible<Subnet>(SUBNET, id, ctx.actor);
    await this.remove(ctx, id);
  }

  /**
   * Deletes a subnet: decided once (policy, SubnetInUse); marked on the
   * network's subject (port creates recorded from then on join it); decided
   * again once the mark is read; DHCP ports (and on an IPv6 SLAAC or
   * DHCPv6-stateless subnet every port but a router's) lose their address on it; the
   * deletion is decided on the network's subject (`network.subnet_removed`,
   * against the ports that joined meanwhile), then recorded on the subnet's.
   */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    const model = this.reader.model;
    const { state } = subnetState(model, id, ctx.actor);
    if (!state.subnet) return;
    const command: SubnetCommand = { type: 'DeleteSubnet', actor: ctx.actor };
    subnetDecider.decide(command, state);
    const nid = state.subnet.network_id;
    const decide = onNetwork(this.handler, model, ctx, nid);
    await decide({ type: 'BeginDeletion', id, actor: ctx.actor });
    try {
      // The holders that only lose their address (DHCP ports; on an IPv6 auto-address subnet every
      // port but a router's interface) lose it, then the removal is decided on the network's subject
      // against the ports as they stand there: a port that joined meanwhile with an address on the
      // subnet makes it refuse, and the whole step is decided again on fresh state (that port loses
      // its address too, or — a port that keeps the subnet in use — the deletion is refused); after
      // MAX_REMOVAL_ROUNDS refusals the deletion answers SubnetInUse (ports keep joining with addresses on it).
      for (let round = 1; ; round++) {
        const marked = subnetState(model, id, ctx.actor).state;
        subnetDecider.decide(command, marked);
        for (const p of marked.holders) await this.ports().dropSubnet(ctx, p.id, id);
        try {
          await decide({ type: 'RemoveSubnet', subnet_id: id });
          break;
        } catch (err) {
          if (round >= MAX_REMOVAL_ROUNDS || !(err instanceof NeutronError) || err.type !== 'SubnetInUse') throw err;
        }
      }
    } catch (err) {
      await decide({ type: 'CancelDeletion', id }).catch(() => undefined);
      throw err;
    }
    await this.handler.handle(ctx, {
      aggregate: aggregate('subnet', id),
      load: () => subnetState(model, id, ctx.actor),
      decide: (s) => subnetDecider.decide({ ...command, removed: true }, s),
    });
    // the subnet is gone: its pool's block is free again
    if (state.subnet.subnetpool_id && this.pools) await this.pools.release(ctx, state.subnet.subnetpool_id, id);
  }
}
