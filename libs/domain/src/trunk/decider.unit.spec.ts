import type { Actor } from '../actor';
import { deciderSpec } from '../decider-spec';
import { checkPortNotInTrunk, decideClaimTrunkPort, trunkDecider, type TrunkEvent } from './decider';
import type { Trunk, TrunkPortFact } from './model';
import { presentTrunk, trunkDetails } from './present';

/** Trunks on their decider: Zed's trunk_plugin rules with plain data; the messages are the reference's. */
const spec = deciderSpec(trunkDecider);
const alice: Actor = { user_id: 'u', project_id: 'alice', roles: ['member'] } as Actor;
const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';
const P3 = '33333333-3333-4333-8333-333333333333';
const P4 = '44444444-4444-4444-8444-444444444444';
const P5 = '55555555-5555-4555-8555-555555555555';
const GONE = '99999999-9999-4999-8999-999999999999';
const fact = (id: string, mac: string): TrunkPortFact => ({ id, project_id: 'alice', mac_address: mac, network_type: 'vxlan', network_segmentation_id: 1001, mtu: 1450 });
const PORTS = [fact(P1, 'fa:16:3e:00:00:01'), fact(P2, 'fa:16:3e:00:00:02'), fact(P3, 'fa:16:3e:00:00:03'), fact(P4, 'fa:16:3e:00:00:04'), { ...fact(P5, 'fa:16:3e:00:00:05'), mtu: 1400 }];
const facts = { port: (id: string) => PORTS.find((p) => p.id === id) };
const T: Trunk = {
  id: 't1', project_id: 'alice', tenant_id: 'alice', name: 't', description: '', admin_state_up: true, port_id: P1, status: 'DOWN',
  sub_ports: [{ port_id: P2, segmentation_type: 'vlan', segmentation_id: 100 }], tags: [], created_at: '', updated_at: '', revision_number: 0,
};
const created = (t: Trunk): TrunkEvent => ({ type: 'trunk.created', data: { trunk: t } });
const sub = (port_id: string, segmentation_id: unknown, segmentation_type: unknown = 'vlan') => ({ port_id, segmentation_type, segmentation_id });
const create = (trunk: Record<string, unknown>) => ({ type: 'CreateTrunk' as const, id: 't2', actor: alice, body: { trunk } });
const add = (sub_ports: unknown, id = 't1') => ({ type: 'AddSubports' as const, id, actor: alice, body: { sub_ports } });
const remove = (sub_ports: unknown) => ({ type: 'RemoveSubports' as const, id: 't1', actor: alice, body: { sub_ports } });
const invalid = (m: string) => ({ status: 400, type: 'InvalidInput', message: `Invalid input for operation: ${m}.` });
const httpBad = (m: string) => ({ status: 400, type: 'HTTPBadRequest', message: m });

describe('trunk decider: given / when / then', () => {
  it('creates a trunk, DOWN (no agent wires it), with its subports', () => {
    spec.given([], facts).when({ type: 'CreateTrunk', id: 't1', actor: alice, body: { trunk: { port_id: P1, name: 't', sub_ports: [sub(P2, 100)] } } }).then([created(T)]);
  });
  it('refuses a parent that is a trunk\'s parent (ParentPortInUse) or a subport (TrunkPortInUse), a port not seen (PortNotFound)', () => {
    const given = spec.given([created(T)], facts);
    given.when(create({ port_id: P1 })).then({ status: 409, type: 'ParentPortInUse', message: `Port ${P1} is currently in use and is not eligible for use as a parent port.` });
    given.when(create({ port_id: P2 })).then({ status: 409, type: 'TrunkPortInUse', message: `Port ${P2} is in use by another trunk.` });
    given.when(create({ port_id: GONE })).then({ status: 404, type: 'PortNotFound', message: `Port ${GONE} could not be found.` });
    given.when(create({ port_id: P3, sub_ports: [sub(P3, 5)] })).then({ status: 409, type: 'ParentPortInUse', message: `Port ${P3} is currently in use and is not eligible for use as a parent port.` });
    given.when(create({ port_id: P3, sub_ports: [sub(P1, 5)] })).then({ status: 409, type: 'ParentPortInUse' });
    given.when(create({ port_id: P3, sub_ports: [sub(P2, 5)] })).then({ status: 409, type: 'TrunkPortInUse' });
  });
  it('refuses bad subports as the API validator and the plugin do', () => {
    const given = spec.given([], facts);
    given.when(create({ port_id: P3, sub_ports: [sub(P4, 5, 'vxlan')] })).then(invalid("Unknown segmentation_type 'vxlan'"));
    // before the segmentation is looked at (Zed's order)
    given.when(create({ port_id: P5, sub_ports: [{ port_id: P4 }] })).then({
      status: 409, type: 'SubPortMtuGreaterThanTrunkPortMtu', message: `MTU 1450 of subport ${P4} cannot be greater than MTU 1400 of trunk ${P5}.`,
    });
    given.when(create({ port_id: P4, sub_ports: [sub(P5, 5)] })).then([
      { type: 'trunk.created', data: { trunk: { ...T, id: 't2', name: '', port_id: P4, sub_ports: [sub(P5, 5) as never] } } },
    ]);
    given.when(create({ port_id: P3, sub_ports: [sub(P4, 0)] })).then(invalid("Segmentation ID '0' is not in range"));
    given.when(create({ port_id: P3, sub_ports: [sub(P4, 4095)] })).then(invalid("Segmentation ID '4095' is not in range"));
    given.when(create({ port_id: P3, sub_ports: [sub(P4, 'abc')] })).then(invalid("Invalid subport details: segmentation_id 'abc' is not an integer"));
    given.when(create({ port_id: P3, sub_ports: [{ port_id: P4 }] })).then(
      invalid(`Invalid subport details '{'port_id': '${P4}'}': missing segmentation information. Must specify both segmentation_id and segmentation_type`),
    );
    given.when(create({ port_id: P3, sub_ports: [{ port_id: P4, segmentation_type: 'vlan' }] })).then(
      httpBad(`Invalid input for sub_ports. Reason: Invalid subport details '{'port_id': '${P4}', 'segmentation_type': 'vlan'}': missing segmentation information. Must specify both segmentation_id and segmentation_type.`),
    );
    given.when(create({ port_id: P3, sub_ports: [{ segmentation_type: 'vlan', segmentation_id: 5 }] })).then(httpBad('Invalid input for sub_ports. Reason: A valid port UUID must be specified.'));
    given.when(create({ port_id: P3, sub_ports: [sub(P4, 5), sub(P2, 5)] })).then(httpBad(`Invalid input for sub_ports. Reason: Segmentation ID '5' for '${P2}' is not unique.`));
    given.when(create({ port_id: P3, sub_ports: [sub(P4, 5), sub(P4, 6)] })).then(httpBad(`Invalid input for sub_ports. Reason: Non unique UUID for subport: '${P4}'.`));
    given.when(create({ port_id: P3, sub_ports: 'x' })).then(httpBad("Invalid input for sub_ports. Reason: Invalid data format for subports: 'x' is not a list."));
    given.when(create({ port_id: P3, sub_ports: [{ port_id: P4, segmentation_type: 'inherit' }] })).then(invalid("Unknown segmentation_type 'vxlan'"));
    given.when(create({})).then(httpBad("Failed to parse request. Required attribute 'port_id' not specified"));
    given.when(create({ port_id: 'nope' })).then(httpBad("Invalid input for port_id. Reason: 'nope' is not a valid UUID."));
    given.when(create({ port_id: P3, bogus: 1 })).then(httpBad("Unrecognized attribute(s) 'bogus'"));
  });
  it('adds and removes subports: DuplicateSubPort, TrunkPortInUse, SubPortNotFound, TrunkNotFound', () => {
    const given = spec.given([created(T)], facts);
    given.when(add([sub(P3, 101)])).then([{ type: 'trunk.subports_added', data: { id: 't1', sub_ports: [sub(P3, 101)] as never } }]);
    given.when(add([sub(P3, 100)])).then({ status: 409, type: 'DuplicateSubPort', message: 'segmentation_type vlan and segmentation_id 100 already in use on trunk t1.' });
    given.when(add([sub(P2, 101)])).then({ status: 409, type: 'TrunkPortInUse' });
    given.when(add([sub(P1, 7)])).then({ status: 409, type: 'ParentPortInUse' });
    given.when(add([], 'nope')).then({ status: 404, type: 'TrunkNotFound', message: 'Trunk nope could not be found.' });
    given.when(add('x')).then(invalid("Invalid data format for subports: 'x' is not a list"));
    given.when(remove([{ port_id: P4 }])).then({ status: 404, type: 'SubPortNotFound', message: `SubPort ${P4} on trunk t1 could not be found.` });
    given.when(remove([{ port_id: 'nope' }])).then(invalid("Invalid UUID for subport: 'nope'"));
    given.when(remove([{ port_id: P2 }])).then([{ type: 'trunk.subports_removed', data: { id: 't1', port_ids: [P2] } }]);
  });
  it('a disabled trunk refuses subport changes and its delete (TrunkDisabled), and takes updates; read-only attributes stay', () => {
    const off = { ...T, admin_state_up: false };
    const given = spec.given([created(off)], facts);
    const disabled = { status: 409, type: 'TrunkDisabled', message: 'Trunk t1 is currently disabled.' };
    given.when(add([sub(P4, 102)])).then(disabled);
    given.when(remove([{ port_id: P2 }])).then(disabled);
    given.when({ type: 'DeleteTrunk', id: 't1', actor: alice }).then(disabled);
    given.when({ type: 'UpdateTrunk', id: 't1', actor: alice, body: { trunk: { admin_state_up: true, name: 'n' } } }).then([
      { type: 'trunk.updated', data: { id: 't1', changes: { name: 'n', admin_state_up: true } } },
    ]);
    given.when({ type: 'UpdateTrunk', id: 't1', actor: alice, body: { trunk: { name: 't' } } }).then([{ type: 'trunk.updated', data: { id: 't1', changes: { name: 't' } } }]);
    given.when({ type: 'UpdateTrunk', id: 't1', actor: alice, body: { trunk: {} } }).then([]);
    given.when({ type: 'UpdateTrunk', id: 't1', actor: alice, body: { trunk: { port_id: P3 } } }).then(httpBad('Cannot update read-only attribute port_id'));
    given.when({ type: 'UpdateTrunk', id: 't1', actor: alice, body: { trunk: { sub_ports: [] } } }).then(httpBad('Cannot update read-only attribute sub_ports'));
  });
  it('another project\'s trunk is not found; evolves revisions and shows trunk_details', () => {
    const bob: Actor = { user_id: 'v', project_id: 'bob', roles: ['member'] } as Actor;
    spec.given([created(T)], facts).when({ type: 'DeleteTrunk', id: 't1', actor: bob }).then({ status: 404, type: 'TrunkNotFound' });
    const state = spec.given([created(T), { type: 'trunk.subports_added', data: { id: 't1', sub_ports: [{ port_id: P3, segmentation_type: 'vlan', segmentation_id: 5 }] } }], facts).state;
    const t = state.trunks.trunks.t1!;
    expect(presentTrunk(t)).toMatchObject({ revision_number: 1, status: 'DOWN', sub_ports: [sub(P2, 100), sub(P3, 5)] });
    expect(trunkDetails(t, facts.port)).toEqual({
      trunk_id: 't1',
      sub_ports: [
        { segmentation_id: 100, segmentation_type: 'vlan', port_id: P2, mac_address: 'fa:16:3e:00:00:02' },
        { segmentation_id: 5, segmentation_type: 'vlan', port_id: P3, mac_address: 'fa:16:3e:00:00:03' },
      ],
    });
  });
  it('the claim on a port\'s subject: refused once the port went; a refused claim takes the trunk or its new subports back', () => {
    const state = { trunks: { t1: T } };
    expect(decideClaimTrunkPort(state, 't1', P1, true)).toEqual([{ type: 'port.trunk_claimed', data: { port_id: P1, trunk_id: 't1', role: 'parent' } }]);
    expect(decideClaimTrunkPort(state, 't1', P2, true)).toEqual([{ type: 'port.trunk_claimed', data: { port_id: P2, trunk_id: 't1', role: 'subport' } }]);
    expect(() => decideClaimTrunkPort(state, 't1', P2, false)).toThrow(`Port ${P2} could not be found.`);
    expect(() => checkPortNotInTrunk(state, P1)).toThrow(`Port ${P1} is currently a parent port for trunk t1.`);
    expect(() => checkPortNotInTrunk(state, P2)).toThrow(`Port ${P2} is currently a subport for trunk t1.`);
    expect(() => checkPortNotInTrunk(state, P3)).not.toThrow();
    const off = spec.given([created({ ...T, admin_state_up: false })], facts);
    off.when({ type: 'ReleaseTrunk', id: 't1' }).then([{ type: 'trunk.deleted', data: { id: 't1' } }]);
    off.when({ type: 'ReleaseTrunk', id: 't1', port_ids: [P2, P3] }).then([{ type: 'trunk.subports_removed', data: { id: 't1', port_ids: [P2] } }]);
    off.when({ type: 'ReleaseTrunk', id: 'gone' }).then([]);
  });
});
