/** POST /v2.0/security-group-rules (one rule or the bulk form) and PUT (rules cannot change). */
import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import { parseAttributes } from '../common/attributes';
import { isBulkBody, splitBulkBody, unwrapSingular, unwrapUpdate } from '../common/body';
import { neutronError } from '../common/errors';
import type { SecurityGroup } from '../model';
import type { AddressGroup } from '../address-group/model';
import { addressGroupNotFound, canSeeAddressGroup } from '../address-group/visibility';
import { SECURITY_GROUP_RULE_ATTRS } from './attributes';
import { notSingleGroupRules, rulesNotSingleTenant, securityGroupNotFound } from './errors';
import { RuleRequest, checkRule } from './rule-checks';
import { checkDuplicateRules } from './rule-key';

export interface RuleCreateContext {
  /** The group with this id, whoever owns it (undefined when there is none). */
  findGroup: (id: string) => SecurityGroup | undefined;
  /** The address group with this id, whoever owns it. */
  findAddressGroup?: (id: string) => AddressGroup | undefined;
}

export interface RuleCreatePlan {
  security_group_id: string;
  /** The rules to add, as they will be stored (ids and timestamps come with buildSecurityGroupRule). */
  rules: RuleRequest[];
}

/** _check_security_group: the group exists and the rule's project may use it (admins may use any). */
function usableGroup(id: string, tenant: string, actor: Actor, ctx: RuleCreateContext): SecurityGroup {
  const g = ctx.findGroup(id);
  if (!g || (!isAdmin(actor) && g.project_id !== tenant)) throw securityGroupNotFound(id);
  return g;
}

/** The rule's address group: one the caller may see (its own, or shared with it by a policy). */
function usableAddressGroup(id: string, actor: Actor, ctx: RuleCreateContext): void {
  const g = ctx.findAddressGroup?.(id);
  if (!g || !canSeeAddressGroup(g, actor)) throw addressGroupNotFound(id);
}

export function validateSecurityGroupRuleCreate(body: unknown, actor: Actor, ctx: RuleCreateContext): RuleCreatePlan {
  const bodies = isBulkBody(body, 'security_group_rules') ? splitBulkBody(body, 'security_group_rule', 'security_group_rules') : [body];
  const items = bodies.map((b) => parseAttributes(unwrapSingular(b, 'security_group_rule'), SECURITY_GROUP_RULE_ATTRS, actor, true));
  if (new Set(items.map((i) => i.security_group_id)).size > 1) throw notSingleGroupRules();
  if (new Set(items.map((i) => i.tenant_id)).size > 1) throw rulesNotSingleTenant();
  const rules = items.map((item) => {
    const rule = checkRule({
      security_group_id: item.security_group_id as string,
      tenant_id: item.tenant_id as string,
      project_id: item.project_id as string,
      direction: item.direction as RuleRequest['direction'],
      ethertype: item.ethertype as RuleRequest['ethertype'],
      protocol: item.protocol as string | null,
      port_range_min: item.port_range_min as number | null,
      port_range_max: item.port_range_max as number | null,
      remote_ip_prefix: item.remote_ip_prefix as string | null,
      remote_group_id: item.remote_group_id === null ? null : String(item.remote_group_id),
      remote_address_group_id: item.remote_address_group_id === null ? null : String(item.remote_address_group_id),
      description: item.description as string,
    });
    if (rule.remote_group_id) usableGroup(rule.remote_group_id, rule.tenant_id, actor, ctx);
    if (rule.remote_address_group_id) usableAddressGroup(rule.remote_address_group_id, actor, ctx);
    usableGroup(rule.security_group_id, rule.tenant_id, actor, ctx);
    return rule;
  });
  const group = ctx.findGroup(rules[0].security_group_id)!;
  checkDuplicateRules(group.security_group_rules, rules);
  return { security_group_id: group.id, rules };
}

/**
 * PUT /v2.0/security-group-rules/<id>: Zed refuses every attribute but the
 * description (read-only attributes) and then fails on the description too
 * (HTTP 500, the plugin has no update); we answer that with 501.
 */
export function validateSecurityGroupRuleUpdate(body: unknown, actor: Actor): never {
  parseAttributes(unwrapUpdate(body, 'security_group_rule', 'security_group_rules'), SECURITY_GROUP_RULE_ATTRS, actor, false);
  throw neutronError(501, 'NotImplementedError', 'Security group rules cannot be updated; delete the rule and create a new one.');
}
