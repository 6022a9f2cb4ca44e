import { addrFamily, networkOf, normAddr } from '@neutrino/netaddr';
import type { IpSetType, Route } from './types';

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
