import { ROUTER_INTERFACE_OWNERS } from '@neutrino/naming';
import { isAdmin, type Actor } from '../actor';
import { portNotFound } from '../common/errors';
import { routerNotFound } from '../router/errors';
import type { Parsed } from '../common/attributes';
import type { Decider } from '../decider';
import { policyNotAuthorized } from '../errors';
import { event, type CoreEvent } from '../events';
import { fwErrors, fwV1Errors } from './errors';
import { evolveFirewall, pendingStatus, policiesWith } from './evolve';
import { emptyFirewallState, isV1Firewall, type FirewallGroup, type FirewallPolicy, type FirewallPortFact, type FirewallRouterFact, type FirewallRule, type FirewallState } from './model';
import { checkRule } from './validate';

export type FirewallEvent = CoreEvent<
  | 'firewall.rule_created' | 'firewall.rule_updated' | 'firewall.rule_deleted'
  | 'firewall.policy_created' | 'firewall.policy_updated' | 'firewall.policy_deleted'
  | 'firewall.group_created' | 'firewall.group_updated' | 'firewall.group_deleted' | 'firewall.group_applied'
>;

/** Rule info of insert_rule/remove_rule (parsed). */
export interface RuleInfo {
  firewall_rule_id?: string | null;
  insert_before?: string | null;
  insert_after?: string | null;
}

/** The ids a project's default group is made with (the caller's, so a retry makes the same objects). */
export interface DefaultIds {
  group: string;
  ingress: string;
  egress: string;
  rules: [string, string, string, string];
}

/** `api: 'v1'`: the command came through /v2.0/fw (v1's wording, and a rule in at most one policy). */
type Api = { api?: 'v1' };

export type FirewallCommand =
  | ({ type: 'CreateRule'; id: string; attrs: Parsed; actor: Actor; now: string } & Api)
  | ({ type: 'UpdateRule'; id: string; attrs: Parsed; actor: Actor } & Api)
  | ({ type: 'DeleteRule'; id: string; actor: Actor } & Api)
  | ({ type: 'CreatePolicy'; id: string; attrs: Parsed; actor: Actor; now: string } & Api)
  | ({ type: 'UpdatePolicy'; id: string; attrs: Parsed; actor: Actor } & Api)
  | ({ type: 'DeletePolicy'; id: string; actor: Actor } & Api)
  | ({ type: 'InsertRule'; id: string; info: RuleInfo; actor: Actor } & Api)
  | ({ type: 'RemoveRule'; id: string; info: RuleInfo; actor: Actor } & Api)
  /**
   * FWaaS v1 firewalls. `routers`: what the read model knows of each router named (undefined: no
   * such router); `projectRouters`: the routers of the firewall's project, taken when `router_ids`
   * is not given (v1's "every router of the tenant"); `limit`: the project's firewall quota (-1: none).
   */
  | { type: 'CreateFirewall'; id: string; attrs: Parsed; actor: Actor; now: string; routers: Record<string, FirewallRouterFact | undefined>; projectRouters: string[]; limit: number }
  | { type: 'UpdateFirewall'; id: string; attrs: Parsed; actor: Actor; routers: Record<string, FirewallRouterFact | undefined> }
  | { type: 'DeleteFirewall'; id: string; actor: Actor }
  /** `ports`: what the read model knows of each port named (undefined: no such port) */
  | { type: 'CreateGroup'; id: string; attrs: Parsed; actor: Actor; now: string; ports: Record<string, FirewallPortFact | undefined> }
  | { type: 'UpdateGroup'; id: string; attrs: Parsed; actor: Actor; ports: Record<string, FirewallPortFact | undefined> }
  | { type: 'DeleteGroup'; id: string; actor: Actor }
  | { type: 'EnsureDefaultGroup'; project_id: string; ids: DefaultIds; now: string }
  | { type: 'ReportApplied'; group_id: string; host: string; version: number };

/** Neutron's policy for FWaaS: the owner or an admin; a shared rule or policy is visible to all. */
export const canSeeFirewallObject = (o: { project_id: string; shared: boolean }, actor: Actor): boolean => isAdmin(actor) || o.project_id === actor.project_id || o.shared;
const owns = (o: { project_id: string }, actor: Actor) => isAdmin(actor) || o.project_id === actor.project_id;

type Errors = typeof fwErrors;

function visibleRule(s: FirewallState, id: string, actor: Actor, E: Errors = fwErrors): FirewallRule {
  const r = s.rules[id];
  if (!r || !canSeeFirewallObject(r, actor)) throw E.ruleNotFound(id);
  return r;
}
function visiblePolicy(s: FirewallState, id: string, actor: Actor, E: Errors = fwErrors): FirewallPolicy {
  const p = s.policies[id];
  if (!p || !canSeeFirewallObject(p, actor)) throw E.policyNotFound(id);
  return p;
}
/** A v2 group (v1 firewalls are not groups to the v2 API) or a v1 firewall, as the command's API sees them. */
function visibleGroup(s: FirewallState, id: string, actor: Actor, v1 = false): FirewallGroup {
  const g = s.groups[id];
  if (!g || !owns(g, actor) || isV1Firewall(g) !== v1) throw v1 ? fwV1Errors.firewallNotFound(id) : fwErrors.groupNotFound(id);
  return g;
}
const mine = <T extends { project_id: string }>(o: T, actor: Actor, action: string): T => {
  if (!owns(o, actor)) throw policyNotAuthorized(action);
  return o;
};

const pick = (attrs: Parsed, keys: string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in attrs) out[k] = attrs[k];
  return out;
};
const RULE_KEYS = ['name', 'description', 'protocol', 'ip_version', 'source_ip_address', 'destination_ip_address', 'source_port', 'destination_port', 'action', 'enabled', 'shared'];
const POLICY_KEYS = ['name', 'description', 'firewall_rules', 'audited', 'shared'];
const GROUP_KEYS = ['name', 'description', 'ingress_firewall_policy_id', 'egress_firewall_policy_id', 'admin_state_up', 'ports', 'shared'];
const owned = (attrs: Parsed, now: string) => ({
  project_id: attrs.project_id as string, tenant_id: attrs.project_id as string, created_at: now, updated_at: now, revision_number: 0,
});

/** The rules a policy (shared or not, of this project) may hold (neutron-fwaas _check_rules_for_policy_is_valid). */
function checkPolicyRules(s: FirewallState, policy: Pick<FirewallPolicy, 'id' | 'project_id' | 'shared'>, ruleIds: string[], actor: Actor, v1 = false): void {
  const E = v1 ? fwV1Errors : fwErrors;
  for (const id of ruleIds) {
    const r = s.rules[id];
    if (!r || !canSeeFirewallObject(r, actor)) throw E.ruleNotFound(id);
    // v1: a rule belongs to one policy at most (its firewall_policy_id)
    if (v1 && policiesWith(s, id).some((p) => p !== policy.id)) throw E.ruleInUse(id);
    if (policy.shared && !r.shared) throw E.ruleSharingConflict(id, policy.id);
    if (!r.shared && r.project_id !== policy.project_id) throw E.ruleConflict(id, r.project_id);
  }
}

/** A group's policies: visible, and the project's own unless shared (FirewallPolicyConflict). */
function checkGroupPolicies(s: FirewallState, projectId: string, ids: Array<unknown>): void {
  for (const id of ids) {
    if (typeof id !== 'string') continue;
    const p = s.policies[id];
    if (!p) throw fwErrors.policyNotFound(id);
    if (!p.shared && p.project_id !== projectId) throw fwErrors.policyConflict(id);
  }
}

/** A group's ports: router interfaces of the group's project, in no other group. */
function checkGroupPorts(s: FirewallState, groupId: string, projectId: string, ports: string[], facts: Record<string, FirewallPortFact | undefined>): void {
  for (const id of ports) {
    const p = facts[id];
    if (!p) throw portNotFound(id);
    if (!(ROUTER_INTERFACE_OWNERS as readonly string[]).includes(p.device_owner)) throw fwErrors.portInvalid(id);
    if (p.project_id !== projectId) throw fwErrors.portInvalidProject(id, p.project_id);
  }
  const taken = ports.filter((id) => Object.values(s.groups).some((g) => g.id !== groupId && g.ports.includes(id)));
  if (taken.length) throw fwErrors.portInUse(taken);
}

/** A v1 firewall's policy: it exists, and is the firewall's tenant's or shared (FirewallPolicyConflict). */
function checkV1Policy(s: FirewallState, projectId: string, policyId: string): void {
  const p = s.policies[policyId];
  if (!p) throw fwV1Errors.policyNotFound(policyId);
  if (!p.shared && p.project_id !== projectId) throw fwV1Errors.policyConflict(policyId);
}

/** A v1 firewall's routers: they exist for the caller, and no other v1 firewall holds one (FirewallRouterInUse). */
function checkV1Routers(s: FirewallState, firewallId: string, routers: string[], facts: Record<string, FirewallRouterFact | undefined>, actor: Actor): void {
  for (const id of routers) {
    const r = facts[id];
    if (!r || !owns(r, actor)) throw routerNotFound(id);
  }
  const taken = routers.filter((id) => Object.values(s.groups).some((g) => g.id !== firewallId && isV1Firewall(g) && g.router_ids.includes(id)));
  if (taken.length) throw fwV1Errors.routerInUse(taken);
}

function insertAt(s: FirewallState, policy: FirewallPolicy, info: RuleInfo, actor: Actor, v1 = false): string[] {
  const E = v1 ? fwV1Errors : fwErrors;
  const ruleId = info.firewall_rule_id;
  if (!ruleId) throw E.ruleInfoMissing();
  if (policy.firewall_rules.includes(ruleId)) throw E.ruleAlreadyAssociated(ruleId, policy.id);
  checkPolicyRules(s, policy, [ruleId], actor, v1);
  const before = info.insert_before || null;
  const ref = before ?? (info.insert_after || null);
  let at = 0;
  if (ref) {
    const i = policy.firewall_rules.indexOf(ref);
    if (i < 0) throw E.ruleNotAssociated(ref, policy.id);
    at = before ? i : i + 1;
  }
  const list = [...policy.firewall_rules];
  list.splice(at, 0, ruleId);
  return list;
}

function decide(c: FirewallCommand, s: FirewallState): FirewallEvent[] {
  const v1 = 'api' in c && c.api === 'v1';
  const E: Errors = v1 ? fwV1Errors : fwErrors;
  switch (c.type) {
    case 'CreateRule': {
      const rule = { id: c.id, ...owned(c.attrs, c.now), ...pick(c.attrs, RULE_KEYS) } as FirewallRule;
      checkRule(rule, E);
      return [event('firewall.rule_created', { rule })];
    }
    case 'UpdateRule': {
      const rule = mine(visibleRule(s, c.id, c.actor, E), c.actor, 'update_firewall_rule');
      const changes = pick(c.attrs, RULE_KEYS) as Partial<FirewallRule>;
      checkRule({ ...rule, ...changes }, E);
      if (changes.shared === false && rule.shared) {
        for (const p of policiesWith(s, rule.id)) {
          if (!s.policies[p].shared) continue;
          // v1: unsharing a rule another tenant's policy holds is "in use"
          throw v1 ? E.ruleInUse(rule.id) : E.ruleSharingConflict(rule.id, p);
        }
      }
      return [event('firewall.rule_updated', { rule_id: rule.id, changes })];
    }
    case 'DeleteRule': {
      const rule = mine(visibleRule(s, c.id, c.actor, E), c.actor, 'delete_firewall_rule');
      if (policiesWith(s, rule.id).length) throw E.ruleInUse(rule.id);
      return [event('firewall.rule_deleted', { rule_id: rule.id })];
    }
    case 'CreatePolicy': {
      const policy = { id: c.id, ...owned(c.attrs, c.now), ...pick(c.attrs, POLICY_KEYS) } as FirewallPolicy;
      checkPolicyRules(s, policy, policy.firewall_rules, c.actor, v1);
      return [event('firewall.policy_created', { policy })];
    }
    case 'UpdatePolicy': {
      const policy = mine(visiblePolicy(s, c.id, c.actor, E), c.actor, 'update_firewall_policy');
      const changes = pick(c.attrs, POLICY_KEYS) as Partial<FirewallPolicy>;
      const after = { ...policy, ...changes };
      if (changes.firewall_rules) checkPolicyRules(s, after, changes.firewall_rules, c.actor, v1);
      else if (changes.shared && !policy.shared) {
        for (const id of policy.firewall_rules) if (!s.rules[id]?.shared) throw E.policySharingConflict(id, policy.id);
      }
      if (changes.shared === false && policy.shared) {
        const other = Object.values(s.groups).find((g) => g.project_id !== policy.project_id && (g.ingress_firewall_policy_id === policy.id || g.egress_firewall_policy_id === policy.id));
        if (other) throw E.policyInUse(policy.id);
      }
      // neutron-fwaas: any update not naming `audited` resets it
      if (!('audited' in changes)) changes.audited = false;
      return [event('firewall.policy_updated', { policy_id: policy.id, changes })];
    }
    case 'DeletePolicy': {
      const policy = mine(visiblePolicy(s, c.id, c.actor, E), c.actor, 'delete_firewall_policy');
      if (Object.values(s.groups).some((g) => g.ingress_firewall_policy_id === policy.id || g.egress_firewall_policy_id === policy.id)) throw E.policyInUse(policy.id);
      return [event('firewall.policy_deleted', { policy_id: policy.id })];
    }
    case 'InsertRule':
    case 'RemoveRule': {
      const policy = mine(visiblePolicy(s, c.id, c.actor, E), c.actor, c.type === 'InsertRule' ? 'insert_rule' : 'remove_rule');
      let list: string[];
      if (c.type === 'InsertRule') list = insertAt(s, policy, c.info, c.actor, v1);
      else {
        const ruleId = c.info.firewall_rule_id;
        if (!ruleId) throw E.ruleInfoMissing();
        visibleRule(s, ruleId, c.actor, E);
        if (!policy.firewall_rules.includes(ruleId)) throw E.ruleNotAssociated(ruleId, policy.id);
        list = policy.firewall_rules.filter((r) => r !== ruleId);
      }
      return [event('firewall.policy_updated', { policy_id: policy.id, changes: { firewall_rules: list, audited: false } })];
    }
    case 'CreateGroup': {
      const attrs = pick(c.attrs, GROUP_KEYS) as Partial<FirewallGroup>;
      const project = c.attrs.project_id as string;
      if (attrs.name === 'default') throw fwErrors.defaultNameReserved();
      checkGroupPolicies(s, project, [attrs.ingress_firewall_policy_id, attrs.egress_firewall_policy_id]);
      checkGroupPorts(s, c.id, project, attrs.ports ?? [], c.ports);
      const base = { id: c.id, ...owned(c.attrs, c.now), ...attrs, is_default: false, config_version: 1, status: 'PENDING_CREATE' } as FirewallGroup;
      return [event('firewall.group_created', { group: { ...base, status: pendingStatus(base) } })];
    }
    case 'UpdateGroup': {
      const g = visibleGroup(s, c.id, c.actor);
      const changes = pick(c.attrs, GROUP_KEYS) as Partial<FirewallGroup>;
      if (g.is_default && changes.name !== undefined && changes.name !== 'default') throw fwErrors.defaultRestricted(g.id);
      if (!g.is_default && changes.name === 'default') throw fwErrors.defaultNameReserved();
      const policies = ['ingress_firewall_policy_id', 'egress_firewall_policy_id'] as const;
      checkGroupPolicies(s, g.project_id, policies.filter((k) => k in changes).map((k) => changes[k]));
      if (changes.ports) checkGroupPorts(s, g.id, g.project_id, changes.ports, c.ports);
      return [event('firewall.group_updated', { group_id: g.id, changes })];
    }
    case 'DeleteGroup': {
      const g = visibleGroup(s, c.id, c.actor);
      if (g.is_default && !isAdmin(c.actor)) throw fwErrors.cannotRemoveDefault();
      return [event('firewall.group_deleted', { group_id: g.id })];
    }
    case 'CreateFirewall': {
      const project = c.attrs.project_id as string;
      const policyId = c.attrs.firewall_policy_id as string | null;
      if (policyId) checkV1Policy(s, project, policyId);
      if (c.limit >= 0 && Object.values(s.groups).filter((g) => isV1Firewall(g) && g.project_id === project).length >= c.limit) throw fwV1Errors.overQuota();
      const given = c.attrs.router_ids;
      // v1 without router_ids: every router of the tenant (any in use by another firewall refuses the create)
      const routers = Array.isArray(given) ? (given as string[]) : c.projectRouters;
      checkV1Routers(s, c.id, routers, c.routers, c.actor);
      const base: FirewallGroup = {
        id: c.id, ...owned(c.attrs, c.now), name: c.attrs.name as string, description: c.attrs.description as string, shared: c.attrs.shared as boolean,
        ingress_firewall_policy_id: policyId, egress_firewall_policy_id: policyId, admin_state_up: c.attrs.admin_state_up as boolean,
        ports: [], router_ids: [...routers], status: 'PENDING_CREATE', is_default: false, config_version: 1,
      };
      return [event('firewall.group_created', { group: { ...base, status: pendingStatus(base) } })];
    }
    case 'UpdateFirewall': {
      const g = visibleGroup(s, c.id, c.actor, true);
      if (g.status.startsWith('PENDING_')) throw fwV1Errors.pendingState(g.id, g.status);
      const changes: Partial<FirewallGroup> = pick(c.attrs, ['name', 'description', 'admin_state_up', 'shared']);
      if ('firewall_policy_id' in c.attrs) {
        const policyId = c.attrs.firewall_policy_id as string | null;
        if (policyId) checkV1Policy(s, g.project_id, policyId);
        changes.ingress_firewall_policy_id = policyId;
        changes.egress_firewall_policy_id = policyId;
      }
      if (Array.isArray(c.attrs.router_ids)) {
        checkV1Routers(s, g.id, c.attrs.router_ids as string[], c.routers, c.actor);
        changes.router_ids = [...(c.attrs.router_ids as string[])];
      }
      return [event('firewall.group_updated', { group_id: g.id, changes })];
    }
    case 'DeleteFirewall': {
      const g = visibleGroup(s, c.id, c.actor, true);
      return [event('firewall.group_deleted', { group_id: g.id })];
    }
    case 'EnsureDefaultGroup':
      return Object.values(s.groups).some((g) => g.is_default && g.project_id === c.project_id) ? [] : defaultGroupEvents(c.project_id, c.ids, c.now);
    case 'ReportApplied': {
      const g = s.groups[c.group_id];
      if (!g || g.config_version !== c.version || (g.status !== 'PENDING_CREATE' && g.status !== 'PENDING_UPDATE')) return [];
      return [event('firewall.group_applied', { group_id: g.id, host: c.host, version: c.version })];
    }
  }
}

/** neutron-fwaas's default group: ingress drops (both families), egress allows; no ports, INACTIVE. */
function defaultGroupEvents(project: string, ids: DefaultIds, now: string): FirewallEvent[] {
  const base = { project_id: project, tenant_id: project, created_at: now, updated_at: now, revision_number: 0, shared: false };
  const rule = (id: string, dir: 'ingress' | 'egress', v: 4 | 6): FirewallRule => ({
    ...base, id, name: `default ${dir} ipv${v}`, description: `default ${dir} rule for IPv${v}`, protocol: null, ip_version: v,
    source_ip_address: null, destination_ip_address: null, source_port: null, destination_port: null, action: dir === 'ingress' ? 'deny' : 'allow', enabled: true,
  });
  const rules = [rule(ids.rules[0], 'ingress', 4), rule(ids.rules[1], 'ingress', 6), rule(ids.rules[2], 'egress', 4), rule(ids.rules[3], 'egress', 6)];
  const policy = (id: string, dir: 'ingress' | 'egress', r: string[]): FirewallPolicy => ({
    ...base, id, name: `default ${dir}`, description: `Default ${dir} firewall policy`, firewall_rules: r, audited: false,
  });
  const group: FirewallGroup = {
    ...base, id: ids.group, name: 'default', description: 'Default firewall group', ingress_firewall_policy_id: ids.ingress, egress_firewall_policy_id: ids.egress,
    admin_state_up: true, ports: [], status: 'INACTIVE', is_default: true, config_version: 1,
  };
  return [
    ...rules.map((r) => event('firewall.rule_created', { rule: r })),
    event('firewall.policy_created', { policy: policy(ids.ingress, 'ingress', [ids.rules[0], ids.rules[1]]) }),
    event('firewall.policy_created', { policy: policy(ids.egress, 'egress', [ids.rules[2], ids.rules[3]]) }),
    event('firewall.group_created', { group }),
  ];
}

/** The FWaaS aggregate's decider (evt.firewall.fwaas). */
export const firewallDecider: Decider<FirewallCommand, FirewallState, FirewallEvent> = {
  decide,
  evolve: (s, e) => evolveFirewall(s, e),
  initialState: emptyFirewallState,
};
