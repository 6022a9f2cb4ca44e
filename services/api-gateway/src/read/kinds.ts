import {
  canSeeNetwork, canSeePort, canSeeSubnet, notFound, presentNetwork, presentPort, presentSubnet,
  type Actor, type NeutronError, type Network, type Port, type ResourceKind, type Subnet,
} from '@neutrino/domain';
import type { ReadModel } from './read-model';

/** What the generic read path needs to know of each resource kind. */
export interface KindSpec {
  kind: ResourceKind;
  singular: string;
  plural: string;
  path: string;
  notFound: (id: string) => NeutronError;
  present: (value: any, actor: Actor) => Record<string, unknown>;
  visible: (value: any, actor: Actor, model: ReadModel) => boolean;
  filterable: ReadonlySet<string>;
}

const COMMON = ['id', 'name', 'description', 'tenant_id', 'project_id', 'created_at', 'updated_at', 'revision_number', 'tags'];

export const NETWORK: KindSpec = {
  kind: 'network',
  singular: 'network',
  plural: 'networks',
  path: '/v2.0/networks',
  notFound: (id) => notFound('NetworkNotFound', `Network ${id} could not be found.`),
  present: (n: Network, a) => presentNetwork(n, a),
  visible: (n: Network, a) => canSeeNetwork(n, a),
  filterable: new Set([...COMMON, 'admin_state_up', 'status', 'shared', 'router:external', 'mtu', 'port_security_enabled', 'subnets',
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
    'subnetpool_id', 'dns_nameservers', 'host_routes', 'allocation_pools']),
};

export const PORT: KindSpec = {
  kind: 'port',
  singular: 'port',
  plural: 'ports',
  path: '/v2.0/ports',
  notFound: (id) => notFound('PortNotFound', `Port ${id} could not be found.`),
  present: (p: Port, a) => presentPort(p, a),
  visible: (p: Port, a, m) => canSeePort(p, m.networks.get(p.network_id)?.value, a),
  filterable: new Set([...COMMON, 'network_id', 'admin_state_up', 'status', 'mac_address', 'fixed_ips', 'device_id', 'device_owner',
    'security_groups', 'port_security_enabled', 'binding:host_id', 'binding:vif_type', 'binding:vnic_type', 'allowed_address_pairs']),
};
