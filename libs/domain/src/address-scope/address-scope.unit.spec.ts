import { addressScopeDecider, type AddressScopeState } from './decider';
import type { SubnetPool } from '../subnetpool/model';
import type { AddressScope } from './model';

const member = { user_id: 'u1', project_id: 'p1', roles: ['member'] };
const other = { user_id: 'u2', project_id: 'p2', roles: ['member'] };
const id = '7ad56565-b6c8-453b-ae25-dee9a30a170a';
const created = () => addressScopeDecider.decide({ type: 'CreateAddressScope', body: { address_scope: { name: 'as1', ip_version: 4 } }, actor: member, id, now: '2026-12-04T06:12:51Z' }, addressScopeDecider.initialState());
const scope = () => (created()[0] as unknown as { data: { address_scope: AddressScope } }).data.address_scope;

describe('address scopes (Zed answers)', () => {
  it('creates with Zed defaults', () => {
    expect(created()).toEqual([{ type: 'address_scope.created', data: { address_scope: expect.objectContaining({ id, name: 'as1', shared: false, ip_version: 4, project_id: 'p1', tenant_id: 'p1' }) } }]);
  });
  it('refuses a bad ip_version, a missing one, and shared from a member', () => {
    const create = (b: object) => () => addressScopeDecider.decide({ type: 'CreateAddressScope', body: { address_scope: b }, actor: member, id, now: 'x' }, addressScopeDecider.initialState());
    expect(create({ ip_version: 5 })).toThrow('Invalid input for ip_version. Reason: 5 is not in valid_values.');
    expect(create({ name: 'a' })).toThrow("Failed to parse request. Required attribute 'ip_version' not specified");
    expect(create({ ip_version: 6, shared: true })).toThrow('(rule:create_address_scope and rule:create_address_scope:shared) is disallowed by policy');
  });
  it('updates the name, refuses ip_version, hides from other projects', () => {
    const s = { scope: scope(), pools: [] };
    expect(addressScopeDecider.decide({ type: 'UpdateAddressScope', body: { address_scope: { name: 'z' } }, actor: member }, s)).toEqual([
      { type: 'address_scope.updated', data: { address_scope_id: id, changes: { name: 'z' } } },
    ]);
    expect(() => addressScopeDecider.decide({ type: 'UpdateAddressScope', body: { address_scope: { ip_version: 6 } }, actor: member }, s)).toThrow('Cannot update read-only attribute ip_version');
    expect(() => addressScopeDecider.decide({ type: 'DeleteAddressScope', actor: other }, s)).toThrow(`Address scope ${id} could not be found.`);
  });
  it('a scope with pools cannot be deleted (AddressScopeInUse, 409)', () => {
    const s = { scope: scope(), pools: [{ id: 'sp' } as SubnetPool] };
    expect(() => addressScopeDecider.decide({ type: 'DeleteAddressScope', actor: member }, s)).toThrow(
      `Unable to complete operation on address scope ${id}. There are one or more subnet pools in use on the address scope.`,
    );
    expect(addressScopeDecider.decide({ type: 'DeleteAddressScope', actor: member }, { ...s, pools: [] })).toEqual([{ type: 'address_scope.deleted', data: { address_scope_id: id } }]);
  });

  it('pools join the scope on its subject: a prefix held by another member is refused, a member keeps the scope in use', () => {
    const s: AddressScopeState = { scope: scope(), pools: [] };
    const join = (poolId: string, prefixes: string[], st = s, ip_version: 4 | 6 = 4) =>
      addressScopeDecider.decide({ type: 'JoinAddressScope', address_scope_id: id, subnetpool_id: poolId, prefixes, ip_version, actor: member }, st);
    const joined = join('sp1', ['10.1.0.0/16']);
    expect(joined).toEqual([{ type: 'address_scope.pool_joined', data: { address_scope_id: id, subnetpool_id: 'sp1', prefixes: ['10.1.0.0/16'] } }]);
    const withSp1 = joined.reduce<AddressScopeState>((st, e) => addressScopeDecider.evolve(st, { ...e, at: 'x' } as never), s);
    expect(() => join('sp2', ['10.1.128.0/17'], withSp1)).toThrow('Failed to associate address scope: subnetpools within an address scope must have unique prefixes.');
    expect(join('sp1', ['10.1.0.0/16'], withSp1)).toEqual([]);
    expect(join('sp1', ['10.0.0.0/15'], withSp1)).toHaveLength(1); // a member widening its own prefixes
    expect(() => join('sp3', ['fd00::/48'], s, 6)).toThrow(`cannot associate with address scope ${id} because subnetpool ip_version is not 4.`);
    expect(() => addressScopeDecider.decide({ type: 'DeleteAddressScope', actor: member }, withSp1)).toThrow('There are one or more subnet pools in use on the address scope.');
    const left = addressScopeDecider.decide({ type: 'LeaveAddressScope', subnetpool_id: 'sp1' }, withSp1);
    const empty = left.reduce<AddressScopeState>((st, e) => addressScopeDecider.evolve(st, { ...e, at: 'x' } as never), withSp1);
    expect(addressScopeDecider.decide({ type: 'DeleteAddressScope', actor: member }, empty)).toEqual([{ type: 'address_scope.deleted', data: { address_scope_id: id } }]);
  });
});
