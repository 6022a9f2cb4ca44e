import { ipText } from './ip';

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
