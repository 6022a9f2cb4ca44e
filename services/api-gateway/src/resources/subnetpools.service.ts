import {
  addressScopeDecider, addressScopeNotFound, canSeeAddressScope, canSeeSubnetPool, presentAddressScope, presentSubnetPool, presentUpdatedSubnetPool,
  subnetPoolDecider, subnetPoolNotFound, evolveSubnetPool, type AddressScope, type AddressScopeCommand, type AddressScopeState, type PrefixRequest, type SubnetPool,
  type SubnetPoolCommand, type SubnetPoolState, type Actor, canSeePolicy, objectPolicies, rbacErrors, NeutronError, type ObjectRbacCommand, type RbacPolicy,
  type SharedObjectType, invalidInput, networkNotFound, subnetDecider, defaultPoolDecider, defaultPoolSubject, type DefaultPoolState,
} from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { listPage } from '../read/list-page';
import { parseListQuery, selectFields } from '../read/list-query';
import type { Reader } from '../read/reader';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { aggregate, subnetState } from '../write/states';

type Query = Record<string, string | string[] | undefined>;

const SCOPE_FILTERS = new Set(['id', 'name', 'tenant_id', 'project_id', 'shared', 'ip_version']);
const POOL_FILTERS = new Set([
  'id', 'name', 'tenant_id', 'project_id', 'prefixes', 'default_quota', 'ip_version', 'default_prefixlen', 'min_prefixlen', 'max_prefixlen',
  'is_default', 'shared', 'address_scope_id', 'description', 'created_at', 'updated_at', 'revision_number', 'tags', 'tags-any', 'not-tags', 'not-tags-any',
]);

const fieldsOf = (q: Query) => {
  const f = ([] as string[]).concat(q.fields ?? []).flatMap((x) => x.split(',')).filter(Boolean);
  return f.length ? f : null;
};
const admin = (a: Actor): Actor => ({ ...a, roles: [...a.roles, 'admin'] });

/**
 * `/v2.0/address-scopes` and `/v2.0/subnetpools` (address-scope,
 * subnet_allocation, subnetpool-prefix-ops, default-subnetpools), thin over
 * the address-scope and subnet-pool deciders; and the pool side of a subnet
 * created from a pool: the block is allocated on the pool's own subject with
 * its expected sequence (re-decided on a lost race), released again when the
 * subnet goes or its create fails.
 */
export class SubnetPoolsService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
  ) {}

  private get model() {
    return this.reader.model;
  }

  // ---- address scopes

  private scopeState(id: string): { state: AddressScopeState; seq: number } {
    const v = this.model.addressScopes.get(id);
    const pools = [...this.model.subnetPools.values()].map((p) => p.value).filter((p) => p.address_scope_id === id);
    return { state: { scope: v?.value, pools }, seq: v?.seq ?? 0 };
  }

  private runScope(ctx: RequestContext, id: string, command: AddressScopeCommand) {
    return this.handler.handle<AddressScopeState>(ctx, {
      aggregate: aggregate('address_scope', id),
      load: () => this.scopeState(id),
      decide: (s) => addressScopeDecider.decide(command, s),
    });
  }

  private visibleScope(ctx: RequestContext, id: string): AddressScope {
    const s = this.model.addressScopes.get(id)?.value;
    if (!s || !canSeeAddressScope(s, ctx.actor)) throw addressScopeNotFound(id);
    return s;
  }

  listScopes(ctx: RequestContext, q: Query, rawQuery = '') {
    const items = [...this.model.addressScopes.values()].map((v) => v.value).filter((s) => canSeeAddressScope(s, ctx.actor)).map((s) => presentAddressScope(s, ctx.actor));
    const page = listPage(items, parseListQuery(q, SCOPE_FILTERS), { collection: 'address_scopes', notFound: addressScopeNotFound, selfUrl: `${ctx.baseUrl}/v2.0/address-scopes`, rawQuery });
    return { address_scopes: page.items, ...(page.links ? { address_scopes_links: page.links } : {}) };
  }

  showScope(ctx: RequestContext, id: string, q: Query = {}) {
    return { address_scope: selectFields(presentAddressScope(this.visibleScope(ctx, id), ctx.actor), fieldsOf(q)) };
  }

  async createScope(ctx: RequestContext, raw: unknown) {
    const id = newId();
    await this.runScope(ctx, id, { type: 'CreateAddressScope', body: parseJsonBody(raw), actor: ctx.actor, id, now: nowIso() });
    return this.showScope(ctx, id);
  }

  async updateScope(ctx: RequestContext, id: string, raw: unknown) {
    const body = parseJsonBody(raw);
    this.visibleScope(ctx, id);
    await this.runScope(ctx, id, { type: 'UpdateAddressScope', body, actor: ctx.actor });
    return this.showScope(ctx, id);
  }

  async deleteScope(ctx: RequestContext, id: string) {
    this.visibleScope(ctx, id);
    await this.runScope(ctx, id, { type: 'DeleteAddressScope', actor: ctx.actor });
  }

  // ---- subnet pools

  private poolState(id: string): { state: SubnetPoolState; seq: number } {
    const v = this.model.subnetPools.get(id);
    const others = [...this.model.subnetPools.values()].map((p) => p.value).filter((p) => p.id !== id);
    return { state: { pool: v?.value, others, scope: (sid) => this.model.addressScopes.get(sid)?.value }, seq: v?.seq ?? 0 };
  }

  private runPool(ctx: RequestContext, id: string, command: SubnetPoolCommand) {
    return this.handler.handle<SubnetPoolState>(ctx, {
      aggregate: aggregate('subnetpool', id),
      load: () => this.poolState(id),
      decide: (s) => subnetPoolDecider.decide(command, s),
    });
  }

  /** The pool as the caller may see it (SubnetPoolNotFound otherwise). */
  visiblePool(actor: Actor, id: string): SubnetPool {
    const p = this.model.subnetPools.get(id)?.value;
    if (!p || !canSeeSubnetPool(p, actor)) throw subnetPoolNotFound(id);
    return p;
  }

  /** The pools the caller may see (what a subnet create resolves its pool among). */
  visiblePools(actor: Actor): SubnetPool[] {
    return [...this.model.subnetPools.values()].map((v) => v.value).filter((p) => canSeeSubnetPool(p, actor));
  }

  listPools(ctx: RequestContext, q: Query, rawQuery = '') {
    const items = this.visiblePools(ctx.actor).map((p) => presentSubnetPool(p, ctx.actor));
    const page = listPage(items, parseListQuery(q, POOL_FILTERS), { collection: 'subnetpools', notFound: subnetPoolNotFound, selfUrl: `${ctx.baseUrl}/v2.0/subnetpools`, rawQuery });
    return { subnetpools: page.items, ...(page.links ? { subnetpools_links: page.links } : {}) };
  }

  showPool(ctx: RequestContext, id: string, q: Query = {}) {
    return { subnetpool: selectFields(presentSubnetPool(this.visiblePool(ctx.actor, id), ctx.actor), fieldsOf(q)) };
  }

  // A pool in an address scope is a member of the scope's aggregate too: it joins (or widens its
  // prefixes there) on the scope's subject before the pool names the scope, and leaves (or shrinks)
  // after — so the scope's prefix-uniqueness and AddressScopeInUse are decided on one subject, and
  // what the scope holds is never less than what its pools hold.

  private joinScope(ctx: RequestContext, scopeId: string, pool: Pick<SubnetPool, 'id' | 'prefixes' | 'ip_version'>) {
    return this.runScope(ctx, scopeId, { type: 'JoinAddressScope', address_scope_id: scopeId, subnetpool_id: pool.id, prefixes: pool.prefixes, ip_version: pool.ip_version, actor: ctx.actor });
  }

  private leaveScope(ctx: RequestContext, scopeId: string, poolId: string) {
    return this.runScope(ctx, scopeId, { type: 'LeaveAddressScope', subnetpool_id: poolId }).catch(() => undefined);
  }

  /** The pool a command would leave, decided on the state as it stands (its refusals, before anything is appended). */
  private planPool(id: string, command: SubnetPoolCommand): SubnetPool | undefined {
    const { state } = this.poolState(id);
    let pool = state.pool;
    for (const e of subnetPoolDecider.decide(command, state)) pool = evolveSubnetPool(pool, { ...e, at: '' });
    return pool;
  }

  /** The default pool of a version is claimed on that version's subject first (one default per IP version, race-free). */
  private claimDefault(ctx: RequestContext, version: 4 | 6, poolId: string) {
    return this.handler.handle<DefaultPoolState>(ctx, {
      aggregate: aggregate('subnetpool', defaultPoolSubject(version)),
      load: () => {
        const v = this.model.defaultPools.get(version);
        const stillDefault = (pid: string) => { const p = this.model.subnetPools.get(pid)?.value; return !!p && p.is_default && p.ip_version === version; };
        return { state: { holder: v?.value ?? null, stillDefault }, seq: v?.seq ?? 0 };
      },
      decide: (s) => defaultPoolDecider.decide({ type: 'ClaimDefaultPool', ip_version: version, subnetpool_id: poolId }, s),
    });
  }

  private releaseDefault(ctx: RequestContext, version: 4 | 6, poolId: string) {
    return this.handler.handle<DefaultPoolState>(ctx, {
      aggregate: aggregate('subnetpool', defaultPoolSubject(version)),
      load: () => { const v = this.model.defaultPools.get(version); return { state: { holder: v?.value ?? null, stillDefault: () => false }, seq: v?.seq ?? 0 }; },
      decide: (s) => defaultPoolDecider.decide({ type: 'ReleaseDefaultPool', ip_version: version, subnetpool_id: poolId }, s),
    }).catch(() => undefined);
  }

  /**
   * A pool change that may make it the default, widen its prefixes or move it
   * to another scope: the default is claimed and the scope joined first, both
   * rolled back when the change is refused; what it stopped being is given
   * back after.
   */
  private async changePool(ctx: RequestContext, id: string, command: SubnetPoolCommand) {
    const before = this.model.subnetPools.get(id)?.value;
    const after = this.planPool(id, command);
    const undo: Array<() => Promise<unknown>> = [];
    try {
      if (after?.is_default && !before?.is_default) {
        await this.claimDefault(ctx, after.ip_version, id);
        undo.push(() => this.releaseDefault(ctx, after.ip_version, id));
      }
      const joined = after?.address_scope_id ?? undefined;
      if (joined) {
        await this.joinScope(ctx, joined, after!);
        if (joined !== before?.address_scope_id) undo.push(() => this.leaveScope(ctx, joined, id));
        else if (before) undo.push(() => this.joinScope(ctx, joined, before).catch(() => undefined));
      }
      await this.runPool(ctx, id, command);
    } catch (err) {
      for (const u of undo.reverse()) await u();
      throw err;
    }
    const now = this.model.subnetPools.get(id)?.value;
    if (before?.address_scope_id && before.address_scope_id !== now?.address_scope_id) await this.leaveScope(ctx, before.address_scope_id, id);
    if (before?.is_default && !now?.is_default) await this.releaseDefault(ctx, before.ip_version, id);
  }

  async createPool(ctx: RequestContext, raw: unknown) {
    const id = newId();
    await this.changePool(ctx, id, { type: 'CreateSubnetPool', body: parseJsonBody(raw), actor: ctx.actor, id, now: nowIso() });
    return this.showPool(ctx, id);
  }

  async updatePool(ctx: RequestContext, id: string, raw: unknown) {
    const body = parseJsonBody(raw);
    this.visiblePool(ctx.actor, id);
    await this.changePool(ctx, id, { type: 'UpdateSubnetPool', body, actor: ctx.actor });
    return { subnetpool: presentUpdatedSubnetPool(this.visiblePool(ctx.actor, id)) };
  }

  async prefixOp(ctx: RequestContext, id: string, op: 'add_prefixes' | 'remove_prefixes', raw: unknown) {
    const body = parseJsonBody(raw);
    this.visiblePool(ctx.actor, id);
    if (op === 'add_prefixes') await this.changePool(ctx, id, { type: 'AddPrefixes', body, actor: ctx.actor });
    else {
      await this.runPool(ctx, id, { type: 'RemovePrefixes', body, actor: ctx.actor });
      // narrowed: the scope holds less of it from now on
      const pool = this.model.subnetPools.get(id)?.value;
      if (pool?.address_scope_id) await this.joinScope(ctx, pool.address_scope_id, pool).catch(() => undefined);
    }
    return { prefixes: [...this.visiblePool(ctx.actor, id).prefixes] };
  }

  /**
   * subnet_onboard: the network's subnets of the pool's version become the
   * pool's — decided on the pool's subject (their blocks held, their CIDRs
   * added to its prefixes), then each subnet names the pool on its own subject
   * (a subnet from another pool gives its block back there). Zed's answer: the
   * onboarded subnets' ids and CIDRs.
   */
  async onboard(ctx: RequestContext, id: string, raw: unknown): Promise<Array<{ id: string; cidr: string }>> {
    const body = parseJsonBody(raw) as { network_id?: unknown } | null;
    const networkId = body && typeof body === 'object' ? body.network_id : undefined;
    if (networkId === undefined || networkId === null) throw invalidInput('network_id must be specified.');
    if (typeof networkId !== 'string' || !this.model.networks.has(networkId)) throw networkNotFound(String(networkId));
    const pool = this.visiblePool(ctx.actor, id);
    const subnets = this.model.subnetsOf(networkId).filter((s) => s.ip_version === pool.ip_version);
    await this.changePool(ctx, id, {
      type: 'OnboardSubnets', body, actor: ctx.actor, now: nowIso(),
      subnets: subnets.map((s) => ({ id: s.id, cidr: s.cidr, project_id: s.project_id, ip_version: s.ip_version })),
    });
    for (const s of subnets) {
      if (s.subnetpool_id && s.subnetpool_id !== id) await this.release(ctx, s.subnetpool_id, s.id);
      await this.handler.handle(ctx, {
        aggregate: aggregate('subnet', s.id),
        load: () => subnetState(this.model, s.id, ctx.actor),
        decide: (st) => subnetDecider.decide({ type: 'OnboardSubnet', subnetpool_id: id }, st),
      });
    }
    return subnets.map((s) => ({ id: s.id, cidr: s.cidr }));
  }

  async deletePool(ctx: RequestContext, id: string) {
    const pool = this.visiblePool(ctx.actor, id);
    await this.runPool(ctx, id, { type: 'DeleteSubnetPool', actor: ctx.actor });
    if (pool.address_scope_id) await this.leaveScope(ctx, pool.address_scope_id, id);
    if (pool.is_default) await this.releaseDefault(ctx, pool.ip_version, id);
  }

  // ---- RBAC (rbac-subnetpool, rbac-address-scope)

  /** Every access_as_shared policy on pools and scopes the caller may see (admins: all; others: those their project made). */
  policies(actor: Actor): RbacPolicy[] {
    const out: RbacPolicy[] = [];
    for (const { value } of this.model.subnetPools.values()) out.push(...objectPolicies('subnetpool', value));
    for (const { value } of this.model.addressScopes.values()) out.push(...objectPolicies('address_scope', value));
    return out.filter((p) => canSeePolicy(p, actor));
  }

  /** The object a new policy names (Zed: one the caller cannot see is "not yours", one that does not exist is InvalidInput). */
  checkShareable(actor: Actor, type: SharedObjectType, id: string): void {
    const o = type === 'subnetpool' ? this.model.subnetPools.get(id)?.value : this.model.addressScopes.get(id)?.value;
    const what = type === 'subnetpool' ? 'Subnet pool' : 'Address scope';
    if (!o) throw new NeutronError(400, 'InvalidInput', `Invalid input for operation: ${what} ${id} could not be found.`);
    const visible = type === 'subnetpool' ? canSeeSubnetPool(o as SubnetPool, actor) : canSeeAddressScope(o as AddressScope, actor);
    if (!visible) throw rbacErrors.notOwner();
  }

  /** A policy command decided on the object's subject. */
  async rbac(ctx: RequestContext, type: SharedObjectType, id: string, rbac: ObjectRbacCommand): Promise<void> {
    if (type === 'subnetpool') await this.runPool(ctx, id, { type: 'SubnetPoolRbac', rbac });
    else await this.runScope(ctx, id, { type: 'AddressScopeRbac', rbac });
  }

  /** Takes a block of the pool for the subnet about to be created: its CIDR. */
  async allocate(ctx: RequestContext, poolId: string, subnetId: string, projectId: string, request: PrefixRequest): Promise<string> {
    await this.runPool(ctx, poolId, { type: 'AllocatePrefix', subnetpool_id: poolId, subnet_id: subnetId, project_id: projectId, request, now: nowIso() });
    return this.model.subnetPools.get(poolId)!.value.allocations[subnetId].cidr;
  }

  /** Frees the subnet's block (its subnet is gone, or was never made). */
  async release(ctx: RequestContext, poolId: string, subnetId: string): Promise<void> {
    await this.runPool({ ...ctx, actor: admin(ctx.actor) }, poolId, { type: 'ReleasePrefix', subnet_id: subnetId });
  }
}
