import { addressGroupDecider, type AddressGroupState } from './decider';
import type { AddressGroup } from './model';
import { securityGroupDecider } from '../security-group/decider';
import { buildSecurityGroup } from '../security-group/build';

const member = { user_id: 'u1', project_id: 'p1', roles: ['member'] };
const other = { user_id: 'u2', project_id: 'p2', roles: ['member'] };
const id = 'e704b26c-b296-405c-becb-358596dc9dc4';
const decide = addressGroupDecider.decide;
const fold = (s: AddressGroupState, events: ReturnType<typeof decide>) =>
  events.reduce<AddressGroupState>((st, e) => addressGroupDecider.evolve(st, { ...e, at: '2026-12-04T21:40:00Z' } as never), s);
const create = (body: object, actor = member) =>
  decide({ type: 'CreateAddressGroup', body: { address_group: body }, actor, id, now: '2026-12-04T21:33:55Z' }, addressGroupDecider.initialState());
const made = (addresses: string[]): AddressGroupState => fold(addressGroupDecider.initialState(), create({ name: 'ag1', addresses }));

describe('address groups (Zed answers)', () => {
  it('creates with the CIDRs normalised and deduplicated', () => {
    const g = (create({ name: 'ag1', description: 'd', addresses: ['10.0.0.1/24', '10.0.0.0/24', '10.0.0.5/32', '2001:db8::1/64'] })[0].data as { address_group: AddressGroup }).address_group;
    expect(g).toMatchObject({ id, name: 'ag1', description: 'd', project_id: 'p1', tenant_id: 'p1', shared: false, revision_number: 0 });
    expect(g.addresses).toEqual(['10.0.0.0/24', '10.0.0.5/32', '2001:db8::/64']);
  });
  it('refuses what Zed refuses on create', () => {
    expect(() => create({ addresses: ['10.0.0.5'] })).toThrow("Invalid input for addresses. Reason: '10.0.0.5' isn't a recognized IP subnet cidr, '10.0.0.5/32' is recommended.");
    expect(() => create({ addresses: ['2001:db8::1'] })).toThrow("'2001:db8::1' isn't a recognized IP subnet cidr, '2001:db8::1/128' is recommended.");
    expect(() => create({ addresses: ['10.0.0.300/24'] })).toThrow("Invalid input for addresses. Reason: '10.0.0.300/24' is not a valid IP subnet.");
    expect(() => create({ addresses: ['10.0.0.0/33'] })).toThrow("'10.0.0.0/33' is not a valid IP subnet.");
    expect(() => create({ addresses: '10.0.0.0/24' })).toThrow("Invalid input for addresses. Reason: '10.0.0.0/24' is not a list.");
    expect(() => create({ shared: true })).toThrow("Attribute 'shared' not allowed in POST");
    expect(() => create({ foo: 1 })).toThrow("Unrecognized attribute(s) 'foo'");
    expect(() => create({ tenant_id: 'p2' })).toThrow("Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges");
  });
  it('adds and removes normalised addresses, one revision per address, all or nothing', () => {
    const s = made([]);
    const added = decide({ type: 'AddAddresses', body: { addresses: ['10.0.2.3', '10.0.2.3/24', '10.0.2.0/24'] }, actor: member }, s);
    expect(added).toEqual([{ type: 'address_group.addresses_added', data: { address_group_id: id, addresses: ['10.0.2.3/32', '10.0.2.0/24'] } }]);
    const s2 = fold(s, added);
    expect(s2.group).toMatchObject({ addresses: ['10.0.2.3/32', '10.0.2.0/24'], revision_number: 2 });
    expect(() => decide({ type: 'AddAddresses', body: { addresses: ['10.0.9.0/24', '10.0.2.9/24'] }, actor: member }, s2)).toThrow(
      `Addresses ['10.0.2.0/24'] already exist in the address group ${id}.`,
    );
    expect(() => decide({ type: 'AddAddresses', body: { addresses: ['bad'] }, actor: member }, s2)).toThrow('invalid IPNetwork bad');
    expect(() => decide({ type: 'RemoveAddresses', body: { addresses: ['10.9.9.9/32'] }, actor: member }, s2)).toThrow(
      `Addresses ['10.9.9.9/32'] not found in the address group ${id}.`,
    );
    expect(decide({ type: 'AddAddresses', body: { addresses: [] }, actor: member }, s2)).toEqual([]);
    const removed = decide({ type: 'RemoveAddresses', body: { addresses: ['10.0.2.7/24'] }, actor: member }, s2);
    expect(fold(s2, removed).group).toMatchObject({ addresses: ['10.0.2.3/32'], revision_number: 3 });
  });
  it('hides the group from other projects, refuses their writes', () => {
    const s = made(['10.0.0.0/24']);
    expect(() => decide({ type: 'AddAddresses', body: { addresses: ['10.1.0.0/16'] }, actor: other }, s)).toThrow(`Address group ${id} could not be found.`);
    expect(() => decide({ type: 'DeleteAddressGroup', actor: other }, s)).toThrow(`Address group ${id} could not be found.`);
    const shared = fold(s, decide({ type: 'AddressGroupRbac', rbac: { type: 'AddRbacPolicy', id: 'pol', target: 'p2', actor: member } }, s));
    expect(() => decide({ type: 'AddAddresses', body: { addresses: ['10.1.0.0/16'] }, actor: other }, shared)).toThrow('rule:add_addresses is disallowed by policy');
    expect(() => decide({ type: 'DeleteAddressGroup', actor: other }, shared)).toThrow('rule:delete_address_group is disallowed by policy');
    expect(() => decide({ type: 'UpdateAddressGroup', body: { address_group: { name: 'x' } }, actor: other }, shared)).toThrow('The resource could not be found.');
    expect(() => decide({ type: 'UpdateAddressGroup', body: { address_group: { addresses: [] } }, actor: member }, s)).toThrow('Cannot update read-only attribute addresses');
  });
  it('a group named by a rule cannot be deleted (AddressGroupInUse), nor the policy that rule needs', () => {
    const s = { ...made([]), usedBy: ['p2'] };
    expect(() => decide({ type: 'DeleteAddressGroup', actor: member }, s)).toThrow(`Address group ${id} is in use on one or more security group rules.`);
    expect(decide({ type: 'DeleteAddressGroup', actor: member }, { ...s, usedBy: [] })).toEqual([{ type: 'address_group.deleted', data: { address_group_id: id } }]);
    const shared = fold(s, decide({ type: 'AddressGroupRbac', rbac: { type: 'AddRbacPolicy', id: 'pol', target: 'p2', actor: member } }, s));
    expect(() => decide({ type: 'AddressGroupRbac', rbac: { type: 'RemoveRbacPolicy', policy_id: 'pol', actor: member } }, shared)).toThrow('cannot be removed because other objects depend on it');
  });
});

describe('rules joining an address group on its subject', () => {
  it('a joined rule holds the group (AddressGroupInUse) and the policy its project needs; leaving frees it', () => {
    const s = made([]);
    const join = (st: AddressGroupState, actor = member, rule_id = 'r1', project_id = 'p1') =>
      decide({ type: 'JoinAddressGroup', address_group_id: id, rule_id, project_id, actor }, st);
    expect(join(s)).toEqual([{ type: 'address_group.rule_joined', data: { address_group_id: id, rule_id: 'r1', project_id: 'p1' } }]);
    const held = fold(s, join(s));
    expect(join(held)).toEqual([]);
    expect(() => decide({ type: 'DeleteAddressGroup', actor: member }, held)).toThrow('is in use on one or more security group rules');
    expect(() => join(s, other)).toThrow(`Address group ${id} could not be found.`);
    expect(() => join({ group: undefined, usedBy: [] })).toThrow(`Address group ${id} could not be found.`);
    const shared = fold(held, decide({ type: 'AddressGroupRbac', rbac: { type: 'AddRbacPolicy', id: 'pol', target: 'p2', actor: member } }, held));
    const byP2 = fold(shared, join(shared, other, 'r2', 'p2'));
    expect(() => decide({ type: 'AddressGroupRbac', rbac: { type: 'RemoveRbacPolicy', policy_id: 'pol', actor: member } }, byP2)).toThrow('cannot be removed because other objects depend on it');
    const left = ['r1', 'r2'].reduce((st, r) => fold(st, decide({ type: 'LeaveAddressGroup', rule_id: r }, st)), byP2);
    expect(decide({ type: 'LeaveAddressGroup', rule_id: 'r1' }, left)).toEqual([]);
    expect(decide({ type: 'DeleteAddressGroup', actor: member }, left)).toEqual([{ type: 'address_group.deleted', data: { address_group_id: id } }]);
  });
});

describe('security group rules with remote_address_group_id', () => {
  const sg = buildSecurityGroup({ name: 'sg1', description: '', tenant_id: 'p1', project_id: 'p1' }, { id: 'sg', now: 'x', ruleIds: ['r1', 'r2'] });
  const ag = made(['10.0.0.0/24']).group!;
  const add = (rule: object, addressGroups: Record<string, AddressGroup> = { [id]: ag }) =>
    securityGroupDecider.decide(
      { type: 'AddSecurityGroupRules', body: { security_group_rule: { security_group_id: 'sg', direction: 'ingress', ...rule } }, actor: member, now: 'x', newId: () => 'r3' },
      { group: sg, usedByPorts: false, addressGroups },
    );
  it('is stored, and is one remote among three', () => {
    expect((add({ protocol: 'icmp', remote_address_group_id: id })[0].data as { rule: { remote_address_group_id: string } }).rule.remote_address_group_id).toBe(id);
    const multiple = 'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.';
    expect(() => add({ remote_address_group_id: id, remote_ip_prefix: '10.0.0.0/8' })).toThrow(multiple);
    expect(() => add({ remote_address_group_id: id, remote_group_id: 'sg' })).toThrow(multiple);
  });
  it('names a group the caller can see (AddressGroupNotFound otherwise)', () => {
    expect(() => add({ remote_address_group_id: 'notauuid' })).toThrow('Address group notauuid could not be found.');
    expect(() => add({ remote_address_group_id: id }, { [id]: { ...ag, project_id: 'p2', tenant_id: 'p2' } })).toThrow(`Address group ${id} could not be found.`);
  });
});
