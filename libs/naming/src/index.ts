// @neutrino/naming: the names agents give devices, namespaces and chains, and the
// device_owner families — shared by the domain, the gateway, the agents and the test bed.
export {
  DEVICE_ID_LENGTH, CHAIN_ID_LENGTH, tapName, qosIfbName, qosDscpChainName, bridgeName, nsDeviceName, qrName, qgName, haName, vxlanName,
  dhcpNetns, routerNetns, chainPrefix, L2_CHAIN_PREFIX, OVS_CHAIN_PREFIX, L3_CHAIN_PREFIX, FILTER_TOP_CHAIN, L3_FORWARD_CHAIN, FWAAS_DEFAULT_CHAIN, fwaasChainName, FWAAS_CHAIN_PREFIXES, portChainName,
  INTEGRATION_BRIDGE, TUNNEL_BRIDGE, PATCH_TUN, PATCH_INT, qbrName, qvbName, qvoName, intBridgePatchName, phyBridgePatchName, tunnelPortName,
} from './devices';
export {
  DEVICE_OWNER_PREFIX, DHCP_OWNER, ROUTER_INTERFACE_OWNER, ROUTER_GATEWAY_OWNER, ROUTER_HA_INTERFACE_OWNER,
  HA_REPLICATED_INTERFACE_OWNER, DVR_INTERFACE_OWNER, ROUTER_SNAT_OWNER, FLOATINGIP_OWNER,
  ROUTER_INTERFACE_OWNERS, ROUTER_INTERFACE_OWNERS_SNAT, ROUTER_PORT_OWNERS, L3_PORT_OWNERS, L3_AGENT_PORT_OWNERS,
  isRouterInterfaceOwner, isTrustedOwner,
} from './owners';
export { FWAAS_AGENT_TYPE, FWAAS_AGENT_BINARY } from './owners';
export { LBAAS_AGENT_BINARY, LBAAS_AGENT_TYPE, LBAAS_VIP_OWNER, LBAAS_V1_VIP_OWNER, isLbaasVipOwner } from './owners';
export { LINUXBRIDGE_AGENT_TYPE, LINUXBRIDGE_AGENT_BINARY, OPENVSWITCH_AGENT_TYPE, OPENVSWITCH_AGENT_BINARY, L2_AGENT_BINARIES } from './owners';
export { lbaasNetns, PF_DEFAULT_CHAIN, pfChainName } from './devices';
