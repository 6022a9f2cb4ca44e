import type { PortForwarding } from './port-forwarding/model';
/**
 * The core resources as the Neutron v2.0 API shows them (attribute names are
 * Neutron's). These are the read-model shapes; events carry the same fields.
 */
export interface Timestamps {
  created_at: string;
  updated_at: string;
  revision_number: number;
}

export interface Network extends Timestamps {
  id: string;
  name: string;
  description: string;
  tenant_id: string;
  project_id: string;
  admin_state_up: boolean;
  status: string;
  shared: boolean;
  'router:external': boolean;
  mtu: number;
  port_security_enabled: boolean;
  /** The network's QoS policy (qos); absent on networks recorded before QoS = null. */
  qos_policy_id?: string | null;
  'provider:network_type': NetworkType;
  'provider:physical_network': string | null;
  'provider:segmentation_id': number | null;
  subnets: string[];
  tags: string[];
  /**
   * Internal, never shown: the deletions pending on the network (its own id,
   * or a subnet's), each marked by `network.deleting`. While one is pending,
   * port creates on the network join its subject (`network.port_joined`).
   */
  deleting?: string[];
  /** Internal: subnets whose deletion was decided on the network's subject (`network.subnet_removed`), until `subnet.deleted`. */
  removed_subnets?: string[];
  /**
   * RBAC policies that share the network with one project (`/v2.0/rbac-policies`,
   * libs/domain/src/rbac). The wildcard ones are `shared` and `router:external`
   * themselves, never stored here.
   */
  rbac?: NetworkRbacEntry[];
}

export type RbacAction = 'access_as_shared' | 'access_as_external';

export interface NetworkRbacEntry {
  id: string;
  /** who made the policy (the network's owner, or an admin's project) */
  project_id: string;
  action: RbacAction;
  target_tenant: string;
}

export type NetworkType = 'flat' | 'vlan' | 'vxlan' | 'local' | 'gre';

export interface AllocationPool {
  start: string;
  end: string;
}

export interface HostRoute {
  destination: string;
  nexthop: string;
}

export type Ipv6Mode = 'dhcpv6-stateful' | 'dhcpv6-stateless' | 'slaac';

export interface Subnet extends Timestamps {
  id: string;
  name: string;
  description: string;
  tenant_id: string;
  project_id: string;
  network_id: string;
  ip_version: 4 | 6;
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: AllocationPool[];
  dns_nameservers: string[];
  host_routes: HostRoute[];
  enable_dhcp: boolean;
  ipv6_ra_mode: Ipv6Mode | null;
  ipv6_address_mode: Ipv6Mode | null;
  subnetpool_id: string | null;
  tags: string[];
}

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

export interface AddressPair {
  ip_address: string;
  mac_address: string;
}

export interface ExtraDhcpOpt {
  opt_name: string;
  opt_value: string;
  ip_version?: number;
}

export interface Port extends Timestamps {
  id: string;
  name: string;
  description: string;
  tenant_id: string;
  project_id: string;
  network_id: string;
  admin_state_up: boolean;
  status: string;
  mac_address: string;
  fixed_ips: FixedIp[];
  device_id: string;
  device_owner: string;
  security_groups: string[];
  port_security_enabled: boolean;
  /** The port's own QoS policy (qos); it wins over its network's. Absent on ports recorded before QoS = null. */
  qos_policy_id?: string | null;
  allowed_address_pairs: AddressPair[];
  extra_dhcp_opts: ExtraDhcpOpt[];
  'binding:host_id': string;
  'binding:profile': Record<string, unknown>;
  'binding:vif_type': string;
  'binding:vif_details': Record<string, unknown>;
  'binding:vnic_type': string;
  tags: string[];
}

export type SecurityGroupDirection = 'ingress' | 'egress';
export type Ethertype = 'IPv4' | 'IPv6';

/** One allow rule of a security group; it lives inside its group's aggregate. */
export interface SecurityGroupRule extends Timestamps {
  id: string;
  security_group_id: string;
  tenant_id: string;
  project_id: string;
  direction: SecurityGroupDirection;
  ethertype: Ethertype;
  /** A protocol name (Zed's list, lower case) or a number 0-255 as a string; null = any. */
  protocol: string | null;
  /** TCP/UDP/SCTP/DCCP/UDPLITE: the first port; ICMP: the type. */
  port_range_min: number | null;
  /** TCP/UDP/…: the last port; ICMP: the code. */
  port_range_max: number | null;
  /** As given, with a prefix length (host bits kept, like Zed); normalized_cidr is derived. */
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  /** An address group's addresses as the remote (security-groups-remote-address-group); absent in rules logged before it existed. */
  remote_address_group_id?: string | null;
  /** null for the rules the system makes (a new group's egress rules, the default group's rules). */
  description: string | null;
}

/** A security group with its rules: one aggregate (evt.security_group.<id>). */
export interface SecurityGroup extends Timestamps {
  id: string;
  name: string;
  /** stateful-security-group: false = no connection tracking for its ports (absent in groups made before: true). */
  stateful?: boolean;
  description: string;
  tenant_id: string;
  project_id: string;
  security_group_rules: SecurityGroupRule[];
  tags: string[];
}

export type ResourceKind = 'network' | 'subnet' | 'port' | 'security_group' | 'security_group_rule' | 'router' | 'floatingip';
export type Resource = Network | Subnet | Port | SecurityGroup | SecurityGroupRule | Router | FloatingIp;

/** A router's external gateway (api-resources §4): the gateway port is a port with device_owner network:router_gateway. */
export interface ExternalGatewayInfo {
  network_id: string;
  enable_snat: boolean;
  external_fixed_ips: FixedIp[];
}

/**
 * A router (evt.router.<id>). Its internal interfaces are ports with
 * device_owner network:router_interface and device_id = the router id; its
 * gateway port has device_owner network:router_gateway.
 */
export interface Router extends Timestamps {
  id: string;
  name: string;
  description: string;
  tenant_id: string;
  project_id: string;
  admin_state_up: boolean;
  status: string;
  external_gateway_info: ExternalGatewayInfo | null;
  routes: HostRoute[];
  distributed: boolean;
  ha: boolean;
  tags: string[];
}

/** A floating IP (evt.floatingip.<id>); it holds a port with device_owner network:floatingip on the external network. */
export interface FloatingIp extends Timestamps {
  id: string;
  description: string;
  tenant_id: string;
  project_id: string;
  floating_network_id: string;
  floating_ip_address: string;
  port_id: string | null;
  fixed_ip_address: string | null;
  router_id: string | null;
  status: string;
  tags: string[];
  /** floating-ip-port-forwarding (absent = none): a floating IP with forwardings has a router_id and no port_id */
  port_forwardings?: PortForwarding[];
}
