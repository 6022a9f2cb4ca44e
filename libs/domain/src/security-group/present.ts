import type { Actor } from '../actor';
import { formatTimestamp } from '../common/timestamps';
import type { SecurityGroup, SecurityGroupRule } from '../model';
import { formatCidr, parseCidr } from '@neutrino/netaddr';

/**
 * Groups and rules as Zed shows them, in Zed's order, minus what Neutrino does
 * not implement: `shared` (rbac-security-groups), `standard_attr_id`.
 */
export function presentSecurityGroupRule(r: SecurityGroupRule, _actor?: Actor): Record<string, unknown> {
  return {
    id: r.id,
    tenant_id: r.tenant_id,
    security_group_id: r.security_group_id,
    ethertype: r.ethertype,
    direction: r.direction,
    protocol: r.protocol,
    port_range_min: r.port_range_min,
    port_range_max: r.port_range_max,
    remote_ip_prefix: r.remote_ip_prefix,
    remote_address_group_id: r.remote_address_group_id ?? null,
    normalized_cidr: normalizedCidr(r.remote_ip_prefix),
    remote_group_id: r.remote_group_id,
    description: r.description,
    created_at: formatTimestamp(r.created_at),
    updated_at: formatTimestamp(r.updated_at),
    revision_number: r.revision_number,
    project_id: r.project_id,
  };
}

/** The prefix without host bits (10.1.2.3/24 → 10.1.2.0/24). */
export const normalizedCidr = (prefix: string | null): string | null => {
  const net = prefix ? parseCidr(prefix) : undefined;
  return net ? formatCidr(net) : null;
};

export function presentSecurityGroup(g: SecurityGroup, actor?: Actor): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    stateful: g.stateful !== false,
    tenant_id: g.tenant_id,
    description: g.description,
    // inside the group Zed shows each rule with its (empty) tags
    security_group_rules: g.security_group_rules.map((r) => {
      const { created_at, updated_at, revision_number, project_id, ...head } = presentSecurityGroupRule(r, actor);
      return { ...head, tags: [], created_at, updated_at, revision_number, project_id };
    }),
    tags: [...g.tags],
    created_at: formatTimestamp(g.created_at),
    updated_at: formatTimestamp(g.updated_at),
    revision_number: g.revision_number,
    project_id: g.project_id,
  };
}
