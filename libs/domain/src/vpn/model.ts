/**
 * VPNaaS (spec/vpnaas.md, api-resources.md §10): neutron-vpnaas's objects as
 * this system keeps them. Every VPN object of a project lives on one
 * aggregate, evt.vpn.<project_id>, so "policy in use", "service in use" and
 * "endpoint group in use" are checked and decided on one subject: a
 * connection create and a policy delete can never both win.
 */

export type VpnStatus = 'PENDING_CREATE' | 'PENDING_UPDATE' | 'PENDING_DELETE' | 'ACTIVE' | 'DOWN' | 'ERROR';

export interface Lifetime {
  units: 'seconds';
  value: number;
}

interface VpnObject {
  id: string;
  tenant_id: string;
  project_id: string;
  name: string;
  description: string;
}

export interface IkePolicy extends VpnObject {
  auth_algorithm: string;
  encryption_algorithm: string;
  phase1_negotiation_mode: string;
  lifetime: Lifetime;
  ike_version: 'v1' | 'v2';
  pfs: string;
}

export interface IpsecPolicy extends VpnObject {
  transform_protocol: 'esp' | 'ah' | 'ah-esp';
  auth_algorithm: string;
  encryption_algorithm: string;
  encapsulation_mode: 'tunnel' | 'transport';
  lifetime: Lifetime;
  pfs: string;
}

export interface VpnService extends VpnObject {
  router_id: string;
  subnet_id: string | null;
  flavor_id: string | null;
  admin_state_up: boolean;
  /** The router's gateway addresses when the service was made (the left end of its tunnels). */
  external_v4_ip: string | null;
  external_v6_ip: string | null;
  status: VpnStatus;
}

export interface Dpd {
  action: 'hold' | 'clear' | 'disabled' | 'restart' | 'restart-by-peer';
  interval: number;
  timeout: number;
}

export interface IpsecSiteConnection extends VpnObject {
  vpnservice_id: string;
  ikepolicy_id: string;
  ipsecpolicy_id: string;
  peer_address: string;
  peer_id: string;
  local_id: string;
  peer_cidrs: string[];
  local_ep_group_id: string | null;
  peer_ep_group_id: string | null;
  route_mode: 'static';
  auth_mode: 'psk';
  psk: string;
  initiator: 'bi-directional' | 'response-only';
  mtu: number;
  dpd: Dpd;
  admin_state_up: boolean;
  status: VpnStatus;
  /** Why the agent reports it DOWN or ERROR (not shown by the API; the agent's log has the whole story). */
  status_reason?: string;
}

export interface EndpointGroup extends VpnObject {
  type: 'cidr' | 'subnet' | 'network' | 'router' | 'vlan';
  endpoints: string[];
}

export type VpnKind = 'ikepolicy' | 'ipsecpolicy' | 'vpnservice' | 'ipsec_site_connection' | 'endpoint_group';

export interface VpnKindMap {
  ikepolicy: IkePolicy;
  ipsecpolicy: IpsecPolicy;
  vpnservice: VpnService;
  ipsec_site_connection: IpsecSiteConnection;
  endpoint_group: EndpointGroup;
}

/** One project's VPN objects (the value of evt.vpn.<project_id>). */
export interface VpnProject {
  project_id: string;
  ikepolicy: Record<string, IkePolicy>;
  ipsecpolicy: Record<string, IpsecPolicy>;
  vpnservice: Record<string, VpnService>;
  ipsec_site_connection: Record<string, IpsecSiteConnection>;
  endpoint_group: Record<string, EndpointGroup>;
}

export const VPN_KINDS: VpnKind[] = ['ikepolicy', 'ipsecpolicy', 'vpnservice', 'ipsec_site_connection', 'endpoint_group'];

export const emptyVpnProject = (project_id: string): VpnProject => ({
  project_id, ikepolicy: {}, ipsecpolicy: {}, vpnservice: {}, ipsec_site_connection: {}, endpoint_group: {},
});

/** The statuses an agent reports for one router's VPN: per service and per connection. */
export interface VpnStatusReport {
  router_id: string;
  host: string;
  vpnservices: Record<string, VpnStatus>;
  connections: Record<string, { status: VpnStatus; reason?: string }>;
}
