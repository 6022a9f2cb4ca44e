import type { AddressUsage } from './address-usage';
/** Which addresses a port asks for (ipam_pluggable_backend / ipam_backend_mixin), with Zed's errors. */
import { neutronError, subnetNotFound } from '../common/errors';
import { invalidInput } from '../errors';
import type { FixedIp, Subnet } from '../model';
import { canonicalIp, firstOf, inCidr, lastOf, parseCidr, parseIp } from '@neutrino/netaddr';
import { ROUTER_INTERFACE_OWNERS, ROUTER_INTERFACE_OWNERS_SNAT, ROUTER_PORT_OWNERS } from '@neutrino/naming';
import { isAutoAddress } from '../subnet/checks';

/** One address to allocate: a given address, or the next free one of the subnet. */
export interface IpRequest {
  subnet_id: string;
  ip_address?: string;
  /** Other subnets of the same kind to try, in order, when subnet_id has no free address (Zed does the same). */
  fallback_subnet_ids?: string[];
  /** SLAAC / DHCPv6-stateless: the address is the EUI-64 of the port's MAC (see eui64Address). */
  eui64?: boolean;
}

export const isAutoAddressSubnet = (s: Subnet): boolean => isAutoAddress(s.ipv6_ra_mode, s.ipv6_address_mode);

/** check_subnet_ip: inside the subnet, not the IPv4 network/broadcast address (nor the IPv6 network address for non-router ports with an owner). */
export function checkSubnetIp(cidrText: string, address: string, deviceOwner: string): boolean {
  const cidr = parseCidr(cidrText)!;
  const ip = parseIp(address);
  if (!ip || !inCidr(cidr, ip)) return false;
  if (cidr.version === 6) return ROUTER_PORT_OWNERS.includes(deviceOwner) || deviceOwner === '' || ip.value !== firstOf(cidr);
  return ip.value !== firstOf(cidr) && ip.value !== lastOf(cidr);
}

export interface FixedIpLookup {
  networkId: string;
  subnets: Subnet[];
  deviceOwner: string;
  /** Whether a subnet id (not on this network) exists and the caller can see it: SubnetNotFound if not, else InvalidInput. */
  subnetExists?: (id: string) => boolean;
}

/** _get_subnet_for_fixed_ip. */
export function subnetForFixedIp(fixed: Record<string, unknown>, ctx: FixedIpLookup): Subnet {
  if (ctx.subnets.length === 0) throw invalidInput('IP allocation requires subnets for network');
  const address = fixed.ip_address as string | undefined;
  if ('subnet_id' in fixed) {
    const id = fixed.subnet_id as string;
    const subnet = ctx.subnets.find((s) => s.id === id);
    if (!subnet) {
      if (ctx.subnetExists && !ctx.subnetExists(id)) throw subnetNotFound(id);
      throw invalidInput(`Failed to create port on network ${ctx.networkId}, because fixed_ips included invalid subnet ${id}`);
    }
    if (address !== undefined && !checkSubnetIp(subnet.cidr, address, ctx.deviceOwner))
      throw neutronError(400, 'InvalidIpForSubnet', `IP address ${address} is not a valid IP for the specified subnet.`);
    return subnet;
  }
  if (address === undefined) throw invalidInput('IP allocation requires subnet_id or ip_address');
  const subnet = ctx.subnets.find((s) => checkSubnetIp(s.cidr, address, ctx.deviceOwner));
  if (!subnet)
    throw neutronError(400, 'InvalidIpForNetwork', `IP address ${address} is not a valid IP for any of the subnets on the specified network.`);
  return subnet;
}

/** _test_fixed_ips_for_port: the requests for the fixed_ips given (auto-address subnets are added separately). */
export function requestsForFixedIps(fixedIps: Array<Record<string, unknown>>, ctx: FixedIpLookup): IpRequest[] {
  const out: IpRequest[] = [];
  for (const fixed of fixedIps) {
    const subnet = subnetForFixedIp(fixed, ctx);
    const auto = isAutoAddressSubnet(subnet);
    if ('ip_address' in fixed) {
      if (auto && !ROUTER_INTERFACE_OWNERS.includes(ctx.deviceOwner))
        throw neutronError(
          400,
          'AllocationOnAutoAddressSubnet',
          `IPv6 address ${fixed.ip_address} cannot be directly assigned to a port on subnet ${subnet.id} as the subnet is configured for automatic addresses`,
        );
      out.push({ subnet_id: subnet.id, ip_address: canonicalIp(fixed.ip_address as string) });
    } else if (ROUTER_INTERFACE_OWNERS_SNAT.includes(ctx.deviceOwner) || !auto) {
      out.push({ subnet_id: subnet.id });
    }
  }
  return out;
}

/** Without fixed_ips: one address from the IPv4 subnets, one from the stateful IPv6 subnets. */
export function implicitRequests(subnets: Subnet[]): IpRequest[] {
  const v4 = subnets.filter((s) => s.ip_version === 4);
  const v6 = subnets.filter((s) => s.ip_version === 6 && !isAutoAddressSubnet(s));
  return [v4, v6]
    .filter((group) => group.length > 0)
    .map(([first, ...rest]) => (rest.length ? { subnet_id: first.id, fallback_subnet_ids: rest.map((s) => s.id) } : { subnet_id: first.id }));
}

/** SLAAC / DHCPv6-stateless subnets give every non-router port an EUI-64 address. */
export function autoAddressRequests(subnets: Subnet[], deviceOwner: string, exclude: string[] = []): IpRequest[] {
  if (ROUTER_INTERFACE_OWNERS_SNAT.includes(deviceOwner)) return [];
  return subnets
    .filter((s) => s.ip_version === 6 && isAutoAddressSubnet(s) && !exclude.includes(s.id))
    .map((s) => ({ subnet_id: s.id, eui64: true }));
}

/** A requested address that another port holds → IpAddressAlreadyAllocated (Zed's answer). */
export function checkAddressesFree(requests: IpRequest[], usage: AddressUsage, own: FixedIp[] = []): void {
  for (const r of requests) {
    if (!r.ip_address) continue;
    const mine = own.some((f) => f.subnet_id === r.subnet_id && canonicalIp(f.ip_address) === r.ip_address);
    if (!mine && usage.ipInUse(r.subnet_id, r.ip_address))
      throw neutronError(409, 'IpAddressAlreadyAllocated', `IP address ${r.ip_address} already allocated in subnet ${r.subnet_id}`);
  }
}
