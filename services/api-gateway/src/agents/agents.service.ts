import { AGENTS_BUCKET, type AgentHeartbeat } from '@neutrino/agent-kit';
import { isAdmin, notFound, NeutronError, type Actor } from '@neutrino/domain';
import type { EventStore, HeartbeatBucket } from '@neutrino/events';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { listPage } from '../read/list-page';
import { matchesFilters, parseListQuery, selectFields, type Query } from '../read/list-query';
import type { AgentRegistry, RegisteredAgent } from './agent-registry';

/** Neutron's agent timestamps: "2026-11-23 04:11:05". */
const agentTime = (iso: string | undefined) => (iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '') : null);
const FILTERABLE = new Set(['id', 'agent_type', 'binary', 'host', 'topic', 'admin_state_up', 'alive', 'description', 'availability_zone']);
const UPDATABLE = new Set(['admin_state_up', 'description']);
const agentNotFound = (id: string) => notFound('AgentNotFound', `Agent ${id} could not be found.`);

/** /v2.0/agents: what registered (the log) joined with who is alive (the heartbeat bucket). Admin only. */
export class AgentsService {
  private heartbeats?: Promise<HeartbeatBucket>;

  constructor(
    private readonly registry: AgentRegistry,
    private readonly store: EventStore,
    private readonly downTimeMs: number,
  ) {}

  async list(ctx: RequestContext, query: Query, rawQuery: string): Promise<Record<string, unknown>> {
    const q = parseListQuery(query, FILTERABLE);
    if (!isAdmin(ctx.actor)) return { agents: [] };
    const beats = await this.beats();
    const items = [...this.registry.agents.values()].map((a) => this.present(a, beats.get(a.record.id))).filter((a) => matchesFilters(a, q.filters));
    const page = listPage(items, { ...q, filters: new Map() }, { collection: 'agents', notFound: agentNotFound, selfUrl: `${ctx.baseUrl}/v2.0/agents`, rawQuery });
    return page.links ? { agents: page.items, agents_links: page.links } : { agents: page.items };
  }

  async show(ctx: RequestContext, id: string, query: Query): Promise<Record<string, unknown>> {
    const a = this.visible(ctx.actor, id);
    const fields = ([] as string[]).concat(query.fields ?? []).filter(Boolean);
    return { agent: selectFields(this.present(a, (await this.beats()).get(id)), fields.length ? fields : null) };
  }

  async update(ctx: RequestContext, id: string, raw: unknown): Promise<Record<string, unknown>> {
    const a = this.visible(ctx.actor, id);
    const body = parseJsonBody(raw) as { agent?: Record<string, unknown> } | undefined;
    if (!body || typeof body.agent !== 'object' || body.agent === null) throw new NeutronError(400, 'HTTPBadRequest', "Unable to find 'agent' in request body");
    const changes: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body.agent)) {
      if (!UPDATABLE.has(k)) throw new NeutronError(400, 'HTTPBadRequest', `Attribute '${k}' not allowed in PUT`);
      if (k === 'admin_state_up' && typeof v !== 'boolean') throw new NeutronError(400, 'InvalidInput', `Invalid input for operation: '${String(v)}' cannot be converted to boolean.`);
      if (k === 'description' && typeof v !== 'string') throw new NeutronError(400, 'HTTPBadRequest', `Invalid input for description. Reason: '${String(v)}' is not a valid string.`);
      changes[k] = v;
    }
    await this.append(ctx, a, 'agent.updated', { changes });
    return this.show(ctx, id, {});
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const a = this.visible(ctx.actor, id);
    await this.append(ctx, a, 'agent.deleted', { agent_id: id });
  }

  private async append(ctx: RequestContext, a: RegisteredAgent, type: string, data: unknown): Promise<void> {
    const [stored] = await this.store.append(
      [{ type, aggregate: { type: 'agent', id: a.record.id }, actor: ctx.actor, request_id: ctx.requestId, causation_id: null, data }],
      { expectedSubjectSeq: a.seq },
    );
    await this.registry.waitFor(stored.seq);
  }

  /** One agent as /v2.0/agents shows it (with `alive`), whatever its type; undefined when there is none. */
  async byId(id: string): Promise<Record<string, unknown> | undefined> {
    const a = this.registry.agents.get(id);
    if (!a) return undefined;
    return this.present(a, (await this.beats()).get(id));
  }

  /** The L3 agents as /v2.0/agents shows them (with `alive`), for router scheduling and the l3-agents lists. */
  l3Agents(): Promise<Array<Record<string, unknown>>> {
    return this.agentsOfType('L3 agent');
  }

  /** The agents of one type as /v2.0/agents shows them (with `alive`): the lbaas scheduler's candidates. */
  async agentsOfType(agentType: string): Promise<Array<Record<string, unknown>>> {
    const beats = await this.beats();
    return [...this.registry.agents.values()].filter((a) => a.record.agent_type === agentType).map((a) => this.present(a, beats.get(a.record.id)));
  }

  private visible(actor: Actor, id: string): RegisteredAgent {
    const a = this.registry.agents.get(id);
    if (!a || !isAdmin(actor)) throw agentNotFound(id);
    return a;
  }

  /** Who is alive: the bucket as the gateway's watch of it holds it; an agent it does not hold yet (it just started) is asked for. */
  private async beats(): Promise<Map<string, { value: AgentHeartbeat; updatedAt: Date }>> {
    this.heartbeats ??= this.store.heartbeats(AGENTS_BUCKET, this.downTimeMs).then(async (b) => {
      await b.follow();
      return b;
    }).catch((err) => {
      this.heartbeats = undefined;
      throw err;
    });
    const bucket = await this.heartbeats;
    const beats = new Map((await bucket.list()).map((e) => [e.key, { value: e.value as AgentHeartbeat, updatedAt: e.updatedAt }]));
    for (const id of this.registry.agents.keys()) {
      if (beats.has(id)) continue;
      const beat = await bucket.get(id);
      if (beat) beats.set(id, { value: beat.value as AgentHeartbeat, updatedAt: beat.updatedAt });
    }
    return beats;
  }

  private present(a: RegisteredAgent, beat: { value: AgentHeartbeat; updatedAt: Date } | undefined): Record<string, unknown> {
    const r = a.record;
    const alive = !!beat && Date.now() - beat.updatedAt.getTime() < this.downTimeMs;
    return {
      id: r.id,
      agent_type: r.agent_type,
      binary: r.binary,
      topic: r.topic,
      host: r.host,
      admin_state_up: r.admin_state_up,
      created_at: agentTime(r.created_at),
      started_at: agentTime(beat?.value.started_at ?? r.started_at),
      heartbeat_timestamp: agentTime(beat?.value.heartbeat_timestamp),
      description: r.description ?? '',
      resources_synced: beat ? beat.value.synced : null,
      availability_zone: r.agent_type === 'DHCP agent' || r.agent_type === 'L3 agent' ? 'nova' : null,
      alive,
      configurations: beat?.value.configurations ?? r.configurations,
      resource_versions: {},
      // Neutrino: the stream sequence up to which this agent's dataplane has every event (the convergence barrier, `neutrino wait`)
      applied_seq: beat?.value.reconciled_seq ?? null,
    };
  }
}
