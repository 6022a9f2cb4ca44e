import {
  canSeeTrunk, checkPortNotInTrunk, decideClaimTrunkPort, emptyTrunkState, presentTrunk, presentSubPort, trunkDecider, trunkErrors, TRUNK_AGGREGATE_ID, TRUNK_FILTERS,
  type Actor, type Trunk, type TrunkCommand, type TrunkPortFact, type TrunkState,
} from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { PORT } from '../read/kinds';
import { listPage } from '../read/list-page';
import { parseListQuery, selectFields, type Query } from '../read/list-query';
import type { Reader } from '../read/reader';
import { newId } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { aggregate } from '../write/states';

const fieldsOf = (q: Query) => {
  const f = ([] as string[]).concat(q.fields ?? []).flatMap((x) => x.split(',')).filter(Boolean);
  return f.length ? f : null;
};

/**
 * /v2.0/trunks (Zed's trunk extension), thin over the trunk decider: every trunk is on
 * evt.trunk.trunks, so two trunks claiming one port concurrently meet on that subject and the
 * loser is decided again against the winner (TrunkPortInUse / ParentPortInUse). API only: no agent
 * wires a trunk yet, so it stays DOWN (as Zed's does without one).
 */
export class TrunksService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
  ) {}

  get state(): TrunkState {
    return this.reader.model.trunks?.value ?? emptyTrunkState();
  }

  private portFact(actor: Actor) {
    return (id: string): TrunkPortFact | undefined => {
      const p = this.reader.model.ports.get(id)?.value;
      if (!p || !PORT.visible(p, actor, this.reader.model)) return undefined;
      const n = this.reader.model.networks.get(p.network_id)?.value;
      return { id: p.id, project_id: p.project_id, mac_address: p.mac_address, network_type: n?.['provider:network_type'] ?? null, network_segmentation_id: n?.['provider:segmentation_id'] ?? null, mtu: n?.mtu ?? null };
    };
  }

  private run(ctx: RequestContext, command: TrunkCommand) {
    return this.handler.handle(ctx, {
      aggregate: aggregate('trunk', TRUNK_AGGREGATE_ID),
      load: () => ({ state: { trunks: this.state, port: this.portFact(ctx.actor) }, seq: this.reader.model.trunks?.seq ?? 0 }),
      decide: (s) => trunkDecider.decide(command, s),
    });
  }

  private one(ctx: RequestContext, id: string): Trunk {
    const t = this.state.trunks[id];
    if (!t || !canSeeTrunk(t, ctx.actor)) throw trunkErrors.trunkNotFound(id);
    return t;
  }

  list(ctx: RequestContext, q: Query, rawQuery = '') {
    const items = Object.values(this.state.trunks).filter((t) => canSeeTrunk(t, ctx.actor)).map(presentTrunk);
    const page = listPage(items, parseListQuery(q, TRUNK_FILTERS), { collection: 'trunks', notFound: trunkErrors.trunkNotFound, selfUrl: `${ctx.baseUrl}/v2.0/trunks`, rawQuery });
    return { trunks: page.items, ...(page.links ? { trunks_links: page.links } : {}) };
  }

  show(ctx: RequestContext, id: string, q: Query = {}) {
    return { trunk: selectFields(presentTrunk(this.one(ctx, id)), fieldsOf(q)) };
  }

  /** The ports a body names (parent and subports) with the sequence of their subjects now, before the decision. */
  private portSeqs(ids: unknown[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const id of ids) if (typeof id === 'string') out.set(id, this.reader.model.ports.get(id)?.seq ?? 0);
    return out;
  }

  private static subportIds(list: unknown): unknown[] {
    return Array.isArray(list) ? list.map((s) => (s && typeof s === 'object' ? (s as { port_id?: unknown }).port_id : undefined)) : [];
  }

  /** Each port of the recorded change joins its subject; refused (the port went), the change is taken back. */
  private async claim(ctx: RequestContext, trunkId: string, seqs: Map<string, number>, release: Extract<TrunkCommand, { type: 'ReleaseTrunk' }>): Promise<void> {
    const model = this.reader.model;
    try {
      for (const [portId, seq] of seqs) {
        await this.handler.handle(ctx, {
          aggregate: aggregate('port', portId),
          initial: { state: this.state, seq },
          load: () => ({ state: this.state, seq: model.ports.get(portId)?.seq ?? 0 }),
          decide: (trunks) => decideClaimTrunkPort(trunks, trunkId, portId, model.ports.has(portId)),
        });
      }
    } catch (err) {
      await this.run(ctx, release).catch(() => undefined);
      throw err;
    }
  }

  async create(ctx: RequestContext, raw: unknown) {
    const id = newId();
    const body = parseJsonBody(raw);
    const t = (body as { trunk?: { port_id?: unknown; sub_ports?: unknown } } | undefined)?.trunk;
    const seqs = this.portSeqs([t?.port_id, ...TrunksService.subportIds(t?.sub_ports)]);
    await this.run(ctx, { type: 'CreateTrunk', id, body, actor: ctx.actor });
    await this.claim(ctx, id, seqs, { type: 'ReleaseTrunk', id });
    return this.show(ctx, id);
  }

  async update(ctx: RequestContext, id: string, raw: unknown) {
    await this.run(ctx, { type: 'UpdateTrunk', id, body: parseJsonBody(raw), actor: ctx.actor });
    return this.show(ctx, id);
  }

  async delete(ctx: RequestContext, id: string) {
    await this.run(ctx, { type: 'DeleteTrunk', id, actor: ctx.actor });
  }

  /** add_subports / remove_subports: Zed answers the trunk itself, without the `trunk` envelope. */
  async subports(ctx: RequestContext, id: string, action: 'add_subports' | 'remove_subports', raw: unknown) {
    const body = parseJsonBody(raw);
    if (action === 'remove_subports') {
      await this.run(ctx, { type: 'RemoveSubports', id, body, actor: ctx.actor });
      return presentTrunk(this.one(ctx, id));
    }
    const ids = TrunksService.subportIds((body as { sub_ports?: unknown } | undefined)?.sub_ports);
    const seqs = this.portSeqs(ids);
    await this.run(ctx, { type: 'AddSubports', id, body, actor: ctx.actor });
    await this.claim(ctx, id, seqs, { type: 'ReleaseTrunk', id, port_ids: [...seqs.keys()] });
    return presentTrunk(this.one(ctx, id));
  }

  getSubports(ctx: RequestContext, id: string) {
    return { sub_ports: this.one(ctx, id).sub_ports.map(presentSubPort) };
  }

  /** A port in a trunk is not deleted (PortInUseAsTrunkParent / PortInUseAsSubPort, Zed's trunk plugin's port-delete callback). */
  checkPortDelete(portId: string): void {
    checkPortNotInTrunk(this.state, portId);
  }

  /** The parent port's `trunk_details` (trunk-details), or undefined for a port that is no trunk's parent. */
}
