import {
  floatingIpDecider, portForwardingFilterNotSupported, portForwardingNotFound, portForwardingsOf, presentPortForwarding,
  PF_FILTERS, PF_FILTERS_REFUSED, type FloatingIp, type FloatingIpCommand, type PortForwarding,
} from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { FLOATINGIP } from '../read/kinds';
import { listPage } from '../read/list-page';
import { parseListQuery, selectFields, type Query } from '../read/list-query';
import type { Reader } from '../read/reader';
import { newId } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { aggregate, floatingIpState } from '../write/states';

/**
 * /v2.0/floatingips/<fip>/port_forwardings (Zed's floating-ip-port-forwarding with -description and
 * -port-ranges): each command is decided by floatingIpDecider on the floating IP's subject.
 */
export class PortForwardingsService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
  ) {}

  private fip(ctx: RequestContext, fipId: string): FloatingIp {
    return this.reader.visible<FloatingIp>(FLOATINGIP, fipId, ctx.actor).value;
  }

  private one(ctx: RequestContext, fipId: string, id: string): PortForwarding {
    const pf = portForwardingsOf(this.fip(ctx, fipId)).find((p) => p.id === id);
    if (!pf) throw portForwardingNotFound(id);
    return pf;
  }

  list(ctx: RequestContext, fipId: string, query: Query, rawQuery: string): Record<string, unknown> {
    const fip = this.fip(ctx, fipId);
    const q = parseListQuery(query, PF_FILTERS);
    const refused = [...q.filters.keys()].find((k) => PF_FILTERS_REFUSED.has(k));
    if (refused) throw portForwardingFilterNotSupported(refused);
    const items = portForwardingsOf(fip).map((p) => presentPortForwarding(p));
    const sorted = q.sorts.length ? q : { ...q, sorts: [['id', 'asc'] as ['id', 'asc']] };
    const page = listPage(items, sorted, {
      collection: 'port_forwardings', notFound: portForwardingNotFound, selfUrl: `${ctx.baseUrl}/v2.0/floatingips/${fipId}/port_forwardings`, rawQuery,
    });
    return { port_forwardings: page.items, ...(page.links ? { port_forwardings_links: page.links } : {}) };
  }

  show(ctx: RequestContext, fipId: string, id: string, query: Query): Record<string, unknown> {
    const fields = ([] as string[]).concat(query.fields ?? []).flatMap((f) => f.split(',')).filter(Boolean);
    return { port_forwarding: selectFields(presentPortForwarding(this.one(ctx, fipId, id)), fields.length ? fields : null) };
  }

  private run(ctx: RequestContext, fipId: string, command: FloatingIpCommand) {
    return this.handler.handle(ctx, {
      aggregate: aggregate('floatingip', fipId),
      load: () => {
        this.fip(ctx, fipId);
        return floatingIpState(this.reader.model, fipId, ctx.actor);
      },
      decide: (s) => floatingIpDecider.decide(command, s),
    });
  }

  /**
   * The create process: decided and recorded on the floating IP's subject, then the forwarding joins
   * its internal port's subject with the port sequence the first decision saw (the port has no
   * floating IP of its own, no other forwarding takes its address and port) — a loser is refused
   * and taken back.
   */
  async create(ctx: RequestContext, fipId: string, raw: unknown): Promise<Record<string, unknown>> {
    const id = newId();
    const body = parseJsonBody(raw);
    const wanted = (body as { port_forwarding?: { internal_port_id?: unknown } } | undefined)?.port_forwarding?.internal_port_id;
    const portSeq = typeof wanted === 'string' ? (this.reader.model.ports.get(wanted)?.seq ?? 0) : 0;
    await this.run(ctx, fipId, { type: 'CreatePortForwarding', floatingip_id: fipId, body, actor: ctx.actor, id });
    await this.claim(ctx, fipId, id, portSeq, undefined);
    return { port_forwarding: presentPortForwarding(this.one(ctx, fipId, id), true) };
  }

  async update(ctx: RequestContext, fipId: string, id: string, raw: unknown): Promise<Record<string, unknown>> {
    const before = this.one(ctx, fipId, id);
    const body = parseJsonBody(raw);
    const wanted = (body as { port_forwarding?: { internal_port_id?: unknown } } | undefined)?.port_forwarding?.internal_port_id;
    const portId = typeof wanted === 'string' ? wanted : before.internal_port_id;
    const portSeq = this.reader.model.ports.get(portId)?.seq ?? 0;
    await this.run(ctx, fipId, { type: 'UpdatePortForwarding', floatingip_id: fipId, id, body, actor: ctx.actor });
    const after = this.one(ctx, fipId, id);
    const moved = (['internal_port_id', 'internal_ip_address', 'internal_port_range', 'protocol'] as const).some((k) => after[k] !== before[k]);
    if (moved) await this.claim(ctx, fipId, id, portSeq, before);
    return { port_forwarding: presentPortForwarding(this.one(ctx, fipId, id), true) };
  }

  /** The forwarding joins its internal port's subject; refused, it is deleted (`restore` absent) or restored. */
  private async claim(ctx: RequestContext, fipId: string, id: string, portSeq: number, restore: PortForwarding | undefined): Promise<void> {
    const model = this.reader.model;
    const portId = portForwardingsOf(model.floatingIps.get(fipId)?.value).find((p) => p.id === id)?.internal_port_id;
    if (!portId) return;
    let recheck = false; // the first decision is made on `initial`, every later one after a lost append
    try {
      await this.handler.handle(ctx, {
        aggregate: aggregate('port', portId),
        initial: { state: floatingIpState(model, fipId, ctx.actor).state, seq: portSeq },
        load: () => ({ state: floatingIpState(model, fipId, ctx.actor).state, seq: model.ports.get(portId)?.seq ?? 0 }),
        decide: (st) => {
          const events = floatingIpDecider.decide({ type: 'ClaimForwardedPort', port_forwarding_id: id, recheck }, st);
          recheck = true;
          return events;
        },
      });
    } catch (err) {
      await this.run(ctx, fipId, { type: 'RestorePortForwarding', port_forwarding_id: id, ...(restore ? { to: restore } : {}) }).catch(() => undefined);
      throw err;
    }
  }

  async delete(ctx: RequestContext, fipId: string, id: string): Promise<void> {
    await this.run(ctx, fipId, { type: 'DeletePortForwarding', floatingip_id: fipId, id, actor: ctx.actor });
  }

  /**
   * A port that went away (`keepIps` absent), or that kept only `keepIps`, takes the forwardings to it
   * along (Zed's _process_port_request); the last one of a floating IP clears its router_id.
   */
  async removeForwardingsOf(ctx: RequestContext, portId: string, keepIps?: string[]): Promise<void> {
    for (const { value: f } of [...this.reader.model.floatingIps.values()]) {
      if (!portForwardingsOf(f).some((p) => p.internal_port_id === portId)) continue;
      await this.handler.handle(ctx, {
        aggregate: aggregate('floatingip', f.id),
        load: () => floatingIpState(this.reader.model, f.id, ctx.actor),
        decide: (s) => floatingIpDecider.decide({ type: 'RemovePortForwardingsOfPort', port_id: portId, ...(keepIps ? { keep_ips: keepIps } : {}) }, s),
      });
    }
  }
}
