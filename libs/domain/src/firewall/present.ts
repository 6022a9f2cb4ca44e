import { isV1Firewall, type FirewallGroup, type FirewallPolicy, type FirewallRule, type FirewallState } from './model';
import { policiesWith } from './evolve';

const std = (o: { id: string; project_id: string; tenant_id: string; name: string; description: string; shared: boolean; created_at: string; updated_at: string; revision_number: number }) => ({
  id: o.id, tenant_id: o.tenant_id, project_id: o.project_id, name: o.name, description: o.description, shared: o.shared,
});
const stamps = (o: { created_at: string; updated_at: string; revision_number: number }) => ({ created_at: o.created_at, updated_at: o.updated_at, revision_number: o.revision_number });

/** A rule as /v2.0/fwaas shows it; `firewall_policy_id` lists the policies holding it (null: none). */
export function presentFirewallRule(r: FirewallRule, s: FirewallState): Record<string, unknown> {
  const policies = policiesWith(s, r.id);
  return {
    ...std(r), protocol: r.protocol, ip_version: r.ip_version, source_ip_address: r.source_ip_address, destination_ip_address: r.destination_ip_address,
    source_port: r.source_port, destination_port: r.destination_port, action: r.action, enabled: r.enabled, firewall_policy_id: policies.length ? policies : null, ...stamps(r),
  };
}

export const presentFirewallPolicy = (p: FirewallPolicy): Record<string, unknown> => ({ ...std(p), firewall_rules: [...p.firewall_rules], audited: p.audited, ...stamps(p) });

export const presentFirewallGroup = (g: FirewallGroup): Record<string, unknown> => ({
  ...std(g), ingress_firewall_policy_id: g.ingress_firewall_policy_id, egress_firewall_policy_id: g.egress_firewall_policy_id,
  admin_state_up: g.admin_state_up, ports: [...g.ports], status: g.status, ...stamps(g),
});

/**
 * FWaaS v1 (`/v2.0/fw/...`, neutron-fwaas's firewall_db.py dicts): no standard attributes; a rule
 * shows the one policy holding it and its 1-based `position` there; a policy lists the v1
 * firewalls using it (`firewall_list`); a firewall its one policy and its routers (`exists` drops
 * routers deleted since: v1's association rows went with their router).
 */
export function presentFirewallRuleV1(r: FirewallRule, s: FirewallState): Record<string, unknown> {
  const policy = policiesWith(s, r.id)[0] ?? null;
  const position = policy ? s.policies[policy].firewall_rules.indexOf(r.id) + 1 : null;
  return {
    ...std(r), protocol: r.protocol, ip_version: r.ip_version, source_ip_address: r.source_ip_address, destination_ip_address: r.destination_ip_address,
    source_port: r.source_port, destination_port: r.destination_port, action: r.action, enabled: r.enabled, firewall_policy_id: policy, position,
  };
}

export const presentFirewallPolicyV1 = (p: FirewallPolicy, s: FirewallState): Record<string, unknown> => ({
  ...std(p), firewall_rules: [...p.firewall_rules], audited: p.audited,
  firewall_list: Object.values(s.groups).filter((g) => isV1Firewall(g) && g.ingress_firewall_policy_id === p.id).map((g) => g.id).sort(),
});

export function presentFirewallV1(g: FirewallGroup, exists: (routerId: string) => boolean = () => true): Record<string, unknown> {
  const { shared: _hidden, ...rest } = std(g);
  return {
    ...rest, admin_state_up: g.admin_state_up, status: g.status, firewall_policy_id: g.ingress_firewall_policy_id,
    router_ids: (g.router_ids ?? []).filter(exists),
  };
}
