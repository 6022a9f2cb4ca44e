import {
  canSeeFirewallObject, fwV1Errors, isAdmin, isV1Firewall, parseFirewall, presentFirewallPolicyV1, presentFirewallRuleV1, presentFirewallV1,
  unwrapSingular, type FirewallCommand, type FirewallRouterFact, type FwKind,
} from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { listPage } from '../read/list-page';
import { parseListQuery, selectFields, type Query } from '../read/list-query';
import type { Reader } from '../read/reader';
import { newId, nowIso } from '../write/clock';
import { ruleInfoOf, type FwaasService } from './fwaas.service';

export type FwV1Collection = 'firewall_rules' | 'firewall_policies' | 'firewalls';
const KIND: Record<FwV1Collection, FwKind> = { firewall_rules: 'firewall_rule', firewall_policies: 'firewall_policy', firewalls: 'firewall' };
const common = ['id', 'tenant_id', 'project_id', 'name', 'description'];
const FILTERABLE: Record<FwV1Collection, Set<string>> = {
  firewall_rules: new Set([...common, 'shared', 'protocol', 'ip_version', 'source_ip_address', 'destination_ip_address', 'source_port', 'destination_port', 'action', 'enabled', 'firewall_policy_id', 'position']),
  firewall_policies: new Set([...common, 'shared', 'audited', 'firewall_rules', 'firewall_list']),
  firewalls: new Set([...common, 'admin_state_up', 'status', 'firewall_policy_id', 'router_ids']),
};
const NOT_FOUND = { firewall_rules: fwV1Errors.ruleNotFound, firewall_policies: fwV1Errors.policyNotFound, firewalls: fwV1Errors.firewallNotFound };
const fieldsOf = (q: Query) => {
  const f = ([] as string[]).concat(q.fields ?? []).flatMap((x) => x.split(',')).filter(Boolean);
  return f.length ? f : null;
};

/**
 * FWaaS v1 (`/v2.0/fw/...`, the seed book's workflow) on the one firewall model: its rules and
 * policies are the v2 objects (shown the v1 way), a v1 firewall is a group with `router_ids` whose
 * one policy filters both ways on every `qr-` of its routers. Decided by the same decider
 * (`api: 'v1'` commands and CreateFirewall/UpdateFirewall/DeleteFirewall); `quotaFirewall` is the
 * seed's one firewall per tenant.
 */
export class FwaasV1Service {
  constructor(
    private readonly reader: Reader,
    private readonly fw: FwaasService,
    private readonly quotaFirewall: number,
  ) {}

  private items(ctx: RequestContext, c: FwV1Collection): Array<Record<string, unknown>> {
    const s = this.fw.state;
    const a = ctx.actor;
    if (c === 'firewall_rules') return Object.values(s.rules).filter((r) => canSeeFirewallObject(r, a)).map((r) => presentFirewallRuleV1(r, s));
    if (c === 'firewall_policies') return Object.values(s.policies).filter((p) => canSeeFirewallObject(p, a)).map((p) => presentFirewallPolicyV1(p, s));
    const exists = (id: string) => this.reader.model.routers.has(id);
    return Object.values(s.groups).filter((g) => isV1Firewall(g) && (isAdmin(a) || g.project_id === a.project_id)).map((g) => presentFirewallV1(g, exists));
  }

  list(ctx: RequestContext, c: FwV1Collection, q: Query, rawQuery = '') {
    const page = listPage(this.items(ctx, c), parseListQuery(q, FILTERABLE[c]), {
      collection: c, notFound: NOT_FOUND[c], selfUrl: `${ctx.baseUrl}/v2.0/fw/${c}`, rawQuery,
    });
    return { [c]: page.items, ...(page.links ? { [`${c}_links`]: page.links } : {}) };
  }

  show(ctx: RequestContext, c: FwV1Collection, id: string, q: Query = {}) {
    const item = this.items(ctx, c).find((i) => i.id === id);
    if (!item) throw NOT_FOUND[c](id);
    return { [KIND[c]]: selectFields(item, fieldsOf(q)) };
  }

  private body(c: FwV1Collection, raw: unknown, ctx: RequestContext, isCreate: boolean) {
    return parseFirewall(KIND[c], unwrapSingular(parseJsonBody(raw), KIND[c]), ctx.actor, isCreate);
  }

  /** What the read model knows of the routers a firewall names. */
  private routerFacts(attrs: Record<string, unknown>): Record<string, FirewallRouterFact | undefined> {
    const out: Record<string, FirewallRouterFact | undefined> = {};
    for (const id of Array.isArray(attrs.router_ids) ? (attrs.router_ids as string[]) : []) {
      const r = this.reader.model.routers.get(id)?.value;
      out[id] = r && { id: r.id, project_id: r.project_id };
    }
    return out;
  }

  /** The routers of a project, for a create without `router_ids` (v1: every router of the tenant). */
  private projectRouters(project: string): string[] {
    return [...this.reader.model.routers.values()].map((r) => r.value).filter((r) => r.project_id === project).map((r) => r.id).sort();
  }

  async create(ctx: RequestContext, c: FwV1Collection, raw: unknown) {
    const attrs = this.body(c, raw, ctx, true);
    const id = newId();
    const now = nowIso();
    let command: FirewallCommand;
    if (c === 'firewall_rules') command = { type: 'CreateRule', id, attrs, actor: ctx.actor, now, api: 'v1' };
    else if (c === 'firewall_policies') command = { type: 'CreatePolicy', id, attrs, actor: ctx.actor, now, api: 'v1' };
    else {
      const project = attrs.project_id as string;
      const projectRouters = this.projectRouters(project);
      const routers = this.routerFacts(attrs);
      if (!Array.isArray(attrs.router_ids)) for (const r of projectRouters) routers[r] = { id: r, project_id: project };
      command = { type: 'CreateFirewall', id, attrs, actor: ctx.actor, now, routers, projectRouters, limit: this.quotaFirewall };
    }
    await this.fw.run(ctx, command);
    return this.show(ctx, c, id);
  }

  async update(ctx: RequestContext, c: FwV1Collection, id: string, raw: unknown) {
    const attrs = this.body(c, raw, ctx, false);
    let command: FirewallCommand;
    if (c === 'firewall_rules') command = { type: 'UpdateRule', id, attrs, actor: ctx.actor, api: 'v1' };
    else if (c === 'firewall_policies') command = { type: 'UpdatePolicy', id, attrs, actor: ctx.actor, api: 'v1' };
    else command = { type: 'UpdateFirewall', id, attrs, actor: ctx.actor, routers: this.routerFacts(attrs) };
    await this.fw.run(ctx, command);
    return this.show(ctx, c, id);
  }

  async delete(ctx: RequestContext, c: FwV1Collection, id: string) {
    const command: FirewallCommand =
      c === 'firewall_rules' ? { type: 'DeleteRule', id, actor: ctx.actor, api: 'v1' }
        : c === 'firewall_policies' ? { type: 'DeletePolicy', id, actor: ctx.actor, api: 'v1' }
          : { type: 'DeleteFirewall', id, actor: ctx.actor };
    await this.fw.run(ctx, command);
  }

  /** PUT /fw/firewall_policies/<id>/insert_rule|remove_rule: the policy itself, unwrapped (as v2). */
  async ruleAction(ctx: RequestContext, id: string, action: 'insert_rule' | 'remove_rule', raw: unknown) {
    const info = ruleInfoOf(raw);
    // v1: a rule_info without the rule's id is "missing"; an empty id is a rule that does not exist
    if ('firewall_rule_id' in info && !info.firewall_rule_id) throw fwV1Errors.ruleNotFound('None');
    await this.fw.run(ctx, { type: action === 'insert_rule' ? 'InsertRule' : 'RemoveRule', id, info, actor: ctx.actor, api: 'v1' });
    return this.show(ctx, 'firewall_policies', id).firewall_policy;
  }
}
