/**
 * The API extensions this gateway really implements (texts as Neutron Zed lists them).
 * An alias is added here only together with the behaviour it announces.
 */
export interface Extension {
  name: string;
  alias: string;
  description: string;
  updated: string;
  links: unknown[];
}

export const EXTENSIONS: Extension[] = [
  { name: 'Allowed Address Pairs', alias: 'allowed-address-pairs', description: 'Provides allowed address pairs', updated: '2013-07-23T10:00:00-00:00', links: [] },
  { name: 'Empty String Filtering Extension', alias: 'empty-string-filtering', description: 'Allow filtering by attributes with empty string value', updated: '2018-05-01T10:00:00-00:00', links: [] },
  { name: 'Neutron external network', alias: 'external-net', description: 'Adds external network attribute to network resource.', updated: '2013-01-14T10:00:00-00:00', links: [] },
  { name: 'Filter parameters validation', alias: 'filter-validation', description: 'Provides validation on filter parameters.', updated: '2018-07-04T10:00:00-00:00', links: [] },
  { name: 'Network MTU', alias: 'net-mtu', description: 'Provides MTU attribute for a network resource.', updated: '2015-03-25T10:00:00-00:00', links: [] },
  { name: 'Pagination support', alias: 'pagination', description: 'Extension that indicates that pagination is enabled.', updated: '2016-06-12T00:00:00-00:00', links: [] },
  { name: 'Port Binding', alias: 'binding', description: 'Expose port bindings of a virtual port to external application', updated: '2014-02-03T10:00:00-00:00', links: [] },
  { name: 'Port Security', alias: 'port-security', description: 'Provides port security', updated: '2012-07-23T10:00:00-00:00', links: [] },
  { name: 'project_id field enabled', alias: 'project-id', description: 'Extension that indicates that project_id field is enabled.', updated: '2016-09-09T09:09:09-09:09', links: [] },
  { name: 'Provider Network', alias: 'provider', description: 'Expose mapping of virtual networks to physical networks', updated: '2012-09-07T10:00:00-00:00', links: [] },
  { name: 'Quota management support', alias: 'quotas', description: 'Expose functions for quotas management per project', updated: '2012-07-29T10:00:00-00:00', links: [] },
  { name: 'Quota details management support', alias: 'quota_details', description: 'Expose functions for quotas usage statistics per project', updated: '2017-02-10T10:00:00-00:00', links: [] },
  { name: 'security-group', alias: 'security-group', description: 'The security groups extension.', updated: '2012-10-05T10:00:00-00:00', links: [] },
  { name: 'If-Match constraints based on revision_number', alias: 'revision-if-match', description: 'Extension indicating that If-Match based on revision_number is supported.', updated: '2016-12-11T00:00:00-00:00', links: [] },
  { name: 'Resource revision numbers', alias: 'standard-attr-revisions', description: 'This extension will display the revision number of neutron resources.', updated: '2016-04-11T10:00:00-00:00', links: [] },
  { name: 'Sorting support', alias: 'sorting', description: 'Extension that indicates that sorting is enabled.', updated: '2016-06-12T00:00:00-00:00', links: [] },
  { name: 'Tag support for resources with standard attribute: port, subnet, network, security_group, router, floatingip', alias: 'standard-attr-tag', description: 'Enables to set tag on resources with standard attribute.', updated: '2017-01-01T00:00:00-00:00', links: [] },
  { name: 'Tag Ports During Bulk Creation', alias: 'tag-ports-during-bulk-creation', description: 'Allow to tag ports during bulk creation', updated: '2019-12-29T19:00:00-00:00', links: [] },
  { name: 'standard-attr-description', alias: 'standard-attr-description', description: 'Extension to add descriptions to standard attributes', updated: '2016-02-10T10:00:00-00:00', links: [] },
  { name: 'Resource timestamps', alias: 'standard-attr-timestamp', description: 'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.', updated: '2016-09-12T10:00:00-00:00', links: [] },
  { name: 'LoadBalancing service', alias: 'lbaas', description: 'Extension for LoadBalancing service', updated: '2012-10-07T10:00:00-00:00', links: [] },
  { name: 'Loadbalancer Agent Scheduler', alias: 'lbaas_agent_scheduler', description: 'Schedule pools among lbaas agents', updated: '2013-02-07T10:00:00-00:00', links: [] },
  { name: 'LoadBalancing service v2', alias: 'lbaasv2', description: 'Extension for LoadBalancing service v2 (Octavia\'s API at /v2/lbaas, neutron-lbaas\'s at /v2.0/lbaas)', updated: '2014-06-18T10:00:00-00:00', links: [] },
  { name: 'VPN service', alias: 'vpnaas', description: 'Extension for VPN service', updated: '2013-05-29T10:00:00-00:00', links: [] },
  { name: 'VPN Endpoint Groups', alias: 'vpn-endpoint-groups', description: 'VPN endpoint groups support', updated: '2015-08-04T10:00:00-00:00', links: [] },
  { name: 'Firewall service', alias: 'fwaas', description: 'Extension for Firewall service', updated: '2013-02-25T10:00:00-00:00', links: [] },
  { name: 'Firewall Router insertion', alias: 'fwaasrouterinsertion', description: 'Firewall Router insertion on specified set of routers', updated: '2015-01-27T10:00:00-00:00', links: [] },
  { name: 'Firewall as a Service v2', alias: 'fwaas_v2', description: 'Extension for Firewall service v2', updated: '2016-08-16T00:00:00-00:00', links: [] },
  { name: 'Trunk Extension', alias: 'trunk', description: 'Provides support for trunk ports', updated: '2016-01-01T10:00:00-00:00', links: [] },
  { name: 'Trunk port details', alias: 'trunk-details', description: 'Expose trunk port details', updated: '2016-01-01T10:00:00-00:00', links: [] },
  { name: 'Address scope', alias: 'address-scope', description: 'Address scopes extension.', updated: '2015-07-26T10:00:00-00:00', links: [] },
  { name: 'Subnet Allocation', alias: 'subnet_allocation', description: 'Enables allocation of subnets from a subnet pool', updated: '2015-03-30T10:00:00-00:00', links: [] },
  { name: 'Subnet Pool Prefix Operations', alias: 'subnetpool-prefix-ops', description: 'Provides support for adjusting the prefix list of subnet pools', updated: '2019-02-08T10:00:00-00:00', links: [] },
  { name: 'Default Subnetpools', alias: 'default-subnetpools', description: 'Provides ability to mark and use a subnetpool as the default.', updated: '2016-02-18T18:00:00-00:00', links: [] },
  { name: 'Subnet Onboard', alias: 'subnet_onboard', description: 'Provides support for onboarding subnets into subnet pools', updated: '2018-12-18T09:00:00-00:00', links: [] },
  { name: 'Add subnetpool type to RBAC', alias: 'rbac-subnetpool', description: 'Add subnetpool type to RBAC', updated: '2020-02-05T00:00:00-00:00', links: [] },
  { name: 'Add address_scope type to RBAC', alias: 'rbac-address-scope', description: 'Add address_scope type to RBAC', updated: '2020-02-12T00:00:00-00:00', links: [] },
  { name: 'agent', alias: 'agent', description: 'The agent management extension.', updated: '2013-02-03T10:00:00-00:00', links: [] },
  { name: 'Neutron Extra DHCP options', alias: 'extra_dhcp_opt', description: 'Extra options configuration for DHCP. For example PXE boot options to DHCP clients can be specified (e.g. tftp-server, server-ip-address, bootfile-name)', updated: '2013-03-17T12:00:00-00:00', links: [] },
  { name: 'Network MTU (writable)', alias: 'net-mtu-writable', description: 'Provides a writable MTU attribute for a network resource.', updated: '2017-07-12T00:00:00-00:00', links: [] },
  { name: 'Stateful security group', alias: 'stateful-security-group', description: 'Indicates if the security group is stateful or not', updated: '2019-11-26T09:00:00-00:00', links: [] },
  { name: 'Normalized CIDR field for security group rules', alias: 'security-groups-normalized-cidr', description: 'Add new field with normalized remote_ip_prefix cidr in SG rule', updated: '2020-07-28T10:00:00-00:00', links: [] },
  { name: 'Floating IP Port Details Extension', alias: 'fip-port-details', description: 'Add port_details attribute to Floating IP resource', updated: '2018-04-09T10:00:00-00:00', links: [] },
  { name: 'Floating IP Port Forwarding', alias: 'floating-ip-port-forwarding', description: 'Allow port forwarding from floating IP port to an internal port', updated: '2018-01-19T10:00:00-00:00', links: [] },
  { name: 'Floating IP Port Forwarding new attribute description', alias: 'floating-ip-port-forwarding-description', description: 'Add a description field to Port Forwarding rules', updated: '2019-11-01T10:00:00-00:00', links: [] },
  { name: 'Floating IP Port Forwarding support port ranges', alias: 'floating-ip-port-forwarding-port-ranges', description: 'Add suport to port ranges', updated: '2020-07-01T10:00:00-00:00', links: [] },
  { name: 'Expose Floating IP port forwardings', alias: 'expose-port-forwarding-in-fip', description: 'Expose port forwarding fields in floating IP response', updated: '2018-06-28T16:00:00-00:00', links: [] },
  { name: 'Floating IP port forwarding detail', alias: 'floating-ip-port-forwarding-detail', description: "Allow list floating ip return more port forwarding data, include'id' and 'internal_port_id'", updated: '2022-05-06T10:00:00-00:00', links: [] },
  { name: 'Port filtering on security groups', alias: 'port-security-groups-filtering', description: 'Provides security groups filtering when listing ports', updated: '2018-01-09T09:00:00-00:00', links: [] },
  { name: 'RBAC Policies', alias: 'rbac-policies', description: 'Allows creation and modification of policies that control tenant access to resources.', updated: '2015-06-17T12:15:12-00:00', links: [] },
  { name: 'Network IP Availability', alias: 'network-ip-availability', description: 'Provides IP availability data for each network and subnet.', updated: '2015-09-24T00:00:00-00:00', links: [] },
  { name: 'Neutron Extra Route', alias: 'extraroute', description: 'Extra routes configuration for L3 router', updated: '2013-02-01T10:00:00-00:00', links: [] },
  { name: 'Neutron L3 Router', alias: 'router', description: 'Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.', updated: '2012-07-20T10:00:00-00:00', links: [] },
  { name: 'Neutron L3 Configurable external gateway mode', alias: 'ext-gw-mode', description: 'Extension of the router abstraction for specifying whether SNAT should occur on the external gateway', updated: '2013-03-28T10:00:00-00:00', links: [] },
  { name: 'HA Router extension', alias: 'l3-ha', description: 'Adds HA capability to routers.', updated: '2014-04-26T00:00:00-00:00', links: [] },
  { name: 'L3 Agent Scheduler', alias: 'l3_agent_scheduler', description: 'Schedule routers among l3 agents', updated: '2013-02-07T10:00:00-00:00', links: [] },
];
