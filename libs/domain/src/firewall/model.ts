/**
 * FWaaS v2 (neutron-fwaas's firewall_v2 API, spec/fwaas.md): rules, policies
 * (ordered rule lists) and firewall groups (an ingress and an egress policy
 * on router-interface ports). All of them live on ONE aggregate,
 * `evt.firewall.fwaas`: their invariants cross objects and projects (a rule in
 * use by another project's policy through sharing, a policy used by a group,
 * a port in one group only), so the one subject serializes them; firewall
 * changes are rare next to port changes.
 */
export const FIREWALL_AGGREGATE_ID = 'fwaas';

export type FirewallAction = 'allow' | 'deny' | 'reject';
export type FirewallProtocol = 'tcp' | 'udp' | 'icmp' | null;
export type FirewallGroupStatus = 'PENDING_CREATE' | 'PENDING_UPDATE' | 'ACTIVE' | 'INACTIVE' | 'DOWN' | 'ERROR';

interface Owned {
  id: string;
  project_id: string;
  tenant_id: string;
  name: string;
  description: string;
  shared: boolean;
  created_at: string;
  updated_at: string;
  revision_number: number;
}

export interface FirewallRule extends Owned {
  protocol: FirewallProtocol;
  ip_version: 4 | 6;
  source_ip_address: string | null;
  destination_ip_address: string | null;
  /** "N" or "N:M" (normalized: "N" when min = max) */
  source_port: string | null;
  destination_port: string | null;
  action: FirewallAction;
  enabled: boolean;
}

export interface FirewallPolicy extends Owned {
  /** order = precedence */
  firewall_rules: string[];
  audited: boolean;
}

export interface FirewallGroup extends Owned {
  ingress_firewall_policy_id: string | null;
  egress_firewall_policy_id: string | null;
  admin_state_up: boolean;
  /** router-interface ports (Neutron's l3 driver) */
  ports: string[];
  status: FirewallGroupStatus;
  /** the project's `default` group (made on first use, cannot be deleted) */
  is_default: boolean;
  /** bumped by every change a fwaas-agent must apply; its report for this version settles the status */
  config_version: number;
  /**
   * FWaaS v1 only (`/v2.0/fw/firewalls`): the firewall's routers. A v1 firewall is a group whose one
   * policy is both its ingress and its egress policy, on every `qr-` interface of these routers
   * (`ports` stays empty). Absent on v2 groups; each API shows only its own kind.
   */
  router_ids?: string[];
}

/** Is this group a v1 firewall? */
export const isV1Firewall = (g: FirewallGroup): g is FirewallGroup & { router_ids: string[] } => Array.isArray(g.router_ids);

/** What a v1 firewall's routers must be (the decider's facts about a router, loaded by the caller). */
export interface FirewallRouterFact {
  id: string;
  project_id: string;
}

export interface FirewallState {
  rules: Record<string, FirewallRule>;
  policies: Record<string, FirewallPolicy>;
  groups: Record<string, FirewallGroup>;
}

export const emptyFirewallState = (): FirewallState => ({ rules: {}, policies: {}, groups: {} });

/** What a group's port must be (the decider's facts about a port, loaded by the caller). */
export interface FirewallPortFact {
  id: string;
  project_id: string;
  device_owner: string;
  device_id: string;
}
