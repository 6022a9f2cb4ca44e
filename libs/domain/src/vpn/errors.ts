/** neutron-vpnaas's exceptions (neutron_lib/exceptions/vpn.py), message for message. */
import { NeutronError } from '../errors';

const bad = (type: string, message: string) => new NeutronError(400, type, message);
const inUse = (type: string, message: string) => new NeutronError(409, type, message);
const notFound = (type: string, message: string) => new NeutronError(404, type, message);

export const vpnErrors = {
  vpnServiceNotFound: (id: string) => notFound('VPNServiceNotFound', `VPNService ${id} could not be found`),
  connectionNotFound: (id: string) => notFound('IPsecSiteConnectionNotFound', `ipsec_site_connection ${id} not found`),
  ikePolicyNotFound: (id: string) => notFound('IKEPolicyNotFound', `IKEPolicy ${id} could not be found`),
  ipsecPolicyNotFound: (id: string) => notFound('IPsecPolicyNotFound', `IPsecPolicy ${id} could not be found`),
  endpointGroupNotFound: (id: string) => notFound('VPNEndpointGroupNotFound', `Endpoint group ${id} could not be found`),
  routerNotFound: (id: string) => notFound('RouterNotFound', `Router ${id} could not be found`),
  dpdInterval: () => bad('IPsecSiteConnectionDpdIntervalValueError', 'ipsec_site_connection dpd_timeout is equal to or less than dpd_interval'),
  mtu: (mtu: number, version: number) => bad('IPsecSiteConnectionMtuError', `ipsec_site_connection MTU ${mtu} is too small for ipv${version}`),
  peerCidr: (cidr: string) => bad('IPsecSiteConnectionPeerCidrError', `ipsec_site_connection peer cidr ${cidr} is invalid CIDR`),
  /** Not in neutron-vpnaas (it accepts them and the tunnel never carries the traffic): refused here with the two CIDRs. */
  peerCidrOverlaps: (cidr: string, local: string) =>
    bad('IPsecSiteConnectionPeerCidrError', `ipsec_site_connection peer cidr ${cidr} overlaps the local subnet ${local}; the remote encryption domain must lie outside the local one.`),
  ikePolicyInUse: (id: string) => inUse('IKEPolicyInUse', `IKEPolicy ${id} is in use by existing IPsecSiteConnection and can't be updated or deleted`),
  ipsecPolicyInUse: (id: string) => inUse('IPsecPolicyInUse', `IPsecPolicy ${id} is in use by existing IPsecSiteConnection and can't be updated or deleted`),
  vpnServiceInUse: (id: string) => inUse('VPNServiceInUse', `VPNService ${id} is still in use`),
  stateInvalidToUpdate: (id: string, state: string) => bad('VPNStateInvalidToUpdate', `Invalid state ${state} of vpnaas resource ${id} for updating`),
  subnetNotConnected: (subnet: string, router: string) => bad('SubnetIsNotConnectedToRouter', `Subnet ${subnet} is not connected to Router ${router}`),
  routerNotExternal: (router: string) => bad('RouterIsNotExternal', `Router ${router} has no external network gateway set`),
  peerNotResolved: (address: string) => bad('VPNPeerAddressNotResolved', `Peer address ${address} cannot be resolved`),
  externalNoSubnet: (router: string, version: 4 | 6) => bad('ExternalNetworkHasNoSubnet', `Router's ${router} external network has no ${version === 6 ? 'IPv6' : 'IPv4'} subnet`),
  invalidEndpoint: (endpoint: string, type: string, why: string) =>
    bad('InvalidEndpointInEndpointGroup', `Endpoint '${endpoint}' is invalid for group type '${type}': ${why}`),
  missingEndpoints: (group: string) => bad('MissingEndpointForEndpointGroup', `No endpoints specified for endpoint group '${group}'`),
  nonExistingSubnet: (subnet: string) => bad('NonExistingSubnetInEndpointGroup', `Subnet ${subnet} in endpoint group does not exist`),
  mixedEndpoints: (group: string) => bad('MixedIPVersionsForIPSecEndpoints', `Endpoints in group ${group} do not have the same IP version, as required for IPSec site-to-site connection`),
  mixedPeerCidrs: () => bad('MixedIPVersionsForPeerCidrs', 'Peer CIDRs do not have the same IP version, as required for IPSec site-to-site connection'),
  mixedConnection: () => bad('MixedIPVersionsForIPSecConnection', 'IP versions are not compatible between peer and local endpoints'),
  invalidEndpointGroup: (which: string, suffix: string) => bad('InvalidEndpointGroup', `Endpoint group${suffix} ${which} cannot be specified, when VPN Service has subnet specified`),
  wrongEndpointGroupType: (which: string, type: string, expected: string) => bad('WrongEndpointGroupType', `Endpoint group ${which} type is '${type}' and should be '${expected}'`),
  peerCidrsInvalid: () => bad('PeerCidrsInvalid', 'Peer CIDRs cannot be specified, when using endpoint groups'),
  missingPeerCidrs: () => bad('MissingPeerCidrs', 'Missing peer CIDRs for IPsec site-to-site connection'),
  missingEndpointGroup: (which: string, suffix: string) => bad('MissingRequiredEndpointGroup', `Missing endpoint group${suffix} ${which} for IPSec site-to-site connection`),
  endpointGroupInUse: (id: string) => bad('EndpointGroupInUse', `Endpoint group ${id} is in use and cannot be deleted`),
  /** neutron-vpnaas's check_router_in_use (ROUTER_GATEWAY BEFORE_DELETE): l3's RouterInUse with its reason. */
  routerInUseByVpn: (router: string, services: string[]) =>
    inUse('RouterInUse', `Router ${router} is currently used by VPN service${services.length > 1 ? 's' : ''} (${services.join(',')})`),
  /** check_subnet_in_use (ROUTER_INTERFACE BEFORE_DELETE): the service's own subnet, then a local endpoint group's. */
  subnetInUseByService: (subnet: string, service: string) => inUse('SubnetInUseByVPNService', `Subnet ${subnet} is used by VPNService ${service}`),
  subnetInUseByConnection: (subnet: string, connection: string) => inUse('SubnetInUseByIPsecSiteConnection', `Subnet ${subnet} is used by ipsec site connection ${connection}`),
  /** What the strongSwan driver cannot render, said before anything is recorded. */
  unsupported: (what: string) => bad('BadRequest', what),
};
