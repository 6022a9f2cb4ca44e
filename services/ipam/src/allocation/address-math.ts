import * as ipaddr from 'ipaddr.js';

/** Addresses as BigInt so IPv4 and IPv6 pools walk the same way. */
export function toBig(ip: string): bigint {
  return ipaddr.parse(ip).toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

export function fromBig(n: bigint, version: 4 | 6): string {
  const len = version === 4 ? 4 : 16;
  const bytes = new Array<number>(len);
  for (let i = len - 1; i >= 0; i--) {
    bytes[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** The canonical text of an address (IPv6 compressed, lower case), as Neutron stores it. */
export const canonicalIp = (ip: string): string => ipaddr.parse(ip).toString();
