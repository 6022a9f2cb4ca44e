// @neutrino/netaddr: the one home of address math (on ipaddr.js) — addresses,
// CIDRs, ranges, MACs and EUI-64 — for the domain, ipam, the dataplane and the agents.
export { parseIp, formatIp, ipText, canonicalIp, sameIp, ipBits, bytesToBigInt, bigIntToBytes } from './ip';
export type { Ip } from './ip';
export {
  parseCidr, formatCidr, formatCidrAsWritten, firstOf, lastOf, sizeOf, inCidr, hostMask, cidrOverlaps,
} from './cidr';
export type { Cidr } from './cidr';
export { parseMac, formatMac, sanitizeMac, isReservedMac, eui64Address, linkLocalAddress } from './mac';
export { formatRange, rangeToPool, rangesOverlap, rangeContains, removeAddress, poolSize } from './range';
export type { IpRange } from './range';
export { normAddr, addrFamily, normCidr, networkOf, prefixLength, cidrSize, isLinkLocal6, normMac } from './text';
export { compactCidrs, subtractCidrs, cidrsCover, cidrSetsOverlap, compactCidrTexts, firstFreeCidr } from './prefix-set';
