import {
  canSeeFloatingIp, canSeeRouter, floatingIpNotFound, presentFloatingIp, presentRouter, routerNotFound, type FloatingIp, type Router,
  canSeeNetwork, canSeePort, canSeeSecurityGroup, canSeeSecurityGroupRule, canSeeSubnet, httpNotFound, notFound, presentNetwork,
  presentPort, trunkDetails, trunkOfPort, presentSecurityGroup, presentSecurityGroupRule, presentSubnet, securityGroupNotFound, securityGroupRuleNotFound,
  type Actor, type NeutronError, type Network, type Port, type ResourceKind, type SecurityGroup, type SecurityGroupRule, type Subnet,
} from '@neutrino/domain';
import type { ReadModel } from './read-model';

/** What the generic read path needs to know of each resource kind. */
export interface KindSpec {
  kind: ResourceKind;
  singular: string;
  plural: string;
  path: string;
  notFound: (id: string) => NeutronError;
  /** What a caller who may not see an existing resource is told (default: notFound). */
  hidden?: (id: string) => NeutronError;
  present: (value: any, actor: Actor, model?: ReadModel) => Record<string, unknown>;
  visible: (value: any, actor: Actor, model: ReadModel) => boolean;
  filterable: ReadonlySet<string>;
  /**
   * Filters on attributes the resource does not store but Zed filters on
   * (a subnet's `shared` is its network's): the value compared, from the
   * stored resource. Zed reads only the first value of such a filter.
   */
  derivedFilters?: Record<string, (value: any, model: ReadModel) => unknown>;
}

/** trunk-details: a trunk's parent port shows the trunk and its subports (with their MACs). */
function withTrunkDetails(view: Record<string, unknown>, p: Port, m: ReadModel | undefined): Record<string, unknown> {
  const use = m?.trunks ? trunkOfPort(m.trunks.value, p.id) : undefined;
  if (use?.role !== 'parent') return view;
  return { ...view, trunk_details: trunkDetails(use.trunk, (id) => m!.ports.get(id)?.value) };
}

/** standard-attr-tag's filters, on every tagged kind (not on security group rules: Zed has no tags there). */
const TAGS = ['tags', 'tags-any', 'not-tags', 'not-tags-any'];
const COMMON = ['id', 'name', 'description', 'tenant_id', 'project_id', 'created_at', 'updated_at', 'revision_number', ...TAGS];

export const NETWORK: KindSpec = {
  kind: 'network',
  singular: 'network',
  plural: 'networks',
  path: '/v2.0/networks',
  notFound: (id) => notFound('NetworkNotFound', `Network ${id} could not be found.`),
  present: (n: Network, a) => presentNetwork(n, a),
  visible: (n: Network, a) => canSeeNetwork(n, a),
  filterable: new Set([...COMMON, 'admin_state_up', 'status', 'shared', 'router:external', 'mtu', 'port_security_enabled', 'qos_policy_id', 'subnets',
    'provider:network_type', 'provider:physical_network', 'provider:segmentation_id']),
};

export const SUBNET: KindSpec = {
  kind: 'subnet',
  singular: 'subnet',
  plural: 'subnets',
  path: '/v2.0/subnets',
  notFound: (id) => notFound('SubnetNotFound', `Subnet ${id} could not be found.`),
  present: (s: Subnet, a) => presentSubnet(s, a),
  visible: (s: Subnet, a, m) => canSeeSubnet(s, m.networks.get(s.network_id)?.value, a),
  filterable: new Set([...COMMON, 'network_id', 'ip_version', 'cidr', 'gateway_ip', 'enable_dhcp', 'ipv6_ra_mode', 'ipv6_address_mode',
    'subnetpool_id', 'dns_nameservers', 'host_routes', 'allocation_pools', 'shared']),
  derivedFilters: { shared: (s: Subnet, m) => !!m.networks.get(s.network_id)?.value.shared },
};

export const PORT: KindSpec = {
  kind: 'port',
  singular: 'port',
  plural: 'ports',
  path: '/v2.0/ports',
  notFound: (id) => notFound('PortNotFound', `Port ${id} could not be found.`),
  present: (p: Port, a, m) => withTrunkDetails(presentPort(p, a, m?.networks.get(p.network_id)?.value), p, m),
  visible: (p: Port, a, m) => canSeePort(p, m.networks.get(p.network_id)?.value, a),
  filterable: new Set([...COMMON, 'network_id', 'admin_state_up', 'status', 'mac_address', 'fixed_ips', 'device_id', 'device_owner',
    'security_groups', 'port_security_enabled', 'qos_policy_id', 'binding:host_id', 'binding:vif_type', 'binding:vnic_type', 'allowed_address_pairs']),
};

export const SECURITY_GROUP: KindSpec = {
  kind: 'security_group',
  singular: 'security_group',
  plural: 'security_groups',
  path: '/v2.0/security-groups',
  notFound: securityGroupNotFound,
  present: (g: SecurityGroup, a) => presentSecurityGroup(g, a),
  visible: (g: SecurityGroup, a) => canSeeSecurityGroup(g, a),
  filterable: new Set([...COMMON]),
};

/** Zed looks rules up with an admin context, then the policy hides other projects' rules behind a plain 404. */
export const SECURITY_GROUP_RULE: KindSpec = {
  kind: 'security_group_rule',
  singular: 'security_group_rule',
  plural: 'security_group_rules',
  path: '/v2.0/security-group-rules',
  notFound: securityGroupRuleNotFound,
  hidden: () => httpNotFound(),
  present: (r: SecurityGroupRule, a) => presentSecurityGroupRule(r, a),
  visible: (r: SecurityGroupRule, a, m) => canSeeSecurityGroupRule(r, m.securityGroups.get(r.security_group_id)?.value, a),
  filterable: new Set(['id', 'tenant_id', 'project_id', 'description', 'created_at', 'updated_at', 'revision_number', 'security_group_id',
    'direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max', 'remote_ip_prefix', 'remote_group_id', 'remote_address_group_id']),
};

export const ROUTER: KindSpec = {
  kind: 'router',
  singular: 'router',
  plural: 'routers',
  path: '/v2.0/routers',
  notFound: routerNotFound,
  present: (r: Router, a) => presentRouter(r, a),
  visible: (r: Router, a) => canSeeRouter(r, a),
  filterable: new Set([...COMMON, 'admin_state_up', 'status', 'distributed', 'ha']),
};

export const FLOATINGIP: KindSpec = {
  kind: 'floatingip',
  singular: 'floatingip',
  plural: 'floatingips',
  path: '/v2.0/floatingips',
  notFound: floatingIpNotFound,
  present: (f: FloatingIp, a, m) => presentFloatingIp(f, a, f.port_id ? m?.ports.get(f.port_id)?.value : undefined),
  visible: (f: FloatingIp, a) => canSeeFloatingIp(f, a),
  filterable: new Set(['id', 'description', 'tenant_id', 'project_id', 'created_at', 'updated_at', 'revision_number', ...TAGS, 'status',
    'floating_ip_address', 'floating_network_id', 'router_id', 'port_id', 'fixed_ip_address']),
};
