/** The checks of _validate_subnet shared by create and update (db_base_plugin_v2), with Zed's messages. */
import type { DomainConfig } from '../config';
import { invalidInput } from '../errors';
import { neutronError } from '../common/errors';
import type { HostRoute } from '../model';
import { Cidr, firstOf, inCidr, lastOf, parseCidr, parseIp } from '@neutrino/netaddr';

export function checkIpVersion(version: number, addr: string, name: string): void {
  const v = addr.includes('/') || name === 'destination' ? parseCidr(addr)?.version : parseIp(addr)?.version;
  if (v !== version) throw invalidInput(`${name} '${addr}' does not match the ip_version '${version}'`);
}

/** A DHCP-enabled subnet must have room for DHCP and be a unicast, non-loopback, non-0.0.0.0 block. */
export function checkDhcpCompatible(cidr: Cidr): void {
  if ((cidr.version === 4 && cidr.prefixlen > 30) || (cidr.version === 6 && cidr.prefixlen > 126))
    throw invalidInput('Subnet has a prefix length that is incompatible with DHCP service enabled');
  const net = firstOf(cidr);
  const multicast = cidr.version === 4 ? net >> 28n === 0xen : net >> 120n === 0xffn;
  if (multicast) throw invalidInput('Multicast IP subnet is not supported if enable_dhcp is True');
  const loopback =
    cidr.version === 4 ? net >> 24n === 127n && lastOf(cidr) >> 24n === 127n : net === 1n && cidr.prefixlen === 128;
  if (loopback) throw invalidInput('Loopback IP subnet is not supported if enable_dhcp is True');
  if (cidr.version === 4 && net === 0n)
    throw invalidInput("First IP '0.0.0.0' of network is not supported if enable_dhcp is True.");
}

/** check_gateway_invalid_in_subnet: inside the subnet it may not be the IPv4 network or broadcast address. */
export function gatewayInvalidInSubnet(cidr: Cidr, gateway: string): boolean {
  const ip = parseIp(gateway);
  if (!ip || !inCidr(cidr, ip)) return false;
  return cidr.version === 4 && (ip.value === firstOf(cidr) || ip.value === lastOf(cidr));
}

export function checkGateway(cidr: Cidr, gateway: string): void {
  checkIpVersion(cidr.version, gateway, 'gateway_ip');
  if (gatewayInvalidInSubnet(cidr, gateway)) throw invalidInput('Gateway is not valid on subnet');
}

export function checkNameservers(servers: string[], version: number, subnetId: string, cfg: DomainConfig): void {
  if (servers.length > cfg.maxDnsNameservers)
    throw neutronError(
      400,
      'DNSNameServersExhausted',
      `Unable to complete operation for ${subnetId}. The number of DNS nameservers exceeds the limit ${cfg.maxDnsNameservers}.`,
    );
  for (const dns of servers) checkIpVersion(version, dns, 'dns_nameserver');
}

export function checkHostRoutes(routes: HostRoute[], version: number, subnetId: string, cfg: DomainConfig): void {
  if (routes.length > cfg.maxSubnetHostRoutes)
    throw neutronError(
      400,
      'HostRoutesExhausted',
      `Unable to complete operation for ${subnetId}. The number of host routes exceeds the limit ${cfg.maxSubnetHostRoutes}.`,
    );
  for (const rt of routes) {
    checkIpVersion(version, rt.nexthop, 'nexthop');
    checkIpVersion(version, rt.destination, 'destination');
  }
}

/** Creation-time rules for ipv6_ra_mode / ipv6_address_mode. */
export function checkIpv6Modes(
  version: number,
  ra: string | null,
  addr: string | null,
  enableDhcp: boolean,
  cidr: Cidr,
  cidrText: string,
): void {
  if (version === 4) {
    if (ra !== null) throw invalidInput('ipv6_ra_mode is not valid when ip_version is 4');
    if (addr !== null) throw invalidInput('ipv6_address_mode is not valid when ip_version is 4');
    return;
  }
  if ((ra !== null || addr !== null) && !enableDhcp)
    throw invalidInput('ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False');
  if (ra !== null && addr !== null && ra !== addr)
    throw invalidInput(
      `ipv6_ra_mode set to '${ra}' with ipv6_address_mode set to '${addr}' is not valid. If both attributes are set, they must be the same value`,
    );
  if (isAutoAddress(ra, addr) && cidr.prefixlen !== 64)
    throw invalidInput(
      `Invalid CIDR ${cidrText} for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64`,
    );
}

/** ipv6_utils.is_auto_address_subnet: SLAAC or DHCPv6-stateless addressing. */
const AUTO_MODES = ['slaac', 'dhcpv6-stateless'];
export const isAutoAddress = (ra: string | null, addr: string | null): boolean =>
  AUTO_MODES.includes(addr ?? '') || AUTO_MODES.includes(ra ?? '');
