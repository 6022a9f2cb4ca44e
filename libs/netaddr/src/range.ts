import { ipText, parseIp } from './ip';

/** An inclusive address range (netaddr.IPRange). */
export interface IpRange {
  version: 4 | 6;
  first: bigint;
  last: bigint;
}

/** netaddr's str(IPRange): "10.0.0.2-10.0.0.254". */
export const formatRange = (r: IpRange): string => `${ipText(r.version, r.first)}-${ipText(r.version, r.last)}`;

export const rangeToPool = (r: IpRange): { start: string; end: string } => ({
  start: ipText(r.version, r.first),
  end: ipText(r.version, r.last),
});

export const rangesOverlap = (a: IpRange, b: IpRange): boolean =>
  a.version === b.version && a.first <= b.last && b.first <= a.last;

export const rangeContains = (r: IpRange, version: 4 | 6, value: bigint): boolean =>
  r.version === version && value >= r.first && value <= r.last;

/** The range minus one address: zero, one or two ranges (an IPSet.remove()). */
export function removeAddress(r: IpRange, value: bigint): IpRange[] {
  if (value < r.first || value > r.last) return [r];
  const out: IpRange[] = [];
  if (value > r.first) out.push({ version: r.version, first: r.first, last: value - 1n });
  if (value < r.last) out.push({ version: r.version, first: value + 1n, last: r.last });
  return out;
}

/** How many addresses an allocation pool holds (start and end included); 0 for a malformed or reversed pool. */
export function poolSize(pool: { start: string; end: string }): bigint {
  const a = parseIp(pool.start);
  const b = parseIp(pool.end);
  if (!a || !b || a.version !== b.version || b.value < a.value) return 0n;
  return b.value - a.value + 1n;
}
