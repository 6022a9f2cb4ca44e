import type { Actor } from '../actor';
import { isSet, parseAttributes } from '../common/attributes';
import { unwrapUpdate } from '../common/body';
import { neutronError, subnetNotFound } from '../common/errors';
import { enforce } from '../common/policy';
import { pyEquals } from '../common/validators';
import type { DomainConfig } from '../config';
import { invalidInput } from '../errors';
import type { HostRoute, Network, Subnet } from '../model';
import { parseCidr, sameIp } from '@neutrino/netaddr';
import { SUBNET_ATTRS } from './attributes';
import { checkDhcpCompatible, checkGateway, checkHostRoutes, checkNameservers } from './checks';
import { checkGatewayOutsidePools, poolsToRanges, rangesToPools, validatePools } from './pools';
import { subnetRules } from './policy';
import { canonicalRoute } from './validate-create';
import { canSeeSubnet } from './visibility';

export interface SubnetUpdateContext {
  network: Network;
  siblings: Subnet[];
  /** Addresses in use on this subnet. */
  allocatedIps: string[];
  /** The router port that holds the current gateway address, if any. */
  gatewayPortId?: string;
}

const UPDATABLE = ['name', 'description', 'enable_dhcp', 'gateway_ip', 'allocation_pools', 'dns_nameservers', 'host_routes'] as const;

/** PUT /v2.0/subnets/<id>: the attributes that change, or Zed's error. */
export function validateSubnetUpdate(
  body: unknown,
  current: Subnet,
  actor: Actor,
  ctx: SubnetUpdateContext,
  cfg: DomainConfig,
): Partial<Subnet> {
  const item = parseAttributes(unwrapUpdate(body, 'subnet', 'subnets'), SUBNET_ATTRS, actor, false);
  if (!canSeeSubnet(current, ctx.network, actor)) throw subnetNotFound(current.id);
  enforce({
    action: 'update_subnet',
    actor,
    item: { ...current, ...item },
    map: SUBNET_ATTRS,
    rules: subnetRules(actor, current.tenant_id, ctx.network),
    updating: Object.keys(item),
    ownerProject: current.tenant_id,
  });

  const cidr = parseCidr(current.cidr)!;
  if (item.enable_dhcp === true && !current.enable_dhcp) checkDhcpCompatible(cidr);
  if (isSet(item.gateway_ip)) {
    const gw = item.gateway_ip as string;
    checkGateway(cidr, gw);
    if (ctx.gatewayPortId && current.gateway_ip && !sameIp(gw, current.gateway_ip))
      throw neutronError(
        409,
        'GatewayIpInUse',
        `Current gateway ip ${current.gateway_ip} already in use by port ${ctx.gatewayPortId}. Unable to update.`,
      );
  }
  if (isSet(item.dns_nameservers)) checkNameservers(item.dns_nameservers as string[], current.ip_version, current.id, cfg);
  const routes = isSet(item.host_routes) ? (item.host_routes as HostRoute[]).map(canonicalRoute) : undefined;
  if (routes) checkHostRoutes(routes, current.ip_version, current.id, cfg);
  if (current.ip_version === 6 && item.enable_dhcp === false && (current.ipv6_ra_mode || current.ipv6_address_mode))
    throw invalidInput('Cannot disable enable_dhcp with ipv6 attributes set');

  let pools = current.allocation_pools;
  let ranges = poolsToRanges(pools as unknown as Array<Record<string, unknown>>);
  if (isSet(item.allocation_pools)) {
    ranges = poolsToRanges(item.allocation_pools as Array<Record<string, unknown>>);
    validatePools(ranges, cidr, current.cidr);
    pools = rangesToPools(ranges);
  }
  const gateway = 'gateway_ip' in item ? (item.gateway_ip as string | null) : current.gateway_ip;
  const gatewayChanged = !pyEquals(gateway, current.gateway_ip);
  if ((gatewayChanged || isSet(item.allocation_pools)) && gateway) checkGatewayOutsidePools(gateway, ranges);

  const next: Record<string, unknown> = { ...item, allocation_pools: pools, gateway_ip: gateway };
  if (routes) next.host_routes = routes;
  const changes: Partial<Subnet> = {};
  for (const key of UPDATABLE) {
    if (!(key in item)) continue;
    if (!pyEquals(next[key], current[key])) (changes as Record<string, unknown>)[key] = next[key];
  }
  return changes;
}
