import { Cidr, firstOf, parseCidr } from './cidr';
import ipaddr from 'ipaddr.js';
import { formatV6 } from './ip';

const FORMATS: Array<[RegExp, number]> = [
  [/^[0-9a-f]{1,2}([:-])[0-9a-f]{1,2}(\1[0-9a-f]{1,2}){4}$/i, 6], // fa:16:3e:00:00:01, FA-16-3E-00-00-01
  [/^[0-9a-f]{1,4}([:.])[0-9a-f]{1,4}\1[0-9a-f]{1,4}$/i, 3], // fa16.3e00.0001, fa16:3e00:0001
  [/^[0-9a-f]{1,6}[:-][0-9a-f]{1,6}$/i, 2], // fa163e-000001
  [/^[0-9a-f]{12}$/i, 1], // fa163e000001
];

/** The 48-bit value of a MAC in any form netaddr.valid_mac accepts, or undefined. */
export function parseMac(text: string): bigint | undefined {
  for (const [re, groups] of FORMATS) {
    if (!re.test(text)) continue;
    const width = 12 / groups;
    const parts = text.split(/[:.-]/).map((p) => p.padStart(width, '0'));
    return BigInt(`0x${parts.join('')}`);
  }
  return undefined;
}

export function formatMac(value: bigint): string {
  const hex = value.toString(16).padStart(12, '0');
  return hex.match(/../g)!.join(':');
}

/** netaddr's mac_unix_expanded form ("fa:16:3e:00:00:01"); the input unchanged if it is not a MAC. */
export function sanitizeMac(text: string): string {
  const v = parseMac(text);
  return v === undefined ? text : formatMac(v);
}

const INVALID_MACS = [0n, 0xffffffffffffn];
export const isReservedMac = (value: bigint): boolean => INVALID_MACS.includes(value);

/** The SLAAC (EUI-64) address of a MAC on an IPv6 /64, e.g. fa:16:3e:59:0c:68 → …:f816:3eff:fe59:c68. */
export function eui64Address(cidr: Cidr, mac: string): string {
  const m = parseMac(mac);
  if (m === undefined) throw new Error(`not a MAC address: ${mac}`);
  const prefix = firstOf(cidr) >> 64n;
  const upper = Number(m >> 24n) ^ 0x020000; // flip the universal/local bit
  const lower = Number(m & 0xffffffn);
  // 16-bit parts straight into ipaddr.js (no 128-bit BigInt walk: the l2-agent computes one per filtered port)
  const parts = [0, 1, 2, 3].map((i) => Number((prefix >> BigInt(48 - 16 * i)) & 0xffffn));
  parts.push(upper >> 8, ((upper & 0xff) << 8) | 0xff, 0xfe00 | (lower >> 16), lower & 0xffff);
  return formatV6(new ipaddr.IPv6(parts));
}

const LINK_LOCAL = parseCidr('fe80::/64')!;
/** The IPv6 link-local address of a MAC (fe80::/64 + its EUI-64). */
export const linkLocalAddress = (mac: string): string => eui64Address(LINK_LOCAL, mac);
