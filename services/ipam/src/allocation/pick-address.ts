import type { AllocationPool } from '@neutrino/domain';
import { ipText, parseIp } from '@neutrino/netaddr';

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
  const sorted = [...pools].map((p) => [parseIp(p.start)!.value, parseIp(p.end)!.value] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [start, end] of sorted) {
    for (let n = start; n <= end; n++) {
      const ip = ipText(version, n);
      if (!taken.has(ip) && !exclude.has(ip)) return ip;
    }
  }
  return null;
}
