import * as ipaddr from 'ipaddr.js';
import type { IpSetType, Route } from './types';

/** Canonical text of an address (IPv6 compressed, lower case); input returned as is if it isn't one. */
export function normAddr(addr: string): string {
  return ipaddr.isValid(addr) ? ipaddr.parse(addr).toString() : addr;
}

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

export const isLinkLocal6 = (cidr: string): boolean => {
  const a = cidr.split('/')[0];
  return ipaddr.isValid(a) && ipaddr.parse(a).kind() === 'ipv6' && ipaddr.parse(a).range() === 'linkLocal';
};

export const normMac = (mac: string): string => mac.toLowerCase();

/**
 * An ipset member as `ipset save` prints it: hash:net keeps the network and drops
 * a full-length prefix; hash:ip is a plain address.
 */
export function normSetMember(member: string, type: IpSetType): string {
  if (type === 'hash:ip') return normAddr(member.split('/')[0]);
  const net = networkOf(member);
  const [a, len] = net.split('/');
  return (addrFamily(a) === 4 && len === '32') || (addrFamily(a) === 6 && len === '128') ? a : net;
}

export function routeFamily(r: Route): 4 | 6 {
  if (r.family) return r.family;
  if (r.dst !== 'default') return addrFamily(r.dst);
  return r.via ? addrFamily(r.via) : 4;
}

/** 'default' → `0.0.0.0/0` or `::/0`; host routes get their full prefix length. */
export function routeDst(r: Route): string {
  if (r.dst === 'default') return routeFamily(r) === 6 ? '::/0' : '0.0.0.0/0';
  return networkOf(r.dst);
}

/** sysctl values compare with whitespace collapsed (`32768\t60999` = `32768 60999`). */
export const normSysctl = (v: string): string => v.trim().split(/\s+/).join(' ');
