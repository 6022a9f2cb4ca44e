import { type Cidr, firstOf, lastOf, parseCidr, formatCidr } from './cidr';
import { ipBits } from './ip';

/**
 * Sets of prefixes as netaddr.IPSet keeps them (what Neutron's subnet pools
 * do their math on): merged ranges of one IP version, compacted back into
 * the fewest CIDRs. A subnet pool's prefixes are stored compacted, its free
 * space is its prefixes minus its allocations.
 */
interface Span {
  first: bigint;
  last: bigint;
}

function spansOf(cidrs: Cidr[]): Span[] {
  const sorted = cidrs.map((c) => ({ first: firstOf(c), last: lastOf(c) })).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: Span[] = [];
  for (const s of sorted) {
    const prev = out[out.length - 1];
    if (prev && s.first <= prev.last + 1n) {
      if (s.last > prev.last) prev.last = s.last;
    } else out.push({ ...s });
  }
  return out;
}

/** The largest aligned CIDRs covering [first, last] exactly (IPSet.iter_cidrs of one range), in address order. */
function spanToCidrs(version: 4 | 6, s: Span): Cidr[] {
  const bits = ipBits(version);
  const out: Cidr[] = [];
  let at = s.first;
  while (at <= s.last) {
    let size = 0;
    // Grow the block while it stays aligned at `at` and inside the span.
    while (size < bits && (at & ((1n << BigInt(size + 1)) - 1n)) === 0n && at + (1n << BigInt(size + 1)) - 1n <= s.last) size++;
    out.push({ version, ip: at, prefixlen: bits - size });
    at += 1n << BigInt(size);
  }
  return out;
}

const toCidrs = (version: 4 | 6, spans: Span[]): Cidr[] => spans.flatMap((s) => spanToCidrs(version, s));

/** IPSet(cidrs).compact().iter_cidrs(): merged, fewest CIDRs, in address order (all of one version). */
export function compactCidrs(cidrs: Cidr[]): Cidr[] {
  if (!cidrs.length) return [];
  return toCidrs(cidrs[0].version, spansOf(cidrs));
}

/** `from` minus `minus` (all of one version), compacted. */
export function subtractCidrs(from: Cidr[], minus: Cidr[]): Cidr[] {
  if (!from.length) return [];
  const version = from[0].version;
  const cut = spansOf(minus.filter((c) => c.version === version));
  const out: Span[] = [];
  for (const s of spansOf(from)) {
    let at = s.first;
    for (const c of cut) {
      if (c.last < at || c.first > s.last) continue;
      if (c.first > at) out.push({ first: at, last: c.first - 1n });
      at = c.last + 1n;
      if (at > s.last) break;
    }
    if (at <= s.last) out.push({ first: at, last: s.last });
  }
  return toCidrs(version, out);
}

/** Every address of `inner` lies in one of `outer` (IPSet.issuperset for one CIDR). */
export function cidrsCover(outer: Cidr[], inner: Cidr): boolean {
  const f = firstOf(inner);
  const l = lastOf(inner);
  return spansOf(outer.filter((c) => c.version === inner.version)).some((s) => s.first <= f && l <= s.last);
}

/** Some address of `b` lies in `a` (both sets of one version). */
export function cidrSetsOverlap(a: Cidr[], b: Cidr[]): boolean {
  return a.some((x) => b.some((y) => x.version === y.version && firstOf(x) <= lastOf(y) && firstOf(y) <= lastOf(x)));
}

/** Compacts CIDR texts: "10.0.0.0/24" + "10.0.1.0/24" → "10.0.0.0/23". */
export function compactCidrTexts(texts: string[]): string[] {
  return compactCidrs(texts.map((t) => parseCidr(t)!)).map(formatCidr);
}

/**
 * The first free CIDR of a prefix length, as Neutron's subnet allocator picks
 * it: the free blocks sorted by prefix length, smallest block first (address
 * order among blocks of one length), and the first `prefixlen` subnet of the
 * first block that can hold one. Undefined when none can.
 */
export function firstFreeCidr(free: Cidr[], prefixlen: number): Cidr | undefined {
  const blocks = [...free].sort((a, b) => b.prefixlen - a.prefixlen);
  const fit = blocks.find((b) => b.prefixlen <= prefixlen);
  return fit ? { version: fit.version, ip: firstOf(fit), prefixlen } : undefined;
}
