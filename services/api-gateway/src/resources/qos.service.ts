import {
  canSeePolicy, canSeeQosPolicy, isAdmin, NeutronError, objectPolicies, rbacErrors, type Actor, type ObjectRbacCommand, type RbacPolicy, presentQosPolicy, presentQosRule, qosPolicyDecider, qosPolicyNotFound, qosRuleNotFound, qosRuleTypeDetails,
  QOS_RULE_RESOURCES, SUPPORTED_QOS_RULE_TYPES, type QosPolicy, type QosPolicyCommand, type QosPolicyState, type QosRuleType,
} from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { listPage } from '../read/list-page';
import { parseListQuery, selectFields } from '../read/list-query';
import type { Reader } from '../read/reader';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { aggregate, qosLookup } from '../write/states';

type Query = Record<string, string | string[] | undefined>;

const POLICY_FILTERS = new Set(['id', 'name', 'description', 'shared', 'is_default', 'project_id', 'tenant_id', 'revision_number', 'created_at', 'updated_at']);
const RULE_FILTERS: Record<QosRuleType, Set<string>> = {
  bandwidth_limit: new Set(['id', 'max_kbps', 'max_burst_kbps', 'direction']),
  dscp_marking: new Set(['id', 'dscp_mark']),
};

const fieldsOf = (q: Query) => {
  const f = ([] as string[]).concat(q.fields ?? []).flatMap((x) => x.split(',')).filter(Boolean);
  return f.length ? f : null;
};

/**
 * `/v2.0/qos/policies` with their bandwidth_limit_rules and dscp_marking_rules,
 * and `/v2.0/qos/rule-types` (qos, qos-bw-limit-direction, qos-default,
 * qos-rule-type-details): thin over the QoS policy decider. A policy's users
 * (ports and networks naming it) are the read model's facts for QosPolicyInUse.
 */
export class QosService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
  ) {}

  private get model() {
    return this.reader.model;
  }

  private state(ctx: RequestContext, id: string): { state: QosPolicyState; seq: number } {
    const v = this.model.qosPolicies.get(id);
    const usedBy: QosPolicyState['usedBy'] = [
      ...[...this.model.ports.values()].filter((p) => p.value.qos_policy_id === id).map((p) => ({ type: 'port' as const, id: p.value.id, project_id: p.value.project_id })),
      ...[...this.model.networks.values()].filter((n) => n.value.qos_policy_id === id).map((n) => ({ type: 'network' as const, id: n.value.id, project_id: n.value.project_id })),
    ];
    return { state: { policy: v?.value, usedBy, defaultOf: qosLookup(this.model, ctx.actor).defaultOf }, seq: v?.seq ?? 0 };
  }

  private run(ctx: RequestContext, id: string, command: QosPolicyCommand) {
    return this.handler.handle<QosPolicyState>(ctx, {
      aggregate: aggregate('qos_policy', id),
      load: () => this.state(ctx, id),
      decide: (s) => qosPolicyDecider.decide(command, s),
    });
  }

  private visible(ctx: RequestContext, id: string): QosPolicy {
    const p = this.model.qosPolicies.get(id)?.value;
    if (!p || !canSeeQosPolicy(p, ctx.actor)) throw qosPolicyNotFound(id);
    return p;
  }

  list(ctx: RequestContext, q: Query, rawQuery = '') {
    const items = [...this.model.qosPolicies.values()].map((v) => v.value).filter((p) => canSeeQosPolicy(p, ctx.actor)).map((p) => presentQosPolicy(p, ctx.actor));
    const page = listPage(items, parseListQuery(q, POLICY_FILTERS), { collection: 'policies', notFound: qosPolicyNotFound, selfUrl: `${ctx.baseUrl}/v2.0/qos/policies`, rawQuery });
    return { policies: page.items, ...(page.links ? { policies_links: page.links } : {}) };
  }

  show(ctx: RequestContext, id: string, q: Query = {}) {
    return { policy: selectFields(presentQosPolicy(this.visible(ctx, id), ctx.actor), fieldsOf(q)) };
  }

  async create(ctx: RequestContext, raw: unknown) {
    const id = newId();
    await this.run(ctx, id, { type: 'CreateQosPolicy', body: parseJsonBody(raw), actor: ctx.actor, id, now: nowIso() });
    return this.show(ctx, id);
  }

  async update(ctx: RequestContext, id: string, raw: unknown) {
    const body = parseJsonBody(raw);
    this.visible(ctx, id);
    await this.run(ctx, id, { type: 'UpdateQosPolicy', body, actor: ctx.actor });
    return this.show(ctx, id);
  }

  async delete(ctx: RequestContext, id: string) {
    this.visible(ctx, id);
    await this.run(ctx, id, { type: 'DeleteQosPolicy', actor: ctx.actor });
  }

  // ---- rules of a policy

  listRules(ctx: RequestContext, type: QosRuleType, policyId: string, q: Query, rawQuery = '') {
    const res = QOS_RULE_RESOURCES[type];
    const items = this.visible(ctx, policyId).rules.filter((r) => r.type === type).map(presentQosRule);
    const page = listPage(items, parseListQuery(q, RULE_FILTERS[type]), {
      collection: res.collection, notFound: (rid) => qosRuleNotFound(rid, policyId), selfUrl: `${ctx.baseUrl}/v2.0/qos/policies/${policyId}/${res.collection}`, rawQuery,
    });
    return { [res.collection]: page.items, ...(page.links ? { [`${res.collection}_links`]: page.links } : {}) };
  }

  showRule(ctx: RequestContext, type: QosRuleType, policyId: string, ruleId: string, q: Query = {}) {
    const rule = this.visible(ctx, policyId).rules.find((r) => r.id === ruleId && r.type === type);
    if (!rule) throw qosRuleNotFound(ruleId, policyId);
    return { [QOS_RULE_RESOURCES[type].member]: selectFields(presentQosRule(rule), fieldsOf(q)) };
  }

  async createRule(ctx: RequestContext, type: QosRuleType, policyId: string, raw: unknown) {
    const body = parseJsonBody(raw);
    this.visible(ctx, policyId);
    const id = newId();
    await this.run(ctx, policyId, { type: 'AddQosRule', rule_type: type, body, actor: ctx.actor, id });
    return this.showRule(ctx, type, policyId, id);
  }

  async updateRule(ctx: RequestContext, type: QosRuleType, policyId: string, ruleId: string, raw: unknown) {
    const body = parseJsonBody(raw);
    this.visible(ctx, policyId);
    await this.run(ctx, policyId, { type: 'UpdateQosRule', rule_type: type, rule_id: ruleId, body, actor: ctx.actor });
    return this.showRule(ctx, type, policyId, ruleId);
  }

  async deleteRule(ctx: RequestContext, type: QosRuleType, policyId: string, ruleId: string) {
    this.visible(ctx, policyId);
    await this.run(ctx, policyId, { type: 'DeleteQosRule', rule_type: type, rule_id: ruleId, actor: ctx.actor });
  }

  // ---- RBAC (object_type qos_policy, access_as_shared)

  /** The RBAC policies on QoS policies the caller may see. */
  policies(actor: Actor): RbacPolicy[] {
    return [...this.model.qosPolicies.values()].flatMap((v) => objectPolicies('qos_policy', v.value)).filter((p) => canSeePolicy(p, actor));
  }

  /** The policy a new RBAC policy names (one the caller cannot see is "not yours", one that does not exist InvalidInput). */
  checkShareable(actor: Actor, id: string): void {
    const p = this.model.qosPolicies.get(id)?.value;
    if (!p) throw new NeutronError(400, 'InvalidInput', `Invalid input for operation: QoS policy ${id} could not be found.`);
    if (!canSeeQosPolicy(p, actor)) throw rbacErrors.notOwner();
  }

  /** An RBAC command decided on the policy's subject. */
  async rbac(ctx: RequestContext, id: string, rbac: ObjectRbacCommand): Promise<void> {
    await this.run(ctx, id, { type: 'QosPolicyRbac', rbac });
  }

  // ---- rule types (what the agents enforce)

  ruleTypes() {
    return { rule_types: SUPPORTED_QOS_RULE_TYPES.map((type) => ({ type })) };
  }

  /** Zed: admin only (NotAuthorized otherwise). */
  ruleType(ctx: RequestContext, type: string) {
    if (!isAdmin(ctx.actor)) throw new NeutronError(403, 'NotAuthorized', 'Not authorized.');
    if (!SUPPORTED_QOS_RULE_TYPES.includes(type as QosRuleType)) throw new NeutronError(404, 'QosRuleTypeNotFound', `QoS rule type ${type} could not be found.`);
    return { rule_type: qosRuleTypeDetails(type as QosRuleType) };
  }
}
