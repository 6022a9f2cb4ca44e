import type { Actor } from '../actor';
import { parseAttributes } from '../common/attributes';
import { unwrapSingular } from '../common/body';
import { enforce } from '../common/policy';
import type { Decider } from '../decider';
import { conflict } from '../errors';
import type { CoreEvent } from '../events';
import { QOS_POLICY_ATTRS, QOS_RULE_RESOURCES } from './attributes';
import { evolveQosPolicy } from './evolve';
import type { QosPolicy, QosRule, QosRuleType } from './model';
import { canSeeQosPolicy, qosPolicyInUse, qosPolicyNotFound, qosRuleNotFound } from './visibility';
import { decideObjectRbac, objectRbacEvents, type ObjectRbacCommand } from '../rbac/object-rbac';

export type QosPolicyEvent = CoreEvent<
  | 'qos_policy.created' | 'qos_policy.updated' | 'qos_policy.deleted' | 'qos_policy.rule_added' | 'qos_policy.rule_updated' | 'qos_policy.rule_removed'
  | 'qos_policy.rbac_added' | 'qos_policy.rbac_updated' | 'qos_policy.rbac_removed'
>;

export type QosPolicyCommand =
  | { type: 'CreateQosPolicy'; body: unknown; actor: Actor; id: string; now: string }
  | { type: 'UpdateQosPolicy'; body: unknown; actor: Actor }
  | { type: 'DeleteQosPolicy'; actor: Actor }
  | { type: 'AddQosRule'; rule_type: QosRuleType; body: unknown; actor: Actor; id: string }
  | { type: 'UpdateQosRule'; rule_type: QosRuleType; rule_id: string; body: unknown; actor: Actor }
  | { type: 'DeleteQosRule'; rule_type: QosRuleType; rule_id: string; actor: Actor }
  /** An access_as_shared RBAC policy on the policy (Zed has no alias of its own for it: part of qos): in use while a port or network of the project it shares with names the policy. */
  | { type: 'QosPolicyRbac'; rbac: ObjectRbacCommand };

export interface QosPolicyState {
  policy: QosPolicy | undefined;
  /** The ports and networks naming the policy (QosPolicyInUse), ports first. */
  usedBy: Array<{ type: 'port' | 'network'; id: string; project_id?: string }>;
  /** The id of a project's default policy, if it has one (qos-default: one per project). */
  defaultOf: (project: string) => string | undefined;
}

/** Zed's QoS policy: every write is admin_only; reads follow get_policy. */
const adminOnly = (action: string, actor: Actor, owner: string) =>
  enforce({ action, actor, item: {}, map: {}, rules: { [action]: () => false }, ownerProject: owner });

const visible = (s: QosPolicyState, actor: Actor): QosPolicy => {
  if (!s.policy || !canSeeQosPolicy(s.policy, actor)) throw qosPolicyNotFound(s.policy?.id ?? '');
  return s.policy;
};

const checkDefault = (s: QosPolicyState, project: string, self: string) => {
  const other = s.defaultOf(project);
  if (other && other !== self) throw conflict('QoSPolicyDefaultAlreadyExists', `A default QoS policy exists for project ${project}.`);
};

/** QoSRulesConflict: one rule per type (and, for bandwidth limits, per direction) in a policy. */
function checkRuleConflict(policy: QosPolicy, rule: QosRule): void {
  const clash = policy.rules.find(
    (r) => r.id !== rule.id && r.type === rule.type && (r.type !== 'bandwidth_limit' || rule.type !== 'bandwidth_limit' || r.direction === rule.direction),
  );
  if (clash) throw conflict('QoSRulesConflict', `Rule ${rule.type} conflicts with rule ${clash.id} which already exists in QoS Policy ${policy.id}.`);
}

function buildRule(type: QosRuleType, id: string, item: Record<string, unknown>): QosRule {
  return type === 'bandwidth_limit'
    ? { id, type, max_kbps: item.max_kbps as number, max_burst_kbps: item.max_burst_kbps as number, direction: item.direction as 'egress' | 'ingress' }
    : { id, type, dscp_mark: item.dscp_mark as number };
}

const RULE_KEYS: Record<QosRuleType, string[]> = { bandwidth_limit: ['max_kbps', 'max_burst_kbps', 'direction'], dscp_marking: ['dscp_mark'] };

function decide(command: QosPolicyCommand, s: QosPolicyState): QosPolicyEvent[] {
  switch (command.type) {
    case 'CreateQosPolicy': {
      const item = parseAttributes(unwrapSingular(command.body, 'policy'), QOS_POLICY_ATTRS, command.actor, true);
      adminOnly('create_policy', command.actor, item.project_id as string);
      if (s.policy) throw conflict('QosPolicyExists', `QoS policy ${command.id} already exists.`);
      if (item.is_default) checkDefault(s, item.project_id as string, command.id);
      const policy: QosPolicy = {
        id: command.id,
        name: item.name as string,
        description: item.description as string,
        tenant_id: item.tenant_id as string,
        project_id: item.project_id as string,
        shared: item.shared as boolean,
        is_default: item.is_default as boolean,
        tags: [],
        rules: [],
        created_at: command.now,
        updated_at: command.now,
        // Zed records is_default apart, one revision after the policy
        revision_number: item.is_default ? 1 : 0,
      };
      return [{ type: 'qos_policy.created', data: { policy } }];
    }
    case 'UpdateQosPolicy': {
      const policy = visible(s, command.actor);
      const item = parseAttributes(unwrapSingular(command.body, 'policy'), QOS_POLICY_ATTRS, command.actor, false);
      adminOnly('update_policy', command.actor, policy.project_id);
      if (item.is_default === true) checkDefault(s, policy.project_id, policy.id);
      const changes: Partial<QosPolicy> = {};
      for (const k of ['name', 'description', 'shared', 'is_default'] as const) {
        if (item[k] !== undefined && item[k] !== policy[k]) (changes as Record<string, unknown>)[k] = item[k];
      }
      return Object.keys(changes).length ? [{ type: 'qos_policy.updated', data: { policy_id: policy.id, changes } }] : [];
    }
    case 'DeleteQosPolicy': {
      const policy = visible(s, command.actor);
      adminOnly('delete_policy', command.actor, policy.project_id);
      const user = s.usedBy[0];
      if (user) throw qosPolicyInUse(policy.id, user.type, user.id);
      return [{ type: 'qos_policy.deleted', data: { policy_id: policy.id } }];
    }
    case 'AddQosRule': {
      const policy = visible(s, command.actor);
      const res = QOS_RULE_RESOURCES[command.rule_type];
      const item = parseAttributes(unwrapSingular(command.body, res.member), res.attrs, command.actor, true);
      adminOnly(`create_policy_${res.member}`, command.actor, policy.project_id);
      const rule = buildRule(command.rule_type, command.id, item);
      checkRuleConflict(policy, rule);
      return [{ type: 'qos_policy.rule_added', data: { policy_id: policy.id, rule } }];
    }
    case 'UpdateQosRule': {
      const policy = visible(s, command.actor);
      const res = QOS_RULE_RESOURCES[command.rule_type];
      const current = policy.rules.find((r) => r.id === command.rule_id && r.type === command.rule_type);
      const item = parseAttributes(unwrapSingular(command.body, res.member), res.attrs, command.actor, false);
      adminOnly(`update_policy_${res.member}`, command.actor, policy.project_id);
      if (!current) throw qosRuleNotFound(command.rule_id, policy.id);
      const changes: Record<string, unknown> = {};
      for (const k of RULE_KEYS[command.rule_type]) if (item[k] !== undefined && item[k] !== (current as unknown as Record<string, unknown>)[k]) changes[k] = item[k];
      checkRuleConflict(policy, { ...current, ...changes } as QosRule);
      return Object.keys(changes).length ? [{ type: 'qos_policy.rule_updated', data: { policy_id: policy.id, rule_id: current.id, changes } }] : [];
    }
    case 'QosPolicyRbac': {
      const policy = s.policy;
      if (!policy) throw qosPolicyNotFound('');
      const d = decideObjectRbac('qos_policy', command.rbac, policy, s.usedBy.map((u) => u.project_id ?? policy.project_id));
      return objectRbacEvents('qos_policy', 'policy_id', policy.id, d, 'rbac_id') as QosPolicyEvent[];
    }
    case 'DeleteQosRule': {
      const policy = visible(s, command.actor);
      const res = QOS_RULE_RESOURCES[command.rule_type];
      adminOnly(`delete_policy_${res.member}`, command.actor, policy.project_id);
      if (!policy.rules.some((r) => r.id === command.rule_id && r.type === command.rule_type)) throw qosRuleNotFound(command.rule_id, policy.id);
      return [{ type: 'qos_policy.rule_removed', data: { policy_id: policy.id, rule_id: command.rule_id } }];
    }
  }
}

export const qosPolicyDecider: Decider<QosPolicyCommand, QosPolicyState, QosPolicyEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, policy: evolveQosPolicy(state.policy, event) }),
  initialState: () => ({ policy: undefined, usedBy: [], defaultOf: () => undefined }),
};
