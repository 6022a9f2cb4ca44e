/*
 * The device_owner families (neutron_lib.constants): which ports a router, the
 * DHCP agent or a floating IP holds, and which owners are trusted.
 */

export const DEVICE_OWNER_PREFIX = 'network:';
export const DHCP_OWNER = 'network:dhcp';
export const ROUTER_INTERFACE_OWNER = 'network:router_interface';
export const ROUTER_GATEWAY_OWNER = 'network:router_gateway';
export const ROUTER_HA_INTERFACE_OWNER = 'network:router_ha_interface';
export const HA_REPLICATED_INTERFACE_OWNER = 'network:ha_router_replicated_interface';
export const DVR_INTERFACE_OWNER = 'network:router_interface_distributed';
export const ROUTER_SNAT_OWNER = 'network:router_centralized_snat';
export const FLOATINGIP_OWNER = 'network:floatingip';

/** ROUTER_INTERFACE_OWNERS: a router's interfaces, legacy, HA and distributed. */
export const ROUTER_INTERFACE_OWNERS: readonly string[] = [ROUTER_INTERFACE_OWNER, HA_REPLICATED_INTERFACE_OWNER, DVR_INTERFACE_OWNER];
/** ROUTER_INTERFACE_OWNERS_SNAT: the interfaces and the DVR SNAT port. */
export const ROUTER_INTERFACE_OWNERS_SNAT: readonly string[] = [...ROUTER_INTERFACE_OWNERS, ROUTER_SNAT_OWNER];
/** ROUTER_PORT_OWNERS: every port of a router, the gateway included. */
export const ROUTER_PORT_OWNERS: readonly string[] = [...ROUTER_INTERFACE_OWNERS_SNAT, ROUTER_GATEWAY_OWNER];
/** Ports the l3 plugin holds and the port API may not delete (l3_db.prevent_l3_port_deletion). */
export const L3_PORT_OWNERS: readonly string[] = [
  ROUTER_INTERFACE_OWNER, ROUTER_GATEWAY_OWNER, FLOATINGIP_OWNER, ROUTER_HA_INTERFACE_OWNER, DVR_INTERFACE_OWNER, ROUTER_SNAT_OWNER,
];
/** What a legacy or HA router plugs on an l3-agent host: interfaces, the gateway, the HA port. */
export const L3_AGENT_PORT_OWNERS: readonly string[] = [ROUTER_INTERFACE_OWNER, ROUTER_GATEWAY_OWNER, ROUTER_HA_INTERFACE_OWNER];

export const isRouterInterfaceOwner = (deviceOwner: string): boolean => ROUTER_INTERFACE_OWNERS.includes(deviceOwner);

/** A port of the network itself (`network:*`): trusted, no security groups, not an instance (port_security's is_trusted). */
export const isTrustedOwner = (deviceOwner: string): boolean => deviceOwner.startsWith(DEVICE_OWNER_PREFIX);

/** A load balancer's VIP port (neutron-lbaas v2's owner; not `network:*`, so its security groups apply). */
export const LBAAS_VIP_OWNER = 'neutron:LOADBALANCERV2';
/** A v1 VIP's port (`lb-vip-create`; neutron-lbaas v1's HAProxy driver's owner). */
export const LBAAS_V1_VIP_OWNER = 'neutron:LOADBALANCER';
export const isLbaasVipOwner = (deviceOwner: string): boolean => deviceOwner === LBAAS_VIP_OWNER || deviceOwner === LBAAS_V1_VIP_OWNER;

/** The lbaas-agent as GET /v2.0/agents shows it (neutron-lbaas v2's agent type and binary). */
export const LBAAS_AGENT_TYPE = 'Loadbalancerv2 agent';
export const LBAAS_AGENT_BINARY = 'neutron-lbaasv2-agent';

/** The l2-agent as GET /v2.0/agents shows it, per mechanism (NEUTRINO_L2_MECHANISM): Neutron's agent types, our binaries. */
export const LINUXBRIDGE_AGENT_TYPE = 'Linux bridge agent';
export const LINUXBRIDGE_AGENT_BINARY = 'neutrino-linuxbridge-agent';
export const OPENVSWITCH_AGENT_TYPE = 'Open vSwitch agent';
export const OPENVSWITCH_AGENT_BINARY = 'neutrino-openvswitch-agent';
/** The binaries of the l2-agents, whichever mechanism: their registrations carry the hosts' tunnel endpoints. */
export const L2_AGENT_BINARIES: readonly string[] = [LINUXBRIDGE_AGENT_BINARY, OPENVSWITCH_AGENT_BINARY];

/** The fwaas-agent (Neutron runs FWaaS inside its l3 agent; here it is an agent of its own beside it). */
export const FWAAS_AGENT_TYPE = 'Firewall agent';
export const FWAAS_AGENT_BINARY = 'neutron-fwaas-agent';
