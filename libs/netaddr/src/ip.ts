import ipaddr from 'ipaddr.js';

/** An IP address as a version and a 32/128-bit integer (BigInt keeps IPv6 math exact). */
export interface Ip {
  version: 4 | 6;
  value: bigint;
}

export const ipBits = (version: 4 | 6): number => (version === 4 ? 32 : 128);

const V4_PART = /^\d+$/;

/**
 * Parses an address the way netaddr does for Neutron: IPv4 in dotted-quad
 * form (leading zeros read as decimal, surrounding blanks ignored), IPv6 as
 * inet_pton reads it (no zone ids). Returns undefined when it is not one.
 */
export function parseIp(text: string): Ip | undefined {
  const s = text.trim();
  if (s.includes(':')) {
    if (s.includes('%') || !ipaddr.IPv6.isValid(s)) return undefined;
    const bytes = ipaddr.IPv6.parse(s).toByteArray();
    return { version: 6, value: bytesToBigInt(bytes) };
  }
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => V4_PART.test(p))) return undefined;
  const octets = parts.map((p) => Number(p));
  if (octets.some((o) => o > 255)) return undefined;
  return { version: 4, value: bytesToBigInt(octets) };
}

/** The canonical text: dotted quad for IPv4, RFC 5952 (netaddr's compact form) for IPv6. */
export function formatIp(ip: Ip): string {
  const bytes = bigIntToBytes(ip.value, ip.version === 4 ? 4 : 16);
  if (ip.version === 4) return bytes.join('.');
  return formatV6(ipaddr.fromByteArray(bytes) as ipaddr.IPv6);
}

/** An IPv6 address in netaddr's compact form (RFC 5952, IPv4-mapped ones as ::ffff:a.b.c.d). */
export function formatV6(v6: ipaddr.IPv6): string {
  if (v6.isIPv4MappedAddress()) return `::ffff:${v6.toIPv4Address().toString()}`;
  return v6.toRFC5952String();
}

export const ipText = (version: 4 | 6, value: bigint): string => formatIp({ version, value });

/** The address canonicalised, or the input unchanged when it does not parse (netaddr's converter). */
export function canonicalIp(text: string): string {
  const ip = parseIp(text);
  return ip && ip.version === 6 ? formatIp(ip) : text;
}

export function bytesToBigInt(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

export function bigIntToBytes(value: bigint, length: number): number[] {
  const out: number[] = new Array(length).fill(0);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export const sameIp = (a: string, b: string): boolean => {
  const x = parseIp(a);
  const y = parseIp(b);
  return !!x && !!y && x.version === y.version && x.value === y.value;
};
