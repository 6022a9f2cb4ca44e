import type { AllocationPool } from '@neutrino/domain';
import { fromBig, toBig } from './address-math';

/**
 * The lowest address of the pools that is neither taken nor excluded, or null
 * when the pools are exhausted. Walks at most |taken|+|exclude|+1 addresses,
 * so a /64 with a handful of ports costs the same as a /28.
 */
export function pickLowestFree(
  pools: AllocationPool[],
  version: 4 | 6,
  taken: ReadonlySet<string>,
  exclude: ReadonlySet<string> = new Set(),
): string | null {
  const sorted = [...pools].map((p) => [toBig(p.start), toBig(p.end)] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [start, end] of sorted) {
    for (let n = start; n <= end; n++) {
      const ip = fromBig(n, version);
      if (!taken.has(ip) && !exclude.has(ip)) return ip;
    }
  }
  return null;
}
