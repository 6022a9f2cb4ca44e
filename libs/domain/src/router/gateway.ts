/** external_gateway_info as asked for: which external network, SNAT, and which addresses for the gateway port. */
import { neutronError } from '../common/errors';
import { toBoolean } from '../common/converters';
import { networkNotFound } from '../common/errors';
import type { FixedIp, Network, Subnet } from '../model';
import { canonicalIp } from '@neutrino/netaddr';
import { ROUTER_GATEWAY_OWNER } from '@neutrino/naming';
import { checkSubnetIp, type IpRequest } from '../port/fixed-ips';
import { notExternalNetwork } from './errors';
import { isExternal } from '../rbac/network-rbac';

export interface GatewayRequest {
  network_id: string;
  enable_snat: boolean;
  /** The gateway port's address requests (one per IPv4/IPv6 subnet when none are given). */
  ips: IpRequest[];
  /** Whether external_fixed_ips was given (a change of addresses). */
  fixedIpsGiven: boolean;
}

/** {} and null clear the gateway (undefined: not asked). */
export const clearsGateway = (info: unknown): boolean =>
  info === null || (typeof info === 'object' && Object.keys(info as object).length === 0);

/** _validate_gw_info and the address requests of the gateway port, with Zed's errors. */
export function planGateway(info: Record<string, unknown>, network: Network | undefined, subnets: Subnet[]): GatewayRequest {
  const networkId = info.network_id as string;
  if (!network) throw networkNotFound(networkId);
  if (!isExternal(network)) throw notExternalNetwork(networkId);
  const enable_snat = 'enable_snat' in info ? toBoolean(info.enable_snat) : true;
  const given = info.external_fixed_ips as Array<Record<string, unknown>> | undefined;
  const ips: IpRequest[] = given ? given.map((f) => gatewayIp(f, network.id, subnets)) : defaultGatewayIps(subnets);
  return { network_id: networkId, enable_snat, ips, fixedIpsGiven: !!given };
}

function gatewayIp(f: Record<string, unknown>, networkId: string, subnets: Subnet[]): IpRequest {
  const address = f.ip_address as string | undefined;
  if (f.subnet_id !== undefined) {
    const s = subnets.find((x) => x.id === f.subnet_id);
    if (!s) throw neutronError(400, 'InvalidInput', `Invalid input for operation: Failed to create port on network ${networkId}, because fixed_ips included invalid subnet ${f.subnet_id}.`);
    if (address !== undefined && !checkSubnetIp(s.cidr, address, ROUTER_GATEWAY_OWNER))
      throw neutronError(400, 'InvalidIpForSubnet', `IP address ${address} is not a valid IP for the specified subnet.`);
    return address !== undefined ? { subnet_id: s.id, ip_address: canonicalIp(address) } : { subnet_id: s.id };
  }
  if (address === undefined) throw neutronError(400, 'InvalidInput', 'Invalid input for operation: IP allocation requires subnet_id or ip_address.');
  const s = subnets.find((x) => checkSubnetIp(x.cidr, address, ROUTER_GATEWAY_OWNER));
  if (!s) throw neutronError(400, 'InvalidIpForNetwork', `IP address ${address} is not a valid IP for any of the subnets on the specified network.`);
  return { subnet_id: s.id, ip_address: canonicalIp(address) };
}

/** No addresses given: one from the IPv4 subnets and one from the IPv6 subnets (falling back across subnets). */
export function defaultGatewayIps(subnets: Subnet[]): IpRequest[] {
  return [4, 6]
    .map((v) => subnets.filter((s) => s.ip_version === v))
    .filter((g) => g.length > 0)
    .map(([first, ...rest]) => (rest.length ? { subnet_id: first.id, fallback_subnet_ids: rest.map((s) => s.id) } : { subnet_id: first.id }));
}

export const gatewayInfo = (req: GatewayRequest, fixed_ips: FixedIp[]) => ({
  network_id: req.network_id,
  enable_snat: req.enable_snat,
  external_fixed_ips: fixed_ips.map((f) => ({ subnet_id: f.subnet_id, ip_address: f.ip_address })),
});
