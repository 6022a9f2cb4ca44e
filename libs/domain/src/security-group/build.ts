/** Groups and rules as created: a new group gets two egress rules, the default group four rules. */
import type { Ethertype, SecurityGroup, SecurityGroupDirection, SecurityGroupRule } from '../model';
import type { RuleRequest } from './rule-checks';
import type { SecurityGroupCreateAttrs } from './validate-group';

export const DEFAULT_SG_DESCRIPTION = 'Default security group';

export function buildSecurityGroupRule(r: RuleRequest, ids: { id: string; now: string }): SecurityGroupRule {
  return {
    id: ids.id,
    tenant_id: r.tenant_id,
    security_group_id: r.security_group_id,
    ethertype: r.ethertype,
    direction: r.direction,
    protocol: r.protocol,
    port_range_min: r.port_range_min,
    port_range_max: r.port_range_max,
    remote_ip_prefix: r.remote_ip_prefix,
    remote_group_id: r.remote_group_id,
    remote_address_group_id: r.remote_address_group_id,
    description: r.description,
    created_at: ids.now,
    updated_at: ids.now,
    revision_number: 0,
    project_id: r.project_id,
  };
}

/** A rule the system makes (no protocol, ports or prefix; description null). */
const ruleFields = (
  g: { id: string; project_id: string },
  direction: SecurityGroupDirection,
  ethertype: Ethertype,
  remoteGroupId: string | null,
  ids: { id: string; now: string },
): SecurityGroupRule => ({
  id: ids.id,
  tenant_id: g.project_id,
  security_group_id: g.id,
  ethertype,
  direction,
  protocol: null,
  port_range_min: null,
  port_range_max: null,
  remote_ip_prefix: null,
  remote_group_id: remoteGroupId,
  remote_address_group_id: null,
  description: null,
  created_at: ids.now,
  updated_at: ids.now,
  revision_number: 0,
  project_id: g.project_id,
});

/**
 * A group with its initial rules, in Zed's order: per ethertype (IPv4, then
 * IPv6) the default group's ingress-from-itself rule, then the egress rule.
 * `ruleIds` gives the rule ids in that order (2 for a group, 4 for the default group).
 */
export function buildSecurityGroup(
  attrs: SecurityGroupCreateAttrs,
  ids: { id: string; now: string; ruleIds: string[] },
  isDefault = false,
): SecurityGroup {
  const g = { id: ids.id, project_id: attrs.project_id };
  const ruleIds = [...ids.ruleIds];
  const rules: SecurityGroupRule[] = [];
  for (const ethertype of ['IPv4', 'IPv6'] as const) {
    if (isDefault) rules.push(ruleFields(g, 'ingress', ethertype, ids.id, { id: ruleIds.shift()!, now: ids.now }));
    rules.push(ruleFields(g, 'egress', ethertype, null, { id: ruleIds.shift()!, now: ids.now }));
  }
  return {
    id: ids.id,
    name: attrs.name,
    stateful: attrs.stateful !== false,
    tenant_id: attrs.tenant_id,
    description: attrs.description,
    security_group_rules: rules,
    tags: [],
    created_at: ids.now,
    updated_at: ids.now,
    revision_number: 1,
    project_id: attrs.project_id,
  };
}

/** The project's default group (its id and rule ids are chosen by the caller, e.g. derived from the project). */
export const buildDefaultSecurityGroup = (project: string, ids: { id: string; now: string; ruleIds: string[] }): SecurityGroup =>
  buildSecurityGroup({ name: 'default', description: DEFAULT_SG_DESCRIPTION, tenant_id: project, project_id: project }, ids, true);
