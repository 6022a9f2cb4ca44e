/** Allocation pools: Zed's defaults (ipam utils.generate_pools) and validation (ipam_backend_mixin). */
import { neutronError } from '../common/errors';
import { pyStr } from '../common/python';
import type { AllocationPool } from '../model';
import { Cidr, firstOf, formatRange, IpRange, lastOf, parseIp, rangeContains, rangesOverlap, rangeToPool, removeAddress } from '@neutrino/netaddr';

/** The addresses pools may use: IPv4 /30 and larger lose network and broadcast; IPv6 loses the subnet-router anycast. */
export function poolBounds(cidr: Cidr): IpRange {
  const first = firstOf(cidr);
  const last = lastOf(cidr);
  if (cidr.version === 4 && cidr.prefixlen > 30) return { version: 4, first, last };
  return { version: cidr.version, first: first + 1n, last: cidr.version === 4 ? last - 1n : last };
}

/** The default pools: every usable address except the gateway (split in two around it). */
export function defaultPools(cidr: Cidr, gateway: string | null): AllocationPool[] {
  const first = firstOf(cidr);
  const last = lastOf(cidr);
  if (first === last) return [rangeToPool({ version: cidr.version, first, last })];
  let ranges = [poolBounds(cidr)];
  const gw = gateway ? parseIp(gateway) : undefined;
  if (gw && gw.version === cidr.version) ranges = ranges.flatMap((r) => removeAddress(r, gw.value));
  return ranges.map(rangeToPool);
}

/** Pools as given → ranges; a pool whose start is after its end (or mixes versions) is InvalidAllocationPool. */
export function poolsToRanges(pools: Array<Record<string, unknown>>): IpRange[] {
  return pools.map((pool) => {
    const start = parseIp(String(pool.start));
    const end = parseIp(String(pool.end));
    if (!start || !end || start.version !== end.version || start.value > end.value) throw invalidPool(pyStr(pool));
    return { version: start.version, first: start.value, last: end.value };
  });
}

export const invalidPool = (pool: string) =>
  neutronError(400, 'InvalidAllocationPool', `The allocation pool ${pool} is not valid.`);

/** validate_allocation_pools: right version, inside the subnet's usable bounds, no two overlapping. */
export function validatePools(ranges: IpRange[], cidr: Cidr, cidrText: string): void {
  const bounds = poolBounds(cidr);
  for (const r of ranges) {
    if (r.version !== cidr.version) throw invalidPool(formatRange(r));
    if (r.first < bounds.first || r.last > bounds.last)
      throw neutronError(
        400,
        'OutOfBoundsAllocationPool',
        `The allocation pool ${formatRange(r)} spans beyond the subnet cidr ${cidrText}.`,
      );
  }
  ranges.forEach((a, i) =>
    ranges.slice(i + 1).forEach((b) => {
      if (rangesOverlap(a, b))
        throw neutronError(
          409,
          'OverlappingAllocationPools',
          `Found overlapping allocation pools: ${formatRange(a)} ${formatRange(b)} for subnet ${cidrText}.`,
        );
    }),
  );
}

/** validate_gw_out_of_pools. */
export function checkGatewayOutsidePools(gateway: string, ranges: IpRange[]): void {
  const gw = parseIp(gateway);
  if (!gw) return;
  const hit = ranges.find((r) => rangeContains(r, gw.version, gw.value));
  if (hit)
    throw neutronError(409, 'GatewayConflictWithAllocationPools', `Gateway ip ${gateway} conflicts with allocation pool ${formatRange(hit)}.`);
}

/** Pools as Zed lists them: in address order. */
export const rangesToPools = (ranges: IpRange[]): AllocationPool[] =>
  [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0)).map(rangeToPool);
