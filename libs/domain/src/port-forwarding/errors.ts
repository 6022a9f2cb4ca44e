/** The port forwarding exceptions of Zed's pf_plugin, message for message. */
import { neutronError } from '../common/errors';
import { badRequest } from '../errors';
import { pyRepr } from '../common/python';
import type { FixedIp } from '../model';

export const badPf = (msg: string) => badRequest('port_forwarding', msg);
export const portForwardingNotFound = (id: string) => neutronError(404, 'PortForwardingNotFound', `Port Forwarding ${id} could not be found.`);
export const filterNotSupported = (key: string) => neutronError(400, 'PortForwardingNotSupportFilterField', `Port Forwarding filter ${key} is not supported.`);
export const fipInUseByPortForwarding = (fipId: string) => neutronError(409, 'FipInUseByPortForwarding', `Floating IP ${fipId} in use by Port Forwarding resources.`);
export const portHasBindingFloatingIp = (f: { id: string; floating_ip_address: string }, portId: string, fixedIp: string) =>
  neutronError(
    409,
    'PortHasBindingFloatingIP',
    `Cannot create port forwarding to floating IP ${f.floating_ip_address} (${f.id}) with port ${portId} using fixed IP ${fixedIp}, as that port already has a binding floating IP.`,
  );
export const portCollision = (key: 'internal_port_range' | 'external_port_range', existing: string, wanted: string) =>
  badPf(`There is a port collision with the ${key}. The following ranges collides: ${existing} and ${wanted}`);
export const invalidRangeRelation = () =>
  badPf('Invalid ranges of internal and/or external ports. The relation between internal and external ports must be N-N or 1-N');
/** Zed answers HTTP 500 for a create without any external port; this is the 400 it means. */
export const externalPortRequired = () => badPf('external_port or external_port_range must be specified');
export const internalPortRequired = () => badPf('internal_port or internal_port_range must be specified');
export const noIpv4OnInternalPort = (portId: string) => badPf(`Requested internal port ${portId} must allocate an IPv4 address at least`);

const fixedIpsRepr = (ips: FixedIp[]) => pyRepr(ips.map((f) => ({ subnet_id: f.subnet_id, ip_address: f.ip_address })));
export const ipNotOnPort = (ip: string, portId: string, v4: FixedIp[]) =>
  badPf(`Requested internal IP address ${ip} is not suitable for internal neutron port ${portId}, as its fixed_ips are ${fixedIpsRepr(v4)}`);
export const updatedIpNotOnPort = (fixedIps: FixedIp[]) =>
  badPf(`The internal IP does not correspond to an address on the internal port, which has fixed_ips ${fixedIpsRepr(fixedIps)}`);
export const unreachable = (networkId: string, subnetId: string, portId: string, fipId: string) =>
  badPf(
    `External network ${networkId} is not reachable from subnet ${subnetId}. Cannot set Port forwarding for port ${portId} with Floating IP ${fipId}`,
  );
export const otherRouter = (fipId: string, routerId: string, portId: string) =>
  badPf(`The Floating IP ${fipId} had been set on router ${routerId}, the internal Neutron port ${portId} can not reach it`);
export const sameInternalOnOtherRouter = (fipId: string, ip: string, port: number | null) =>
  badPf(`Floating IP ${fipId} with params: internal_ip_address: ${ip}, internal_port: ${port ?? 'None'} already exists`);
export const duplicateOnUpdate = (conflict: Record<string, string | number | null>) =>
  badPf(`Another port forwarding entry with the same attributes already exists, conflicting values are ${pyRepr(conflict)}`);
