import { dataOf, type EventLike } from '../common/evolve';
import { emptyFirewallState, type FirewallGroup, type FirewallGroupStatus, type FirewallState } from './model';

/** The status a group goes to when something it enforces changed (before its agent applied it). */
export function pendingStatus(g: Pick<FirewallGroup, 'ports' | 'admin_state_up' | 'status' | 'router_ids'>): FirewallGroupStatus {
  // a v1 firewall is enforced on its routers, a v2 group on its ports; with neither it is INACTIVE
  if (!(g.router_ids ?? g.ports).length) return 'INACTIVE';
  if (!g.admin_state_up) return 'DOWN';
  return g.status === 'ACTIVE' || g.status === 'PENDING_UPDATE' || g.status === 'ERROR' ? 'PENDING_UPDATE' : 'PENDING_CREATE';
}

/** The groups whose ingress or egress policy is one of these. */
export const groupsUsing = (s: FirewallState, policyIds: Set<string>): FirewallGroup[] =>
  Object.values(s.groups).filter((g) => (g.ingress_firewall_policy_id && policyIds.has(g.ingress_firewall_policy_id)) || (g.egress_firewall_policy_id && policyIds.has(g.egress_firewall_policy_id)));

/** The policies holding a rule. */
export const policiesWith = (s: FirewallState, ruleId: string): string[] =>
  Object.values(s.policies).filter((p) => p.firewall_rules.includes(ruleId)).map((p) => p.id);

const touch = (s: FirewallState, groups: FirewallGroup[]): FirewallState => {
  if (!groups.length) return s;
  const next = { ...s.groups };
  for (const g of groups) next[g.id] = { ...g, config_version: g.config_version + 1, status: pendingStatus(g) };
  return { ...s, groups: next };
};
const bump = <T extends { revision_number: number; updated_at: string }>(o: T, changes: Partial<T>, at: string): T =>
  ({ ...o, ...structuredClone(changes), revision_number: o.revision_number + 1, updated_at: at });

/**
 * Folds one event of evt.firewall.fwaas into the state (pure; the gateway's
 * read model and the fwaas-agent's view both use it). A change of a rule
 * resets `audited` of the policies holding it; a change of what a group
 * enforces (its own attributes, its policies, their rules) bumps the group's
 * config_version and makes it PENDING_* (INACTIVE without ports, DOWN when
 * admin-down); the agent's `group_applied` of the current version makes it ACTIVE.
 */
export function evolveFirewall(state: FirewallState | undefined, e: EventLike): FirewallState {
  const s = state ?? emptyFirewallState();
  const at = e.at;
  switch (e.type) {
    case 'firewall.rule_created': {
      const { rule } = dataOf(e, 'firewall.rule_created');
      return { ...s, rules: { ...s.rules, [rule.id]: structuredClone(rule) } };
    }
    case 'firewall.rule_updated': {
      const { rule_id, changes } = dataOf(e, 'firewall.rule_updated');
      const rule = s.rules[rule_id];
      if (!rule) return s;
      const holders = policiesWith(s, rule_id);
      const policies = { ...s.policies };
      for (const id of holders) policies[id] = { ...policies[id], audited: false };
      return touch({ ...s, rules: { ...s.rules, [rule_id]: bump(rule, changes, at) }, policies }, groupsUsing(s, new Set(holders)));
    }
    case 'firewall.rule_deleted': {
      const { rule_id } = dataOf(e, 'firewall.rule_deleted');
      const rules = { ...s.rules };
      delete rules[rule_id];
      return { ...s, rules };
    }
    case 'firewall.policy_created': {
      const { policy } = dataOf(e, 'firewall.policy_created');
      return { ...s, policies: { ...s.policies, [policy.id]: structuredClone(policy) } };
    }
    case 'firewall.policy_updated': {
      const { policy_id, changes } = dataOf(e, 'firewall.policy_updated');
      const p = s.policies[policy_id];
      if (!p) return s;
      const next = { ...s, policies: { ...s.policies, [policy_id]: bump(p, changes, at) } };
      return changes.firewall_rules ? touch(next, groupsUsing(s, new Set([policy_id]))) : next;
    }
    case 'firewall.policy_deleted': {
      const { policy_id } = dataOf(e, 'firewall.policy_deleted');
      const policies = { ...s.policies };
      delete policies[policy_id];
      return { ...s, policies };
    }
    case 'firewall.group_created': {
      const { group } = dataOf(e, 'firewall.group_created');
      return { ...s, groups: { ...s.groups, [group.id]: structuredClone(group) } };
    }
    case 'firewall.group_updated': {
      const { group_id, changes } = dataOf(e, 'firewall.group_updated');
      const g = s.groups[group_id];
      if (!g) return s;
      const after = bump(g, changes, at);
      const enforced = ['ports', 'router_ids', 'admin_state_up', 'ingress_firewall_policy_id', 'egress_firewall_policy_id'].some((k) => k in changes);
      const next = { ...s, groups: { ...s.groups, [group_id]: after } };
      return enforced ? touch(next, [after]) : next;
    }
    case 'firewall.group_deleted': {
      const { group_id } = dataOf(e, 'firewall.group_deleted');
      const groups = { ...s.groups };
      delete groups[group_id];
      return { ...s, groups };
    }
    case 'firewall.group_applied': {
      const { group_id, version } = dataOf(e, 'firewall.group_applied');
      const g = s.groups[group_id];
      if (!g || g.config_version !== version || (g.status !== 'PENDING_CREATE' && g.status !== 'PENDING_UPDATE')) return s;
      return { ...s, groups: { ...s.groups, [group_id]: { ...g, status: 'ACTIVE' } } };
    }
    default:
      return s;
  }
}
