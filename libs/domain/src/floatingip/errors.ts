/** The floating IP exceptions of Zed's l3 API, message for message. */
import { neutronError } from '../common/errors';
import { badRequest } from '../errors';

export const floatingIpNotFound = (id: string) => neutronError(404, 'FloatingIPNotFound', `Floating IP ${id} could not be found`);
export const badFipRequest = (msg: string) => badRequest('floatingip', msg);
export const notValidExternal = (networkId: string) => badFipRequest(`Network ${networkId} is not a valid external network`);
export const noIpv4Subnet = (networkId: string) => badFipRequest(`Network ${networkId} does not contain any IPv4 subnet`);
export const fixedIpWithoutPort = () => badFipRequest('fixed_ip_address cannot be specified without a port_id');
export const portLacksFixedIp = (portId: string, address: string) => badFipRequest(`Port ${portId} does not have fixed ip ${address}`);
export const multipleIpv4 = (portId: string) =>
  badFipRequest(`Port ${portId} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP`);
export const noIpv4OnPort = (portId: string) => badFipRequest(`Cannot add floating IP to port ${portId} that has no fixed IPv4 addresses`);
export const otherTenantPort = (portId: string) =>
  badFipRequest(`Cannot create floating IP and bind it to Port ${portId}, since that port is owned by a different tenant`);
export const subnetWithoutGateway = (subnetId: string) => badFipRequest(`Cannot add floating IP to port on subnet ${subnetId} which has no gateway_ip`);
export const gatewayNotFound = (networkId: string, subnetId: string, portId: string) =>
  neutronError(
    404,
    'ExternalGatewayForFloatingIPNotFound',
    `External network ${networkId} is not reachable from subnet ${subnetId}.  Therefore, cannot associate Port ${portId} with a Floating IP.`,
  );
export const portAlreadyAssociated = (f: { id: string; floating_ip_address: string; floating_network_id: string }, portId: string, fixedIp: string) =>
  neutronError(
    409,
    'FloatingIPPortAlreadyAssociated',
    `Cannot associate floating IP ${f.floating_ip_address} (${f.id}) with port ${portId} using fixed IP ${fixedIp}, ` +
      `as that fixed IP already has a floating IP on external network ${f.floating_network_id}.`,
  );
