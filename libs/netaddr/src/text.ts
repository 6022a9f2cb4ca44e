import * as ipaddr from 'ipaddr.js';

/*
 * Address text as the kernel and iproute2 print it: the helpers the dataplane
 * and the agents compare desired against observed state with. Unlike parseIp
 * (netaddr's strict reading of API input) they take whatever ipaddr.js takes.
 */

/** Canonical text of an address (IPv6 compressed, lower case); input returned as is if it isn't one. */
export function normAddr(addr: string): string {
  return ipaddr.isValid(addr) ? ipaddr.parse(addr).toString() : addr;
}

/** The family of an address or a CIDR (4 when it is neither). */
export function addrFamily(addr: string): 4 | 6 {
  const a = addr.split('/')[0];
  return ipaddr.isValid(a) && ipaddr.parse(a).kind() === 'ipv6' ? 6 : 4;
}

/** `10.0.0.1` → `10.0.0.1/32`; `2001:DB8::1/64` → `2001:db8::1/64` (host bits kept). */
export function normCidr(cidr: string): string {
  const [a, len] = cidr.split('/');
  if (!ipaddr.isValid(a)) return cidr;
  const addr = ipaddr.parse(a);
  const bits = len === undefined ? (addr.kind() === 'ipv6' ? 128 : 32) : Number(len);
  return `${addr.toString()}/${bits}`;
}

/** The network of a CIDR (`10.0.0.5/24` → `10.0.0.0/24`). */
export function networkOf(cidr: string): string {
  const c = normCidr(cidr);
  const [addr, len] = ipaddr.parseCIDR(c);
  const net = addr.kind() === 'ipv6' ? ipaddr.IPv6.networkAddressFromCIDR(c) : ipaddr.IPv4.networkAddressFromCIDR(c);
  return `${net.toString()}/${len}`;
}

/** The prefix length of a CIDR (`10.0.0.0/24` → 24; a bare address is a host route). */
export function prefixLength(cidr: string): number {
  return Number(normCidr(cidr).split('/')[1]);
}

/** How many addresses a CIDR holds (a Number: 2^64 for an IPv6 /64 is approximate). */
export function cidrSize(cidr: string): number {
  return 2 ** ((addrFamily(cidr) === 6 ? 128 : 32) - prefixLength(cidr));
}

export const isLinkLocal6 = (cidr: string): boolean => {
  const a = cidr.split('/')[0];
  return ipaddr.isValid(a) && ipaddr.parse(a).kind() === 'ipv6' && ipaddr.parse(a).range() === 'linkLocal';
};

/** A MAC as the kernel prints it (lower case). */
export const normMac = (mac: string): string => mac.toLowerCase();
