import { thrown } from '../__fixtures__/zed';
import type { AddressScope } from '../address-scope/model';
import { allocateFromPool } from './allocate';
import { subnetPoolDecider, type SubnetPoolCommand, type SubnetPoolState } from './decider';
import { evolveSubnetPool } from './evolve';
import type { SubnetPool } from './model';
import { presentSubnetPool, presentUpdatedSubnetPool } from './present';

/** Every expected outcome here is what Debian's Zed neutron-server answered (recorded 2026-12-04 on the reference server). */
const p1 = { user_id: 'u1', project_id: 'p1', roles: ['member'] };
const p2 = { user_id: 'u2', project_id: 'p2', roles: ['member'] };
const admin = { user_id: 'a', project_id: 'admin', roles: ['admin'] };
const id = '741ebe8a-c764-45be-afa9-69c2b5cdca25';
const scopeId = 'd11d7ed6-ace2-4071-bf5d-acb386436af2';
const scope: AddressScope = { id: scopeId, name: 'as1', tenant_id: 'p1', project_id: 'p1', shared: false, ip_version: 4, created_at: 'x', updated_at: 'x', revision_number: 0 };
const empty = (others: SubnetPool[] = []): SubnetPoolState => ({ pool: undefined, others, scope: (s) => (s === scopeId ? scope : undefined) });

const decide = (c: SubnetPoolCommand, s: SubnetPoolState) => subnetPoolDecider.decide(c, s);
const create = (body: object, actor = p1, s = empty()) => decide({ type: 'CreateSubnetPool', body: { subnetpool: body }, actor, id, now: '2026-12-04T18:34:59Z' }, s);
const made = (body: object, s = empty()): SubnetPool => (create(body, p1, s)[0].data as { subnetpool: SubnetPool }).subnetpool;
const apply = (pool: SubnetPool, events: Array<{ type: string; data: unknown }>) => events.reduce<SubnetPool | undefined>((v, e) => evolveSubnetPool(v, { ...e, at: '2026-12-04T18:35:11Z' }), pool)!;
const stateOf = (pool: SubnetPool, others: SubnetPool[] = []): SubnetPoolState => ({ ...empty(others), pool });

describe('subnet pool create (Zed answers)', () => {
  it('compacts the prefixes and takes the defaults; prefix lengths shown as strings', () => {
    const pool = made({ name: 'sp1', prefixes: ['10.10.0.0/24', '10.10.1.0/24'] });
    expect(presentSubnetPool(pool)).toEqual({
      id, name: 'sp1', tenant_id: 'p1', default_prefixlen: '8', min_prefixlen: '8', max_prefixlen: '32', is_default: false, shared: false,
      prefixes: ['10.10.0.0/23'], ip_version: 4, default_quota: null, address_scope_id: null, description: '', tags: [],
      created_at: '2026-12-04T18:34:59Z', updated_at: '2026-12-04T18:34:59Z', revision_number: 0, project_id: 'p1',
    });
    expect(presentSubnetPool(made({ name: 's6', prefixes: ['fd00::/48'] }))).toMatchObject({ default_prefixlen: '64', min_prefixlen: '64', max_prefixlen: '128', ip_version: 6 });
    expect(made({ name: 'sb', prefixes: ['10.0.0.1/8'] }).prefixes).toEqual(['10.0.0.0/8']);
  });

  it.each([
    [{ name: 's', prefixes: [] }, 400, 'EmptySubnetPoolPrefixList', 'Empty subnet pool prefix list.'],
    [{ name: 's', prefixes: ['10.0.0.0/8', 'fd00::/48'] }, 400, 'PrefixVersionMismatch', 'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.'],
    [{ name: 's', prefixes: ['10.0.0.0/8'], min_prefixlen: 24, max_prefixlen: 20 }, 400, 'IllegalSubnetPoolPrefixBounds', 'Illegal prefix bounds: min_prefixlen=24, max_prefixlen=20.'],
    [{ name: 's', prefixes: ['10.0.0.0/8'], default_prefixlen: 4 }, 400, 'IllegalSubnetPoolPrefixBounds', 'Illegal prefix bounds: default_prefixlen=4, min_prefixlen=8.'],
    [{ name: 's', prefixes: ['10.0.0.0/8'], max_prefixlen: 33 }, 400, 'IllegalSubnetPoolPrefixBounds', 'Illegal prefix bounds: max_prefixlen=33, ip_version_max=32.'],
    [{ name: 's' }, 400, 'HTTPBadRequest', "Failed to parse request. Required attribute 'prefixes' not specified"],
    [{ prefixes: ['10.0.0.0/16'] }, 400, 'HTTPBadRequest', "Failed to parse request. Required attribute 'name' not specified"],
    [{ name: 's', prefixes: ['10.0.0.0/8'], default_quota: 'x' }, 400, 'InvalidInput', "Invalid input for operation: 'x' is not an integer."],
    [{ name: 's', prefixes: ['10.0.0.0/33'] }, 400, 'HTTPBadRequest', "Invalid input for prefixes. Reason: '10.0.0.0/33' is not a valid IP subnet."],
    [{ name: 's', prefixes: ['10.0.0.0/8'], ip_version: 4 }, 400, 'HTTPBadRequest', "Attribute 'ip_version' not allowed in POST"],
    [{ name: 's', prefixes: ['10.0.0.0/16'], shared: true }, 403, 'PolicyNotAuthorized', '(rule:create_subnetpool and rule:create_subnetpool:shared) is disallowed by policy'],
    [{ name: 's', prefixes: ['10.0.0.0/16'], is_default: true }, 403, 'PolicyNotAuthorized', '(rule:create_subnetpool and rule:create_subnetpool:is_default) is disallowed by policy'],
  ])('%j → %i %s', (body, status, type, message) => {
    expect(thrown(() => create(body))).toEqual({ status, type, message });
  });

  it('one default pool per IP version', () => {
    const dflt = { ...made({ name: 'd', prefixes: ['10.0.0.0/16'] }), id: 'other', is_default: true };
    expect(thrown(() => create({ name: 's', prefixes: ['10.1.0.0/16'], is_default: true }, admin, empty([dflt])))).toEqual({
      status: 400, type: 'InvalidInput',
      message: 'Invalid input for operation: A default subnetpool for this IP family has already been set. Only one default may exist per IP family.',
    });
    expect(create({ name: 's6', prefixes: ['fd00::/48'], is_default: true }, admin, empty([dflt]))).toHaveLength(1);
  });

  it('an address scope: visible to the caller, of the pool version, prefixes unique among its pools', () => {
    expect(thrown(() => create({ name: 's', prefixes: ['10.1.0.0/16'], address_scope_id: scopeId }, p2))).toEqual({
      status: 404, type: 'AddressScopeNotFound', message: `Address scope ${scopeId} could not be found.`,
    });
    const sa = { ...made({ name: 'sa', prefixes: ['10.1.0.0/16'], address_scope_id: scopeId }), id: 'sa' };
    expect(sa.address_scope_id).toBe(scopeId);
    expect(thrown(() => create({ name: 'sb', prefixes: ['10.1.128.0/17'], address_scope_id: scopeId }, p1, empty([sa])))).toEqual({
      status: 409, type: 'AddressScopePrefixConflict', message: 'Failed to associate address scope: subnetpools within an address scope must have unique prefixes.',
    });
    expect(thrown(() => create({ name: 'sb', prefixes: ['fd00::/48'], address_scope_id: scopeId }))).toEqual({
      status: 400, type: 'IllegalSubnetPoolIpVersionAssociationToAddressScope',
      message: `Illegal subnetpool association: subnetpool ${id} cannot associate with address scope ${scopeId} because subnetpool ip_version is not 4.`,
    });
  });
});

describe('subnet pool update and prefix operations (Zed answers)', () => {
  const pool = () => made({ name: 'sp1', prefixes: ['10.10.0.0/24', '10.10.1.0/24'] });
  const update = (body: object, p = pool(), actor = p1) => decide({ type: 'UpdateSubnetPool', body: { subnetpool: body }, actor }, stateOf(p));

  it('prefixes may only grow; bounds checked on the merged pool; ints on PUT', () => {
    expect(thrown(() => update({ prefixes: ['10.10.0.0/24'] }))).toEqual({
      status: 400, type: 'IllegalSubnetPoolPrefixUpdate', message: 'Illegal update to prefixes: Existing prefixes must be a subset of the new prefixes.',
    });
    const after = apply(pool(), update({ prefixes: ['10.10.0.0/22'], min_prefixlen: 22, default_prefixlen: 26 }));
    expect(presentUpdatedSubnetPool(after)).toEqual({
      id, project_id: 'p1', name: 'sp1', ip_version: 4, default_prefixlen: 26, min_prefixlen: 22, max_prefixlen: 32, shared: false, is_default: false,
      revision_number: 1, description: '', created_at: '2026-12-04T18:34:59Z', updated_at: '2026-12-04T18:35:11Z', tenant_id: 'p1', prefixes: ['10.10.0.0/22'], tags: [],
    });
    expect(thrown(() => update({ max_prefixlen: 24 }, after))).toEqual({
      status: 400, type: 'IllegalSubnetPoolPrefixBounds', message: 'Illegal prefix bounds: default_prefixlen=26, max_prefixlen=24.',
    });
    expect(apply(after, update({ name: 'sp1' }, after)).revision_number).toBe(2); // Zed bumps every successful update
  });

  it('read-only and admin-only attributes; other projects do not see it', () => {
    expect(thrown(() => update({ ip_version: 6 }))).toEqual({ status: 400, type: 'HTTPBadRequest', message: 'Cannot update read-only attribute ip_version' });
    expect(thrown(() => update({ shared: true }))).toEqual({ status: 400, type: 'HTTPBadRequest', message: 'Cannot update read-only attribute shared' });
    expect(thrown(() => update({ is_default: true }))).toEqual({
      status: 403, type: 'PolicyNotAuthorized', message: '(rule:update_subnetpool and rule:update_subnetpool:is_default) is disallowed by policy',
    });
    // another project's shared pool: visible, but only its owner changes it (Zed's messages)
    const shared = { ...pool(), shared: true };
    expect(thrown(() => decide({ type: 'UpdateSubnetPool', body: { subnetpool: { name: 'mine' } }, actor: p2 }, stateOf(shared)))).toEqual({
      status: 403, type: 'PolicyNotAuthorized', message: 'rule:update_subnetpool is disallowed by policy',
    });
    expect(thrown(() => decide({ type: 'AddPrefixes', body: { prefixes: ['10.98.0.0/16'] }, actor: p2 }, stateOf(shared)))).toEqual({
      status: 403, type: 'PolicyNotAuthorized', message: '(rule:add_prefixes and rule:add_prefixes:shared) is disallowed by policy',
    });
    expect(thrown(() => decide({ type: 'DeleteSubnetPool', actor: p2 }, stateOf(shared)))).toEqual({
      status: 403, type: 'PolicyNotAuthorized', message: 'rule:delete_subnetpool is disallowed by policy',
    });
    expect(thrown(() => decide({ type: 'AddPrefixes', body: { prefixes: ['10.20.0.0/24'] }, actor: p2 }, stateOf(pool())))).toEqual({
      status: 404, type: 'SubnetPoolNotFound', message: `Subnet pool ${id} could not be found.`,
    });
  });

  it('add_prefixes / remove_prefixes', () => {
    const op = (type: 'AddPrefixes' | 'RemovePrefixes', body: unknown, p: SubnetPool) => decide({ type, body, actor: p1 }, stateOf(p));
    let p = apply(pool(), update({ prefixes: ['10.10.0.0/22'] }));
    p = apply(p, op('AddPrefixes', { prefixes: ['10.20.0.0/24'] }, p));
    expect(p.prefixes).toEqual(['10.10.0.0/22', '10.20.0.0/24']);
    for (const body of [{ prefixes: [] }, { x: 1 }])
      expect(thrown(() => op('AddPrefixes', body, p))).toEqual({ status: 400, type: 'HTTPBadRequest', message: 'Request body contains invalid data' });
    expect(thrown(() => op('AddPrefixes', { prefixes: ['fd00::/64'] }, p))).toEqual({ status: 400, type: 'PrefixVersionMismatch', message: 'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.' });
    expect(thrown(() => op('AddPrefixes', { prefixes: ['10.10.0.0/33'] }, p))).toEqual({ status: 400, type: 'AddrFormatError', message: 'invalid IPNetwork 10.10.0.0/33' });
    const rev = p.revision_number;
    p = apply(p, op('RemovePrefixes', { prefixes: ['10.20.0.0/25'] }, p));
    expect([p.prefixes, p.revision_number]).toEqual([['10.10.0.0/22', '10.20.0.128/25'], rev]);
    expect(op('RemovePrefixes', { prefixes: ['192.168.0.0/24'] }, p)).toEqual([]);
    const bare = apply(p, op('RemovePrefixes', { prefixes: ['10.0.0.0/8'] }, p));
    expect(bare.prefixes).toEqual([]);
    expect(thrown(() => update({ default_quota: 0 }, bare))).toEqual({ status: 400, type: 'EmptySubnetPoolPrefixList', message: 'Empty subnet pool prefix list.' });
    expect(apply(bare, op('AddPrefixes', { prefixes: ['10.10.0.0/24'] }, bare)).prefixes).toEqual(['10.10.0.0/24']);
    const held = { ...p, allocations: { s1: { cidr: '10.10.2.0/24', project_id: 'p1', at: 'x' } } };
    expect(thrown(() => op('RemovePrefixes', { prefixes: ['10.10.2.0/24'] }, held))).toEqual({
      status: 400, type: 'IllegalSubnetPoolPrefixUpdate', message: 'Illegal update to prefixes: One or more the prefixes to be removed is in use by a subnet..',
    });
    expect(thrown(() => decide({ type: 'DeleteSubnetPool', actor: p1 }, stateOf(held)))).toEqual({
      status: 400, type: 'SubnetPoolDeleteError', message: 'Unable to delete subnet pool: Subnet pool has existing allocations.',
    });
    expect(decide({ type: 'DeleteSubnetPool', actor: p1 }, stateOf(p))).toEqual([{ type: 'subnetpool.deleted', data: { subnetpool_id: id } }]);
  });
});

describe('allocation (Zed SubnetAllocator)', () => {
  // pool 10.10.0.0/22 + 10.20.0.128/25, min 22, default 26 (as on the reference server)
  const base = (): SubnetPool => ({ ...made({ name: 'sp1', prefixes: ['10.10.0.0/22', '10.20.0.128/25'], min_prefixlen: 22, default_prefixlen: 26 }) });
  const take = (p: SubnetPool, sub: string, cidr: string, project = 'p1') => ({ ...p, allocations: { ...p.allocations, [sub]: { cidr, project_id: project, at: 'x' } } });

  it('smallest free block first, then the asked CIDR if wholly free', () => {
    let p = base();
    expect(allocateFromPool(p, { prefixlen: 26 }, 'p1')).toBe('10.20.0.128/26');
    p = take(p, 'a', '10.20.0.128/26');
    expect(allocateFromPool(p, { prefixlen: 28 }, 'p1')).toBe('10.20.0.192/28');
    expect(allocateFromPool(p, { cidr: '10.10.2.0/24' }, 'p1')).toBe('10.10.2.0/24');
    p = take(p, 'b', '10.10.0.0/26');
    expect(thrown(() => allocateFromPool(p, { cidr: '10.10.0.0/26' }, 'p1'))).toEqual({
      status: 500, type: 'SubnetAllocationError', message: 'Failed to allocate subnet: Cannot allocate requested subnet from the available set of prefixes.',
    });
    expect(thrown(() => allocateFromPool(p, { cidr: '10.99.0.0/24' }, 'p1'))).toMatchObject({ status: 500, type: 'SubnetAllocationError' });
  });

  it('bounds, quota, exhaustion', () => {
    const p = base();
    expect(thrown(() => allocateFromPool(p, { prefixlen: 20 }, 'p1'))).toEqual({
      status: 400, type: 'MinPrefixSubnetAllocationError', message: 'Unable to allocate subnet with prefix length 20, minimum allowed prefix is 22.',
    });
    expect(thrown(() => allocateFromPool(p, { prefixlen: 33 }, 'p1'))).toEqual({ status: 400, type: 'AddrFormatError', message: 'invalid IPNetwork 0.0.0.0/33' });
    const q = { ...take(take(p, 'a', '10.20.0.128/26'), 'b', '10.20.0.192/28'), default_quota: 300 };
    expect(thrown(() => allocateFromPool(q, { prefixlen: 24 }, 'p1'))).toEqual({ status: 409, type: 'SubnetPoolQuotaExceeded', message: 'Per-tenant subnet pool prefix quota exceeded.' });
    expect(allocateFromPool(q, { prefixlen: 24 }, 'p2')).toBe('10.10.0.0/24'); // the quota is per project
    // IPv6 counts /64s, a longer block a fraction of one (a /64 and a /65 leave no room for another /64 in a quota of 2)
    const v6 = { ...made({ name: 'q', prefixes: ['fd00:99::/48'], default_quota: 2 }), allocations: { a: { cidr: 'fd00:99::/64', project_id: 'p1', at: 'x' }, b: { cidr: 'fd00:99:0:1::/65', project_id: 'p1', at: 'x' } } };
    expect(thrown(() => allocateFromPool(v6, { prefixlen: 64 }, 'p1'))).toMatchObject({ status: 409, type: 'SubnetPoolQuotaExceeded' });
    const full = { ...made({ name: 'f', prefixes: ['10.30.0.0/30'], min_prefixlen: 30 }), allocations: { a: { cidr: '10.30.0.0/30', project_id: 'p1', at: 'x' } } };
    expect(thrown(() => allocateFromPool(full, { prefixlen: 30 }, 'p1'))).toEqual({
      status: 500, type: 'SubnetAllocationError', message: 'Failed to allocate subnet: Insufficient prefix space to allocate subnet size /30.',
    });
  });

  it('is decided on the pool: a block once taken is never given again, and released on ReleasePrefix', () => {
    let p = base();
    const cidrs: string[] = [];
    for (let i = 0; i < 4; i++) {
      const events = decide({ type: 'AllocatePrefix', subnetpool_id: id, subnet_id: `s${i}`, project_id: 'p1', request: { prefixlen: 26 }, now: 'x' }, stateOf(p));
      p = apply(p, events);
      cidrs.push(p.allocations[`s${i}`].cidr);
    }
    expect(cidrs).toEqual(['10.20.0.128/26', '10.20.0.192/26', '10.10.0.0/26', '10.10.0.64/26']);
    expect(p.revision_number).toBe(0);
    p = apply(p, decide({ type: 'ReleasePrefix', subnet_id: 's0' }, stateOf(p)));
    expect(Object.keys(p.allocations)).toEqual(['s1', 's2', 's3']);
    expect(decide({ type: 'ReleasePrefix', subnet_id: 's0' }, stateOf(p))).toEqual([]);
  });

  it('onboards a network\'s subnets of its version: their CIDRs join the prefixes and their blocks are held (Zed answers)', () => {
    const p = base();
    const subnets = [{ id: 'a', cidr: '10.121.5.0/24', project_id: 'p1', ip_version: 4 }, { id: 'b', cidr: 'fd00:5::/64', project_id: 'p1', ip_version: 6 }];
    const after = apply(p, decide({ type: 'OnboardSubnets', body: {}, actor: p1, subnets, now: 'x' }, stateOf(p)));
    expect([after.prefixes, Object.keys(after.allocations), after.revision_number]).toEqual([['10.10.0.0/22', '10.20.0.128/25', '10.121.5.0/24'], ['a'], 1]);
    expect(thrown(() => decide({ type: 'OnboardSubnets', body: {}, actor: p1, subnets, now: 'x' }, stateOf(after)))).toEqual({
      status: 400, type: 'IllegalSubnetPoolUpdate', message: `Illegal subnetpool update : Onboarding subnet a: 10.121.5.0/24 conflicts with allocated prefixes in subnet pool ${id}.`,
    });
    expect(thrown(() => decide({ type: 'OnboardSubnets', body: {}, actor: p2, subnets, now: 'x' }, stateOf({ ...p, shared: true })))).toEqual({
      status: 403, type: 'PolicyNotAuthorized', message: 'rule:onboard_network_subnets is disallowed by policy',
    });
  });
});
