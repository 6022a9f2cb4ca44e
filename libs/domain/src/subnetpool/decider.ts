import { isAdmin, type Actor } from '../actor';
import { isSet, parseAttributes } from '../common/attributes';
import { unwrapSingular } from '../common/body';
import { httpBadRequest, neutronError } from '../common/errors';
import { enforce } from '../common/policy';
import type { Decider } from '../decider';
import { conflict, invalidInput } from '../errors';
import type { CoreEvent } from '../events';
import type { AddressScope } from '../address-scope/model';
import { addressScopeNotFound, canSeeAddressScope } from '../address-scope/visibility';
import { cidrSetsOverlap, cidrsCover, compactCidrs, formatCidr, parseCidr, subtractCidrs, type Cidr } from '@neutrino/netaddr';
import { allocateFromPool, type PrefixRequest } from './allocate';
import { decideObjectRbac, objectRbacEvents, objectSharedFor, type ObjectRbacCommand } from '../rbac/object-rbac';
import { SUBNETPOOL_ATTRS } from './attributes';
import { evolveSubnetPool } from './evolve';
import type { SubnetPool } from './model';
import { canSeeSubnetPool, subnetPoolNotFound } from './visibility';

export type SubnetPoolEvent = CoreEvent<
  'subnetpool.created' | 'subnetpool.updated' | 'subnetpool.prefixes_removed' | 'subnetpool.deleted' | 'subnetpool.prefix_allocated' | 'subnetpool.prefix_released'
  | 'subnetpool.rbac_added' | 'subnetpool.rbac_updated' | 'subnetpool.rbac_removed'
>;

export type SubnetPoolCommand =
  | { type: 'CreateSubnetPool'; body: unknown; actor: Actor; id: string; now: string }
  | { type: 'UpdateSubnetPool'; body: unknown; actor: Actor }
  /** PUT /v2.0/subnetpools/<id>/add_prefixes (subnetpool-prefix-ops). */
  | { type: 'AddPrefixes'; body: unknown; actor: Actor }
  | { type: 'RemovePrefixes'; body: unknown; actor: Actor }
  | { type: 'DeleteSubnetPool'; actor: Actor }
  /** A subnet (about to be created) takes a block of the pool: decided on the pool's subject, so concurrent allocations see each other. */
  | { type: 'AllocatePrefix'; subnetpool_id: string; subnet_id: string; project_id: string; request: PrefixRequest; now: string }
  /** The subnet is gone (or its create failed): its block is free again. */
  | { type: 'ReleasePrefix'; subnet_id: string }
  /**
   * PUT /v2.0/subnetpools/<id>/onboard_network_subnets (subnet_onboard): the
   * network's subnets of the pool's version join the pool — their CIDRs added
   * to its prefixes, their blocks held — refused when one overlaps a block the
   * pool gave. `subnets`: those subnets (the caller read them from the network).
   */
  | { type: 'OnboardSubnets'; body: unknown; actor: Actor; subnets: Array<{ id: string; cidr: string; project_id: string; ip_version: number }>; now: string }
  /** An access_as_shared RBAC policy on the pool (rbac-subnetpool); in use while a project it shares with has subnets from the pool. */
  | { type: 'SubnetPoolRbac'; rbac: ObjectRbacCommand };

export interface SubnetPoolState {
  pool: SubnetPool | undefined;
  /** Every other subnet pool (one default per IP version, unique prefixes within an address scope). */
  others: SubnetPool[];
  /** An address scope by id (undefined: none). */
  scope: (id: string) => AddressScope | undefined;
}

/** Zed's subnet pool policy: shared and is_default only by an admin; the rest admin or owner. */
const rules = (actor: Actor, owner: unknown) => ({
  'create_subnetpool:shared': () => isAdmin(actor),
  'create_subnetpool:is_default': () => isAdmin(actor),
  'update_subnetpool:is_default': () => isAdmin(actor),
  create_subnetpool: () => true,
  update_subnetpool: () => owner === actor.project_id,
});

const DEFAULT_MIN = { 4: 8, 6: 64 } as const;
const MAX = { 4: 32, 6: 128 } as const;

const bounds = (prefixType: string, prefixlen: number, baseType: string, base: number) =>
  neutronError(400, 'IllegalSubnetPoolPrefixBounds', `Illegal prefix bounds: ${prefixType}=${prefixlen}, ${baseType}=${base}.`);
const illegalUpdate = (msg: string) => neutronError(400, 'IllegalSubnetPoolPrefixUpdate', `Illegal update to prefixes: ${msg}.`);
const bodyInvalid = () => httpBadRequest('Request body contains invalid data');

/** SubnetPoolReader's prefix info: not empty, one IP version, compacted. */
function readPrefixes(prefixes: string[]): { version: 4 | 6; cidrs: Cidr[] } {
  if (!prefixes.length) throw neutronError(400, 'EmptySubnetPoolPrefixList', 'Empty subnet pool prefix list.');
  const cidrs = prefixes.map((p) => parseCidr(p)!);
  const version = cidrs[0].version;
  if (cidrs.some((c) => c.version !== version)) throw neutronError(400, 'PrefixVersionMismatch', 'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.');
  return { version, cidrs: compactCidrs(cidrs) };
}

/** SubnetPoolReader's prefix bounds and SubnetPoolHelper's checks, in Zed's order. */
function checkBounds(version: 4 | 6, min: number, max: number, dflt: number): void {
  if (min > max) throw bounds('min_prefixlen', min, 'max_prefixlen', max);
  if (max > MAX[version]) throw bounds('max_prefixlen', max, 'ip_version_max', MAX[version]);
  if (dflt < min) throw bounds('default_prefixlen', dflt, 'min_prefixlen', min);
  if (dflt > max) throw bounds('default_prefixlen', dflt, 'max_prefixlen', max);
}

/** One default pool per IP version (InvalidInput, as Zed's _check_default_subnetpool_exists). */
function checkDefault(version: 4 | 6, others: SubnetPool[]): void {
  if (others.some((p) => p.is_default && p.ip_version === version))
    throw invalidInput('A default subnetpool for this IP family has already been set. Only one default may exist per IP family');
}

/** Zed's _validate_address_scope_id: the scope exists for the caller, has the pool's version, and no pool of it shares a prefix with this one. */
function checkAddressScope(s: SubnetPoolState, actor: Actor, scopeId: string | null, poolId: string, version: 4 | 6, cidrs: Cidr[]): void {
  if (!scopeId) return;
  const scope = s.scope(scopeId);
  if (!scope || !canSeeAddressScope(scope, actor)) throw addressScopeNotFound(scopeId);
  if (scope.ip_version !== version)
    throw neutronError(
      400, 'IllegalSubnetPoolIpVersionAssociationToAddressScope',
      `Illegal subnetpool association: subnetpool ${poolId} cannot associate with address scope ${scopeId} because subnetpool ip_version is not ${scope.ip_version}.`,
    );
  for (const other of s.others) {
    if (other.id === poolId || other.address_scope_id !== scopeId) continue;
    if (cidrSetsOverlap(other.prefixes.map((p) => parseCidr(p)!), cidrs))
      throw conflict('AddressScopePrefixConflict', 'Failed to associate address scope: subnetpools within an address scope must have unique prefixes.');
  }
}

/** subnetpool_prefix_ops.get_operation_request_body: {"prefixes": [a non-empty list]}. */
function opPrefixes(body: unknown): string[] {
  const prefixes = (body as { prefixes?: unknown } | null)?.prefixes;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(prefixes) || !prefixes.length) throw bodyInvalid();
  for (const p of prefixes) if (typeof p !== 'string' || !parseCidr(p)) throw neutronError(400, 'AddrFormatError', `invalid IPNetwork ${String(p)}`);
  return prefixes as string[];
}

/**
 * add_prefixes / remove_prefixes: Zed checks the action against the pool as
 * the caller sees it, so a shared pool's `shared` takes part:
 * "(rule:add_prefixes and rule:add_prefixes:shared)" for anyone but its owner.
 */
function enforcePrefixOp(action: 'add_prefixes' | 'remove_prefixes', pool: SubnetPool, actor: Actor): void {
  enforce({ action, actor, item: { shared: objectSharedFor(pool, actor) }, map: SUBNETPOOL_ATTRS, rules: {}, ownerProject: pool.project_id });
}

function visiblePool(s: SubnetPoolState, actor: Actor): SubnetPool {
  if (!s.pool || !canSeeSubnetPool(s.pool, actor)) throw subnetPoolNotFound(s.pool?.id ?? '');
  return s.pool;
}

/** update_subnetpool on the merged attributes: prefixes may only grow, bounds and scope checked again. */
function decideUpdate(s: SubnetPoolState, actor: Actor, item: Record<string, unknown>, action: string | undefined): SubnetPoolEvent[] {
  const pool = visiblePool(s, actor);
  if (action)
    enforce({
      action, actor, item, map: SUBNETPOOL_ATTRS, rules: rules(actor, pool.project_id),
      updating: Object.keys(item).filter((k) => k !== 'project_id' && k !== 'tenant_id'), ownerProject: pool.project_id,
    });
  let prefixes = pool.prefixes;
  if (item.prefixes !== undefined) {
    const given = (item.prefixes as string[]).map((p) => parseCidr(p)!);
    const mixed = given.some((c) => c.version !== pool.ip_version);
    if (!mixed && !pool.prefixes.every((p) => cidrsCover(given, parseCidr(p)!))) throw illegalUpdate('Existing prefixes must be a subset of the new prefixes');
    prefixes = readPrefixes(given.length ? (item.prefixes as string[]) : []).cidrs.map(formatCidr);
    if (mixed) readPrefixes([...pool.prefixes, ...(item.prefixes as string[])]);
  } else if (!prefixes.length) readPrefixes([]); // all removed (remove_prefixes): Zed's reader refuses every update until some are added

  const num = (k: 'min_prefixlen' | 'max_prefixlen' | 'default_prefixlen') => (isSet(item[k]) ? (item[k] as number) : pool[k]);
  const min = num('min_prefixlen');
  const max = num('max_prefixlen');
  const dflt = num('default_prefixlen');
  checkBounds(pool.ip_version, min, max, dflt);
  const isDefault = item.is_default !== undefined ? (item.is_default as boolean) : pool.is_default;
  if (isDefault && !pool.is_default) checkDefault(pool.ip_version, s.others.filter((p) => p.id !== pool.id));
  const scopeId = item.address_scope_id !== undefined ? ((item.address_scope_id as string | null) ?? null) : pool.address_scope_id;
  checkAddressScope(s, actor, scopeId, pool.id, pool.ip_version, prefixes.map((p) => parseCidr(p)!));

  const next: Partial<SubnetPool> = {
    name: item.name as string | undefined, description: item.description as string | undefined, prefixes, min_prefixlen: min, max_prefixlen: max,
    default_prefixlen: dflt, is_default: isDefault, address_scope_id: scopeId,
    default_quota: item.default_quota !== undefined ? ((item.default_quota as number | null) ?? null) : pool.default_quota,
  };
  const changes: Partial<SubnetPool> = {};
  for (const [k, v] of Object.entries(next) as Array<[keyof SubnetPool, unknown]>) {
    if (v === undefined) continue;
    if (JSON.stringify(v) !== JSON.stringify(pool[k])) (changes as Record<string, unknown>)[k] = v;
  }
  // Zed bumps the revision of every successful update, changed or not.
  return [{ type: 'subnetpool.updated', data: { subnetpool_id: pool.id, changes } }];
}

function decide(command: SubnetPoolCommand, s: SubnetPoolState): SubnetPoolEvent[] {
  switch (command.type) {
    case 'CreateSubnetPool': {
      const { actor } = command;
      const item = parseAttributes(unwrapSingular(command.body, 'subnetpool'), SUBNETPOOL_ATTRS, actor, true);
      enforce({ action: 'create_subnetpool', actor, item, map: SUBNETPOOL_ATTRS, rules: rules(actor, item.project_id), ownerProject: item.project_id });
      const { version, cidrs } = readPrefixes(item.prefixes as string[]);
      const min = isSet(item.min_prefixlen) ? (item.min_prefixlen as number) : DEFAULT_MIN[version];
      const max = isSet(item.max_prefixlen) ? (item.max_prefixlen as number) : MAX[version];
      const dflt = isSet(item.default_prefixlen) ? (item.default_prefixlen as number) : min;
      checkBounds(version, min, max, dflt);
      if (item.is_default) checkDefault(version, s.others);
      const scopeId = isSet(item.address_scope_id) ? (item.address_scope_id as string) : null;
      checkAddressScope(s, actor, scopeId, command.id, version, cidrs);
      const pool: SubnetPool = {
        id: command.id,
        name: item.name as string,
        description: item.description as string,
        tenant_id: item.tenant_id as string,
        project_id: item.project_id as string,
        prefixes: cidrs.map(formatCidr),
        default_prefixlen: dflt,
        min_prefixlen: min,
        max_prefixlen: max,
        default_quota: isSet(item.default_quota) ? (item.default_quota as number) : null,
        ip_version: version,
        shared: item.shared as boolean,
        is_default: item.is_default as boolean,
        address_scope_id: scopeId,
        tags: [],
        allocations: {},
        created_at: command.now,
        updated_at: command.now,
        revision_number: 0,
      };
      return [{ type: 'subnetpool.created', data: { subnetpool: pool } }];
    }
    case 'UpdateSubnetPool': {
      const item = parseAttributes(unwrapSingular(command.body, 'subnetpool'), SUBNETPOOL_ATTRS, command.actor, false);
      return decideUpdate(s, command.actor, item, 'update_subnetpool');
    }
    case 'AddPrefixes': {
      const pool = visiblePool(s, command.actor);
      enforcePrefixOp('add_prefixes', pool, command.actor);
      const prefixes = opPrefixes(command.body);
      return decideUpdate(s, command.actor, { prefixes: [...pool.prefixes, ...prefixes] }, undefined);
    }
    case 'RemovePrefixes': {
      const pool = visiblePool(s, command.actor);
      enforcePrefixOp('remove_prefixes', pool, command.actor);
      const removal = opPrefixes(command.body).map((p) => parseCidr(p)!);
      const all = pool.prefixes.map((p) => parseCidr(p)!);
      if (!cidrSetsOverlap(all, removal)) return [];
      const held = Object.values(pool.allocations).map((a) => parseCidr(a.cidr)!);
      if (cidrSetsOverlap(held, removal)) throw illegalUpdate('One or more the prefixes to be removed is in use by a subnet.');
      return [{ type: 'subnetpool.prefixes_removed', data: { subnetpool_id: pool.id, prefixes: subtractCidrs(all, removal).map(formatCidr) } }];
    }
    case 'DeleteSubnetPool': {
      const pool = visiblePool(s, command.actor);
      enforce({ action: 'delete_subnetpool', actor: command.actor, item: {}, map: SUBNETPOOL_ATTRS, rules: {}, ownerProject: pool.project_id });
      if (Object.keys(pool.allocations).length)
        throw neutronError(400, 'SubnetPoolDeleteError', 'Unable to delete subnet pool: Subnet pool has existing allocations.');
      return [{ type: 'subnetpool.deleted', data: { subnetpool_id: pool.id } }];
    }
    case 'AllocatePrefix': {
      const pool = s.pool;
      if (!pool) throw subnetPoolNotFound(command.subnetpool_id); // deleted meanwhile
      const held = pool.allocations[command.subnet_id];
      if (held) return [];
      const cidr = allocateFromPool(pool, command.request, command.project_id);
      return [{ type: 'subnetpool.prefix_allocated', data: { subnetpool_id: pool.id, subnet_id: command.subnet_id, cidr, project_id: command.project_id, at: command.now } }];
    }
    case 'OnboardSubnets': {
      const pool = visiblePool(s, command.actor);
      enforce({ action: 'onboard_network_subnets', actor: command.actor, item: {}, map: SUBNETPOOL_ATTRS, rules: {}, ownerProject: pool.project_id });
      const held = Object.values(pool.allocations).map((a) => parseCidr(a.cidr)!);
      const subnets = command.subnets.filter((x) => x.ip_version === pool.ip_version);
      for (const x of subnets) {
        if (cidrSetsOverlap(held, [parseCidr(x.cidr)!]))
          throw neutronError(400, 'IllegalSubnetPoolUpdate',
            `Illegal subnetpool update : Onboarding subnet ${x.id}: ${x.cidr} conflicts with allocated prefixes in subnet pool ${pool.id}.`);
      }
      const [update] = decideUpdate(s, command.actor, { prefixes: [...pool.prefixes, ...subnets.map((x) => x.cidr)] }, undefined);
      return [
        update,
        ...subnets.map((x): SubnetPoolEvent => ({
          type: 'subnetpool.prefix_allocated', data: { subnetpool_id: pool.id, subnet_id: x.id, cidr: x.cidr, project_id: x.project_id, at: command.now },
        })),
      ];
    }
    case 'SubnetPoolRbac': {
      const pool = s.pool;
      if (!pool) throw subnetPoolNotFound('');
      const bound = Object.values(pool.allocations).map((a) => a.project_id);
      const d = decideObjectRbac('subnetpool', command.rbac, pool, bound);
      return objectRbacEvents('subnetpool', 'subnetpool_id', pool.id, d) as SubnetPoolEvent[];
    }
    case 'ReleasePrefix': {
      const pool = s.pool;
      if (!pool || !pool.allocations[command.subnet_id]) return [];
      return [{ type: 'subnetpool.prefix_released', data: { subnetpool_id: pool.id, subnet_id: command.subnet_id } }];
    }
  }
}

export const subnetPoolDecider: Decider<SubnetPoolCommand, SubnetPoolState, SubnetPoolEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, pool: evolveSubnetPool(state.pool, { ...event, at: '' }) }),
  initialState: () => ({ pool: undefined, others: [], scope: () => undefined }),
};
