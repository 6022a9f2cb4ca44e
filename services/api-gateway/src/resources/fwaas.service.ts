import {
  canSeeFirewallObject, FIREWALL_AGGREGATE_ID, isV1Firewall, firewallDecider, fwErrors, isAdmin, NeutronError, parseFirewall, presentFirewallGroup, presentFirewallPolicy,
  presentFirewallRule, unwrapSingular, uuid5, emptyFirewallState, type FirewallCommand, type FirewallPortFact, type FirewallState, type FwKind, type RuleInfo,
} from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { listPage } from '../read/list-page';
import { parseListQuery, selectFields, type Query } from '../read/list-query';
import type { Reader } from '../read/reader';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { aggregate } from '../write/states';

type Collection = 'firewall_rules' | 'firewall_policies' | 'firewall_groups';
const KIND: Record<Collection, FwKind> = { firewall_rules: 'firewall_rule', firewall_policies: 'firewall_policy', firewall_groups: 'firewall_group' };
const common = ['id', 'tenant_id', 'project_id', 'name', 'description', 'shared', 'created_at', 'updated_at', 'revision_number'];
const FILTERABLE: Record<Collection, Set<string>> = {
  firewall_rules: new Set([...common, 'protocol', 'ip_version', 'source_ip_address', 'destination_ip_address', 'source_port', 'destination_port', 'action', 'enabled', 'firewall_policy_id']),
  firewall_policies: new Set([...common, 'audited', 'firewall_rules']),
  firewall_groups: new Set([...common, 'ingress_firewall_policy_id', 'egress_firewall_policy_id', 'admin_state_up', 'status', 'ports']),
};
const NOT_FOUND = { firewall_rules: fwErrors.ruleNotFound, firewall_policies: fwErrors.policyNotFound, firewall_groups: fwErrors.groupNotFound };
const fieldsOf = (q: Query) => {
  const f = ([] as string[]).concat(q.fields ?? []).flatMap((x) => x.split(',')).filter(Boolean);
  return f.length ? f : null;
};
const DEFAULT_NS = '6b8f0e8e-56a4-4bd6-9d0e-3c5c3ef0f0a1';

/** The body of insert_rule / remove_rule (v1 and v2): an object whose ids are strings or null. */
export function ruleInfoOf(raw: unknown): RuleInfo {
  const body = parseJsonBody(raw);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new NeutronError(400, 'HTTPBadRequest', 'Body contains invalid data');
  const info = body as RuleInfo;
  for (const k of ['firewall_rule_id', 'insert_before', 'insert_after'] as const) {
    const v = info[k];
    if (v !== undefined && v !== null && typeof v !== 'string') throw new NeutronError(400, 'HTTPBadRequest', `Invalid input for ${k}. Reason: '${String(v)}' is not a valid UUID.`);
  }
  return info;
}

/**
 * FWaaS v2 (`/v2.0/fwaas/...`, neutron-fwaas's API): rules, policies (with
 * insert_rule/remove_rule) and groups on the one firewall aggregate. Thin:
 * parse, decide (libs/domain/src/firewall), append, present. A project's
 * `default` group is made on its first look at or create of groups.
 */
export class FwaasService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
  ) {}

  /** The firewall aggregate as the read model has it (v1 reads it too). */
  get state(): FirewallState {
    return this.reader.model.firewall?.value ?? emptyFirewallState();
  }

  /** Decides one command on evt.firewall.fwaas and appends its events (v1 commands too). */
  run(ctx: RequestContext, command: FirewallCommand) {
    return this.handler.handle(ctx, {
      aggregate: aggregate('firewall', FIREWALL_AGGREGATE_ID),
      load: () => ({ state: this.state, seq: this.reader.model.firewall?.seq ?? 0 }),
      decide: (s) => firewallDecider.decide(command, s),
    });
  }

  private items(ctx: RequestContext, c: Collection): Array<Record<string, unknown>> {
    const s = this.state;
    const a = ctx.actor;
    if (c === 'firewall_rules') return Object.values(s.rules).filter((r) => canSeeFirewallObject(r, a)).map((r) => presentFirewallRule(r, s));
    if (c === 'firewall_policies') return Object.values(s.policies).filter((p) => canSeeFirewallObject(p, a)).map(presentFirewallPolicy);
    return Object.values(s.groups).filter((g) => !isV1Firewall(g) && (isAdmin(a) || g.project_id === a.project_id)).map(presentFirewallGroup);
  }

  /** The project's default group (made once; ids derived from the project, so a lost race makes the same objects). */
  private async ensureDefault(ctx: RequestContext, project: string) {
    if (Object.values(this.state.groups).some((g) => g.is_default && g.project_id === project)) return;
    const id = (what: string) => uuid5(DEFAULT_NS, `${project}/${what}`);
    await this.run(ctx, {
      type: 'EnsureDefaultGroup', project_id: project, now: nowIso(),
      ids: { group: id('group'), ingress: id('ingress'), egress: id('egress'), rules: [id('in4'), id('in6'), id('eg4'), id('eg6')] },
    });
  }

  async list(ctx: RequestContext, c: Collection, q: Query, rawQuery = '') {
    if (c === 'firewall_groups' && !isAdmin(ctx.actor)) await this.ensureDefault(ctx, ctx.actor.project_id);
    const page = listPage(this.items(ctx, c), parseListQuery(q, FILTERABLE[c]), {
      collection: c, notFound: NOT_FOUND[c], selfUrl: `${ctx.baseUrl}/v2.0/fwaas/${c}`, rawQuery,
    });
    return { [c]: page.items, ...(page.links ? { [`${c}_links`]: page.links } : {}) };
  }

  show(ctx: RequestContext, c: Collection, id: string, q: Query = {}) {
    const item = this.items(ctx, c).find((i) => i.id === id);
    if (!item) throw NOT_FOUND[c](id);
    return { [KIND[c]]: selectFields(item, fieldsOf(q)) };
  }

  private body(c: Collection, raw: unknown, ctx: RequestContext, isCreate: boolean) {
    return parseFirewall(KIND[c], unwrapSingular(parseJsonBody(raw), KIND[c]), ctx.actor, isCreate);
  }

  /** What the read model knows of the ports a group names. */
  private portFacts(attrs: Record<string, unknown>): Record<string, FirewallPortFact | undefined> {
    const out: Record<string, FirewallPortFact | undefined> = {};
    for (const id of (attrs.ports as string[] | undefined) ?? []) {
      const p = this.reader.model.ports.get(id)?.value;
      out[id] = p && { id: p.id, project_id: p.project_id, device_owner: p.device_owner, device_id: p.device_id };
    }
    return out;
  }

  async create(ctx: RequestContext, c: Collection, raw: unknown) {
    const attrs = this.body(c, raw, ctx, true);
    const id = newId();
    const now = nowIso();
    if (c === 'firewall_rules') await this.run(ctx, { type: 'CreateRule', id, attrs, actor: ctx.actor, now });
    else if (c === 'firewall_policies') await this.run(ctx, { type: 'CreatePolicy', id, attrs, actor: ctx.actor, now });
    else {
      await this.ensureDefault(ctx, attrs.project_id as string);
      await this.run(ctx, { type: 'CreateGroup', id, attrs, actor: ctx.actor, now, ports: this.portFacts(attrs) });
    }
    return this.show(ctx, c, id);
  }

  async update(ctx: RequestContext, c: Collection, id: string, raw: unknown) {
    const attrs = this.body(c, raw, ctx, false);
    if (c === 'firewall_rules') await this.run(ctx, { type: 'UpdateRule', id, attrs, actor: ctx.actor });
    else if (c === 'firewall_policies') await this.run(ctx, { type: 'UpdatePolicy', id, attrs, actor: ctx.actor });
    else await this.run(ctx, { type: 'UpdateGroup', id, attrs, actor: ctx.actor, ports: this.portFacts(attrs) });
    return this.show(ctx, c, id);
  }

  async delete(ctx: RequestContext, c: Collection, id: string) {
    const type = c === 'firewall_rules' ? 'DeleteRule' : c === 'firewall_policies' ? 'DeletePolicy' : 'DeleteGroup';
    await this.run(ctx, { type, id, actor: ctx.actor });
  }

  /** PUT /fwaas/firewall_policies/<id>/insert_rule|remove_rule: Neutron answers the policy itself (unwrapped). */
  async ruleAction(ctx: RequestContext, id: string, action: 'insert_rule' | 'remove_rule', raw: unknown) {
    const info = ruleInfoOf(raw);
    await this.run(ctx, { type: action === 'insert_rule' ? 'InsertRule' : 'RemoveRule', id, info, actor: ctx.actor });
    return this.show(ctx, 'firewall_policies', id).firewall_policy;
  }
}
