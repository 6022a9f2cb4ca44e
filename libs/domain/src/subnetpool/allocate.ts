import { cidrsCover, firstFreeCidr, formatCidr, parseCidr, subtractCidrs, type Cidr } from '@neutrino/netaddr';
import { neutronError } from '../common/errors';
import { conflict } from '../errors';
import type { SubnetPool } from './model';

/** What a subnet asks of its pool: any block of a prefix length, or one CIDR. */
export type PrefixRequest = { prefixlen: number; cidr?: undefined } | { cidr: string; prefixlen?: undefined };

/** Zed's SubnetPoolHelper: the unit a pool's default_quota counts in (addresses for IPv4, /64s for IPv6). */
const QUOTA_UNIT = { 4: 32, 6: 64 } as const;
const WILDCARD = { 4: '0.0.0.0', 6: '::' } as const;

const poolCidrs = (pool: SubnetPool): Cidr[] => pool.prefixes.map((p) => parseCidr(p)!);
const allocatedCidrs = (pool: SubnetPool): Cidr[] => Object.values(pool.allocations).map((a) => parseCidr(a.cidr)!);

/** The pool's free space: its prefixes minus what its subnets hold (compacted, as Zed's _get_available_prefix_list). */
export const freeCidrs = (pool: SubnetPool): Cidr[] => subtractCidrs(poolCidrs(pool), allocatedCidrs(pool));

/** How much of default_quota a block of this length takes (Zed: 2 ** (quota unit - prefixlen)). */
const quotaUnits = (version: 4 | 6, prefixlen: number): number => 2 ** (QUOTA_UNIT[version] - prefixlen);

/**
 * The CIDR a subnet gets from its pool (Zed's SubnetAllocator.allocate_subnet):
 * the prefix bounds, the project's share of default_quota, then the first
 * free block of the length (smallest free block first), or the asked CIDR if
 * it lies wholly in one free block.
 */
export function allocateFromPool(pool: SubnetPool, request: PrefixRequest, projectId: string): string {
  const bits = pool.ip_version === 4 ? 32 : 128;
  let asked: Cidr | undefined;
  let prefixlen: number;
  if (request.cidr !== undefined) {
    asked = parseCidr(request.cidr)!;
    prefixlen = asked.prefixlen;
  } else {
    prefixlen = request.prefixlen;
    if (prefixlen > bits) throw neutronError(400, 'AddrFormatError', `invalid IPNetwork ${WILDCARD[pool.ip_version]}/${prefixlen}`);
  }
  if (prefixlen > pool.max_prefixlen)
    throw neutronError(400, 'MaxPrefixSubnetAllocationError', `Unable to allocate subnet with prefix length ${prefixlen}, maximum allowed prefix is ${pool.max_prefixlen}.`);
  if (prefixlen < pool.min_prefixlen)
    throw neutronError(400, 'MinPrefixSubnetAllocationError', `Unable to allocate subnet with prefix length ${prefixlen}, minimum allowed prefix is ${pool.min_prefixlen}.`);
  if (pool.default_quota) {
    const used = Object.values(pool.allocations)
      .filter((a) => a.project_id === projectId)
      .reduce((n, a) => n + quotaUnits(pool.ip_version, parseCidr(a.cidr)!.prefixlen), 0);
    if (used + quotaUnits(pool.ip_version, prefixlen) > pool.default_quota)
      throw conflict('SubnetPoolQuotaExceeded', 'Per-tenant subnet pool prefix quota exceeded.');
  }
  const free = freeCidrs(pool);
  if (asked) {
    if (cidrsCover(free, asked)) return formatCidr(asked);
    throw allocationError('Cannot allocate requested subnet from the available set of prefixes');
  }
  const got = firstFreeCidr(free, prefixlen);
  if (!got) throw allocationError(`Insufficient prefix space to allocate subnet size /${prefixlen}`);
  return formatCidr(got);
}

/** SubnetAllocationError: a NeutronException without an HTTP mapping, so Zed answers 500. */
const allocationError = (reason: string) => neutronError(500, 'SubnetAllocationError', `Failed to allocate subnet: ${reason}.`);
