import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import { isSet, parseAttributes } from '../common/attributes';
import { unwrapSingular } from '../common/body';
import { httpForbidden, neutronError, networkNotFound } from '../common/errors';
import { enforce } from '../common/policy';
import type { DomainConfig } from '../config';
import { badRequest, invalidInput } from '../errors';
import type { HostRoute, Network, Subnet } from '../model';
import { canonicalIp, Cidr, cidrOverlaps, firstOf, formatCidr, ipText, parseCidr } from '@neutrino/netaddr';
import { canSeeNetwork } from '../network/visibility';
import { SUBNET_ATTRS } from './attributes';
import {
  checkDhcpCompatible, checkGateway, checkHostRoutes, checkIpVersion, checkIpv6Modes, checkNameservers,
  gatewayInvalidInSubnet,
} from './checks';
import { checkGatewayOutsidePools, defaultPools, poolsToRanges, rangesToPools, validatePools } from './pools';
import { subnetRules } from './policy';
import { sharedWith } from '../rbac/network-rbac';
import { allocateFromPool, type PrefixRequest } from '../subnetpool/allocate';
import type { SubnetPool } from '../subnetpool/model';
import { subnetPoolNotFound } from '../subnetpool/visibility';

export interface SubnetCreateContext {
  network: Network | undefined;
  /** The network's existing subnets. */
  siblings: Subnet[];
  /** The subnet pools the caller may see (what `subnetpool_id` / `use_default_subnetpool` resolve among). */
  pools?: SubnetPool[];
  /**
   * The CIDR the pool gave this subnet (decided on the pool's subject first).
   * Absent for a subnet from a pool: the block the pool would give now (what a
   * decision before the allocation checks against).
   */
  allocated?: string;
}

/** POST /v2.0/subnets: the subnet to record, with Zed's defaults (gateway, pools), or Zed's error. */
export function validateSubnetCreate(
  body: unknown,
  actor: Actor,
  ctx: SubnetCreateContext,
  cfg: DomainConfig,
  ids: { id: string; now: string },
): Subnet {
  const item = parseAttributes(unwrapSingular(body, 'subnet'), SUBNET_ATTRS, actor, true);
  const networkId = item.network_id as string;
  const network = ctx.network;
  if (!isAdmin(actor)) {
    if (!network || !canSeeNetwork(network, actor)) throw networkNotFound(networkId);
    if (!sharedWith(network, item.tenant_id))
      throw httpForbidden(`Tenant ${item.tenant_id} not allowed to create subnet on this network`);
    const rules = subnetRules(actor, item.tenant_id, network);
    enforce({ action: 'create_subnet', actor, item, map: SUBNET_ATTRS, rules, ownerProject: item.tenant_id });
  }

  const hasCidr = isSet(item.cidr);
  if (hasCidr && isSet(item.prefixlen)) throw badRequest('subnets', 'cidr and prefixlen must not be supplied together');
  const asked = hasCidr ? parseCidr(item.cidr as string)! : undefined;
  const pool = resolveSubnetPool(item, asked, ctx.pools ?? []);
  if (!asked && !pool) throw badRequest('subnets', 'a subnetpool must be specified in the absence of a cidr');
  const cidr = pool ? poolCidr(item, asked, pool, ctx) : asked!;
  const cidrText = formatCidr(cidr);

  const version = item.ip_version as 4 | 6;
  checkIpVersion(version, cidrText, 'cidr');
  const enableDhcp = item.enable_dhcp as boolean;
  if (enableDhcp) checkDhcpCompatible(cidr);
  if (isSet(item.gateway_ip)) checkGateway(cidr, item.gateway_ip as string);
  const dns = (item.dns_nameservers as string[] | undefined) ?? [];
  const routes = ((item.host_routes as HostRoute[] | undefined) ?? []).map(canonicalRoute);
  checkNameservers(dns, version, 'new subnet', cfg);
  checkHostRoutes(routes, version, 'new subnet', cfg);
  const ra = (item.ipv6_ra_mode as string | undefined) ?? null;
  const addrMode = (item.ipv6_address_mode as string | undefined) ?? null;
  checkIpv6Modes(version, ra, addrMode, enableDhcp, cidr, cidrText);

  if (!network) throw networkNotFound(networkId);
  const gateway = defaultGateway(item.gateway_ip, cidr);
  const pools = allocationPools(item.allocation_pools, cidr, cidrText, gateway);
  if (gateway && gatewayInvalidInSubnet(cidr, gateway))
    throw neutronError(409, 'IpamValueInvalid', `Gateway IP ${gateway} cannot be allocated in CIDR ${cidrText}`);
  checkNoOverlap(cidr, cidrText, network, ctx.siblings);
  checkPoolAffinity(pool, ctx.siblings);

  return {
    id: ids.id,
    name: item.name as string,
    tenant_id: item.tenant_id as string,
    network_id: networkId,
    ip_version: version,
    subnetpool_id: pool?.id ?? null,
    enable_dhcp: enableDhcp,
    ipv6_ra_mode: ra as Subnet['ipv6_ra_mode'],
    ipv6_address_mode: addrMode as Subnet['ipv6_address_mode'],
    gateway_ip: gateway,
    cidr: cidrText,
    allocation_pools: pools,
    host_routes: routes,
    dns_nameservers: [...dns],
    description: item.description as string,
    tags: [],
    created_at: ids.now,
    updated_at: ids.now,
    revision_number: 0,
    project_id: item.project_id as string,
  };
}

/** Zed's _get_subnetpool_id: the pool the body names, or the default pool of its IP version; undefined: none. */
export function resolveSubnetPool(item: Record<string, unknown>, cidr: Cidr | undefined, pools: SubnetPool[]): SubnetPool | undefined {
  const poolId = item.subnetpool_id;
  if (item.use_default_subnetpool && isSet(poolId))
    throw badRequest('subnets', 'subnetpool_id and use_default_subnetpool cannot both be specified');
  if (isSet(poolId)) {
    const pool = pools.find((p) => p.id === poolId);
    if (!pool) throw subnetPoolNotFound(poolId as string);
    return pool;
  }
  if (!item.use_default_subnetpool) return undefined;
  const version = cidr ? cidr.version : item.ip_version;
  const pool = pools.find((p) => p.is_default && p.ip_version === version);
  if (!pool) throw badRequest('subnets', `No default subnetpool found for IPv${version}`);
  return pool;
}

/** What the subnet asks of its pool: the CIDR given, or a block of `prefixlen` (the pool's default_prefixlen when not given). */
export function poolRequestOf(item: Record<string, unknown>, pool: SubnetPool): PrefixRequest {
  if (isSet(item.cidr)) return { cidr: formatCidr(parseCidr(item.cidr as string)!) };
  return { prefixlen: isSet(item.prefixlen) ? (item.prefixlen as number) : pool.default_prefixlen };
}

/** The CIDR of a subnet from a pool (Zed's validate_pools_with_subnetpool, _validate_ip_version_with_subnetpool, then the allocator). */
function poolCidr(item: Record<string, unknown>, asked: Cidr | undefined, pool: SubnetPool, ctx: SubnetCreateContext): Cidr {
  if (!asked && isSet(item.allocation_pools)) throw badRequest('subnets', 'allocation_pools allowed only for specific subnet requests.');
  if (pool.ip_version !== item.ip_version)
    throw badRequest('subnets', `Cannot allocate IPv${item.ip_version} subnet from IPv${pool.ip_version} subnet pool`);
  return parseCidr(ctx.allocated ?? allocateFromPool(pool, poolRequestOf(item, pool), item.tenant_id as string))!;
}

/**
 * Zed's _validate_network_subnetpools (without address scopes): the subnets of
 * one IP version on a network come from one pool, and a subnet from no pool
 * joins no network with subnets from pools.
 */
function checkPoolAffinity(pool: SubnetPool | undefined, siblings: Subnet[]): void {
  const broken = pool
    ? siblings.some((s) => s.subnetpool_id !== pool.id && s.ip_version === pool.ip_version)
    : siblings.some((s) => s.subnetpool_id);
  if (broken) throw neutronError(400, 'NetworkSubnetPoolAffinityError', 'Subnets hosted on the same network must be allocated from the same subnet pool.');
}

/** Not given: the first address after the network address (IPv4) or the network address itself (IPv6, as Zed). */
function defaultGateway(given: unknown, cidr: Cidr): string | null {
  if (given === undefined) return ipText(cidr.version, cidr.version === 6 ? firstOf(cidr) : firstOf(cidr) + 1n);
  return (given as string | null) ?? null;
}

/** Pools as given (validated, in address order, as Zed returns them); none given or [] → the defaults. */
function allocationPools(given: unknown, cidr: Cidr, cidrText: string, gateway: string | null) {
  if (!isSet(given) || (given as unknown[]).length === 0) return defaultPools(cidr, gateway);
  const ranges = poolsToRanges(given as Array<Record<string, unknown>>);
  validatePools(ranges, cidr, cidrText);
  if (gateway) checkGatewayOutsidePools(gateway, ranges);
  return rangesToPools(ranges);
}

function checkNoOverlap(cidr: Cidr, cidrText: string, network: Network, siblings: Subnet[]): void {
  if (cidr.prefixlen === 0) throw invalidInput('0 is not allowed as CIDR prefix length');
  const overlapping = siblings.some((s) => {
    const other = parseCidr(s.cidr);
    return other !== undefined && cidrOverlaps(other, cidr);
  });
  if (overlapping)
    throw invalidInput(`Requested subnet with cidr: ${cidrText} for network: ${network.id} overlaps with another subnet`);
}

export const canonicalRoute = (r: HostRoute): HostRoute => ({
  destination: formatCidr(parseCidr(r.destination)!),
  nexthop: canonicalIp(r.nexthop),
});
