import { Ip, formatIp, ipBits, parseIp } from './ip';

/** A CIDR as netaddr.IPNetwork keeps it: the address as written (host bits may be set) and the prefix. */
export interface Cidr {
  version: 4 | 6;
  ip: bigint;
  prefixlen: number;
}

export const hostMask = (c: Pick<Cidr, 'version' | 'prefixlen'>): bigint =>
  (1n << BigInt(ipBits(c.version) - c.prefixlen)) - 1n;
export const firstOf = (c: Cidr): bigint => c.ip & ~hostMask(c);
export const lastOf = (c: Cidr): bigint => firstOf(c) | hostMask(c);
export const sizeOf = (c: Cidr): bigint => hostMask(c) + 1n;
export const inCidr = (c: Cidr, ip: Ip): boolean =>
  ip.version === c.version && ip.value >= firstOf(c) && ip.value <= lastOf(c);

/** "10.0.0.5/24" as written (host bits kept) — netaddr's str(IPNetwork). */
export const formatCidrAsWritten = (c: Cidr): string => `${formatIp({ version: c.version, value: c.ip })}/${c.prefixlen}`;
/** "10.0.0.0/24" — the network address and prefix. */
export const formatCidr = (c: Cidr): string => `${formatIp({ version: c.version, value: firstOf(c) })}/${c.prefixlen}`;

const DECIMAL = /^\d+$/;

/**
 * Parses a CIDR as leniently as netaddr.IPNetwork does for Neutron's cidr
 * attribute: blanks around it, partial IPv4 ("10/8", "10.1/16"), leading
 * zeros, a missing prefix (a host route), and a netmask or hostmask in
 * place of the prefix length. Undefined when netaddr would not take it.
 */
export function parseCidr(text: string): Cidr | undefined {
  const s = text.trim();
  const slash = s.indexOf('/');
  const addrPart = slash < 0 ? s : s.slice(0, slash);
  const maskPart = slash < 0 ? undefined : s.slice(slash + 1);
  const ip = addrPart.includes(':') ? parseIp(addrPart) : parseIp(expandPartialV4(addrPart) ?? '');
  if (!ip) return undefined;
  const bits = ipBits(ip.version);
  if (maskPart === undefined) return { version: ip.version, ip: ip.value, prefixlen: bits };
  let prefixlen: number | undefined;
  if (DECIMAL.test(maskPart)) prefixlen = Number(maskPart);
  else if (ip.version === 4) prefixlen = prefixFromMask(maskPart);
  if (prefixlen === undefined || prefixlen > bits) return undefined;
  return { version: ip.version, ip: ip.value, prefixlen };
}

function expandPartialV4(addr: string): string | undefined {
  const parts = addr.split('.');
  if (parts.length < 1 || parts.length > 4 || !parts.every((p) => DECIMAL.test(p))) return undefined;
  while (parts.length < 4) parts.push('0');
  return parts.join('.');
}

function prefixFromMask(mask: string): number | undefined {
  const m = parseIp(mask);
  if (!m || m.version !== 4) return undefined;
  const bin = m.value.toString(2).padStart(32, '0');
  if (/^1*0*$/.test(bin)) return bin.indexOf('0') < 0 ? 32 : bin.indexOf('0');
  if (/^0*1*$/.test(bin)) return bin.indexOf('1') < 0 ? 32 : bin.indexOf('1');
  return undefined;
}

export const cidrOverlaps = (a: Cidr, b: Cidr): boolean =>
  a.version === b.version && firstOf(a) <= lastOf(b) && firstOf(b) <= lastOf(a);

