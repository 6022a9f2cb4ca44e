import { SuiteFixture, member, openstack, openstackCli } from '@neutrino/testing-suite';

const openstackPath = openstackCli('the trunk CLI test');
const itWithCli = openstackPath ? it : it.skip;

const admin = { 'X-Project-Id': 'admin', 'X-Roles': 'admin' };
const alice = member('trunk-alice');
const bob = member('trunk-bob');
const NONE = '11111111-1111-4111-8111-111111111111';
const err = (a: { status: number; body: any }) => ({ status: a.status, type: a.body?.NeutronError?.type, message: a.body?.NeutronError?.message });

/**
 * Trunks (issue 13) through the API, every answer as the reference Zed (neutron-server 21.0.0 with
 * the trunk service plugin, no agent) gave it for the same requests. API only: no agent wires a
 * trunk, so it stays DOWN, as Zed's does.
 */
describe('trunks', () => {
  let fx: SuiteFixture;
  let net: any;
  const ports: any[] = [];
  let bobPort: any;
  const api = (method: string, url: string, body?: unknown, who: Record<string, string> = alice) => fx.api(method, url, body, who);
  const newPort = async (who: Record<string, string> = alice) => (await api('POST', '/v2.0/ports', { port: { network_id: net.id } }, who)).body.port;
  /** The request fails as Zed answers it and the log gains nothing. */
  const refused = async (method: string, url: string, body: unknown, expected: { status: number; type: string; message: string }, who = alice) => {
    const before = await fx.store.lastSeq();
    const a = await api(method, url, body, who);
    expect(err(a)).toEqual(expected);
    expect(await fx.store.lastSeq()).toBe(before);
  };
  const invalid = (m: string) => ({ status: 400, type: 'InvalidInput', message: `Invalid input for operation: ${m}.` });
  const http400 = (message: string) => ({ status: 400, type: 'HTTPBadRequest', message });
  const sub = (port_id: string, segmentation_id: unknown, segmentation_type: unknown = 'vlan') => ({ port_id, segmentation_type, segmentation_id });

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    net = (await api('POST', '/v2.0/networks', { network: { name: 'trunk-net', shared: false } })).body.network;
    for (let i = 0; i < 6; i++) ports.push(await newPort());
    const bnet = (await api('POST', '/v2.0/networks', { network: { name: 'bob-net' } }, bob)).body.network;
    bobPort = (await api('POST', '/v2.0/ports', { port: { network_id: bnet.id } }, bob)).body.port;
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('creates, shows, lists, updates a trunk (DOWN, no agent); the parent shows trunk_details; subports come and go', async () => {
    const [p1, p2, p3] = ports;
    const a = await api('POST', '/v2.0/trunks', { trunk: { port_id: p1.id, name: 't', sub_ports: [sub(p2.id, 100)] } });
    expect(a.status).toBe(201);
    const t = a.body.trunk;
    expect(t).toEqual({
      admin_state_up: true, id: expect.any(String), project_id: 'trunk-alice', name: 't', port_id: p1.id, status: 'DOWN', sub_ports: [sub(p2.id, 100)],
      revision_number: 0, description: '', created_at: expect.any(String), updated_at: expect.any(String), tenant_id: 'trunk-alice', tags: [],
    });
    expect((await api('GET', `/v2.0/trunks/${t.id}`)).body).toEqual({ trunk: t });
    expect((await api('GET', '/v2.0/trunks')).body.trunks).toEqual([t]);
    expect((await api('GET', '/v2.0/trunks', undefined, bob)).body.trunks).toEqual([]);
    expect((await api('GET', `/v2.0/ports/${p1.id}`)).body.port.trunk_details).toEqual({
      trunk_id: t.id, sub_ports: [{ segmentation_id: 100, segmentation_type: 'vlan', port_id: p2.id, mac_address: p2.mac_address }],
    });
    expect((await api('GET', `/v2.0/ports/${p2.id}`)).body.port).not.toHaveProperty('trunk_details');
    // add_subports / remove_subports answer the trunk without an envelope
    const added = await api('PUT', `/v2.0/trunks/${t.id}/add_subports`, { sub_ports: [sub(p3.id, 101)] });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ id: t.id, revision_number: 1, sub_ports: [sub(p2.id, 100), sub(p3.id, 101)] });
    expect((await api('GET', `/v2.0/trunks/${t.id}/get_subports`)).body).toEqual({ sub_ports: [sub(p2.id, 100), sub(p3.id, 101)] });
    const removed = await api('PUT', `/v2.0/trunks/${t.id}/remove_subports`, { sub_ports: [{ port_id: p3.id }] });
    expect(removed.body).toMatchObject({ revision_number: 2, sub_ports: [sub(p2.id, 100)] });
    const upd = await api('PUT', `/v2.0/trunks/${t.id}`, { trunk: { name: 't2', description: 'd' } });
    expect(upd.body.trunk).toMatchObject({ name: 't2', description: 'd', revision_number: 3 });
    // as Zed: an empty update changes nothing, one that names the same value counts
    expect((await api('PUT', `/v2.0/trunks/${t.id}`, { trunk: {} })).body.trunk).toMatchObject({ revision_number: 3 });
    expect((await api('PUT', `/v2.0/trunks/${t.id}`, { trunk: { name: 't2' } })).body.trunk).toMatchObject({ revision_number: 4 });
  });

  it('refuses what Zed refuses, with its messages, and appends nothing', async () => {
    const [p1, p2, , p4, p5] = ports;
    const t = (await api('GET', '/v2.0/trunks')).body.trunks[0];
    const post = (trunk: unknown) => ({ trunk });
    await refused('POST', '/v2.0/trunks', post({ port_id: p1.id }), { status: 409, type: 'ParentPortInUse', message: `Port ${p1.id} is currently in use and is not eligible for use as a parent port.` });
    await refused('POST', '/v2.0/trunks', post({ port_id: p2.id }), { status: 409, type: 'TrunkPortInUse', message: `Port ${p2.id} is in use by another trunk.` });
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, sub_ports: [sub(p4.id, 5)] }), { status: 409, type: 'ParentPortInUse', message: `Port ${p4.id} is currently in use and is not eligible for use as a parent port.` });
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, sub_ports: [sub(p5.id, 5, 'vxlan')] }), invalid("Unknown segmentation_type 'vxlan'"));
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, sub_ports: [sub(p5.id, 0)] }), invalid("Segmentation ID '0' is not in range"));
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, sub_ports: [sub(p5.id, 4095)] }), invalid("Segmentation ID '4095' is not in range"));
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, sub_ports: [sub(p5.id, 'abc')] }), invalid("Invalid subport details: segmentation_id 'abc' is not an integer"));
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, sub_ports: [{ port_id: p5.id }] }),
      invalid(`Invalid subport details '{'port_id': '${p5.id}'}': missing segmentation information. Must specify both segmentation_id and segmentation_type`));
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, sub_ports: [{ port_id: p5.id, segmentation_type: 'vlan' }] }),
      http400(`Invalid input for sub_ports. Reason: Invalid subport details '{'port_id': '${p5.id}', 'segmentation_type': 'vlan'}': missing segmentation information. Must specify both segmentation_id and segmentation_type.`));
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, sub_ports: [{ segmentation_type: 'vlan', segmentation_id: 5 }] }), http400('Invalid input for sub_ports. Reason: A valid port UUID must be specified.'));
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, sub_ports: [sub(p5.id, 5), sub(p2.id, 5)] }), http400(`Invalid input for sub_ports. Reason: Segmentation ID '5' for '${p2.id}' is not unique.`));
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, sub_ports: [sub(p5.id, 5), sub(p5.id, 6)] }), http400(`Invalid input for sub_ports. Reason: Non unique UUID for subport: '${p5.id}'.`));
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, sub_ports: 'x' }), http400("Invalid input for sub_ports. Reason: Invalid data format for subports: 'x' is not a list."));
    await refused('POST', '/v2.0/trunks', post({}), http400("Failed to parse request. Required attribute 'port_id' not specified"));
    await refused('POST', '/v2.0/trunks', post({ port_id: 'nope' }), http400("Invalid input for port_id. Reason: 'nope' is not a valid UUID."));
    await refused('POST', '/v2.0/trunks', post({ port_id: NONE }), { status: 404, type: 'PortNotFound', message: `Port ${NONE} could not be found.` });
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, bogus: 1 }), http400("Unrecognized attribute(s) 'bogus'"));
    // another project's port is not found, as parent or as subport
    await refused('POST', '/v2.0/trunks', post({ port_id: bobPort.id }), { status: 404, type: 'PortNotFound', message: `Port ${bobPort.id} could not be found.` });
    await refused('POST', '/v2.0/trunks', post({ port_id: p4.id, sub_ports: [sub(bobPort.id, 5)] }), { status: 404, type: 'PortNotFound', message: `Port ${bobPort.id} could not be found.` });
    await refused('GET', `/v2.0/trunks/${NONE}`, undefined, { status: 404, type: 'TrunkNotFound', message: `Trunk ${NONE} could not be found.` });
    await refused('GET', `/v2.0/trunks/${t.id}`, undefined, { status: 404, type: 'TrunkNotFound', message: `Trunk ${t.id} could not be found.` }, bob);
    const url = `/v2.0/trunks/${t.id}`;
    await refused('PUT', `${url}/add_subports`, { sub_ports: [sub(p5.id, 100)] }, { status: 409, type: 'DuplicateSubPort', message: `segmentation_type vlan and segmentation_id 100 already in use on trunk ${t.id}.` });
    await refused('PUT', `${url}/add_subports`, { sub_ports: [sub(p2.id, 101)] }, { status: 409, type: 'TrunkPortInUse', message: `Port ${p2.id} is in use by another trunk.` });
    await refused('PUT', `${url}/add_subports`, { sub_ports: [sub(p1.id, 7)] }, { status: 409, type: 'ParentPortInUse', message: `Port ${p1.id} is currently in use and is not eligible for use as a parent port.` });
    await refused('PUT', `${url}/add_subports`, { sub_ports: 'x' }, invalid("Invalid data format for subports: 'x' is not a list"));
    await refused('PUT', `${url}/add_subports`, { sub_ports: [sub(p5.id, 0)] }, invalid("Segmentation ID '0' is not in range"));
    await refused('PUT', `/v2.0/trunks/${NONE}/add_subports`, { sub_ports: [] }, { status: 404, type: 'TrunkNotFound', message: `Trunk ${NONE} could not be found.` });
    await refused('PUT', `${url}/remove_subports`, { sub_ports: [{ port_id: p5.id }] }, { status: 404, type: 'SubPortNotFound', message: `SubPort ${p5.id} on trunk ${t.id} could not be found.` });
    await refused('PUT', `${url}/remove_subports`, { sub_ports: [{ port_id: 'nope' }] }, invalid("Invalid UUID for subport: 'nope'"));
    await refused('PUT', url, { trunk: { port_id: p4.id } }, http400('Cannot update read-only attribute port_id'));
    await refused('PUT', url, { trunk: { sub_ports: [] } }, http400('Cannot update read-only attribute sub_ports'));
    // a subport's MTU is no greater than the parent's, checked before its segmentation
    const small = (await api('POST', '/v2.0/networks', { network: { name: 'small', mtu: 1400 } })).body.network;
    const sp = (await api('POST', '/v2.0/ports', { port: { network_id: small.id } })).body.port;
    expect(net.mtu).toBeGreaterThan(1400);
    await refused('POST', '/v2.0/trunks', post({ port_id: sp.id, sub_ports: [{ port_id: p5.id }] }),
      { status: 409, type: 'SubPortMtuGreaterThanTrunkPortMtu', message: `MTU ${net.mtu} of subport ${p5.id} cannot be greater than MTU 1400 of trunk ${sp.id}.` });
    // a port in a trunk is not deleted
    await refused('DELETE', `/v2.0/ports/${p1.id}`, undefined, { status: 409, type: 'PortInUseAsTrunkParent', message: `Port ${p1.id} is currently a parent port for trunk ${t.id}.` });
    await refused('DELETE', `/v2.0/ports/${p2.id}`, undefined, { status: 409, type: 'PortInUseAsSubPort', message: `Port ${p2.id} is currently a subport for trunk ${t.id}.` });
  });

  it('a disabled trunk refuses subport changes and its delete (TrunkDisabled); enabled again, it is deleted and its ports are free', async () => {
    const [p1, p2, , , p5] = ports;
    const t = (await api('GET', '/v2.0/trunks')).body.trunks[0];
    const url = `/v2.0/trunks/${t.id}`;
    expect((await api('PUT', url, { trunk: { admin_state_up: false } })).body.trunk.admin_state_up).toBe(false);
    const disabled = { status: 409, type: 'TrunkDisabled', message: `Trunk ${t.id} is currently disabled.` };
    await refused('PUT', `${url}/add_subports`, { sub_ports: [sub(p5.id, 102)] }, disabled);
    await refused('PUT', `${url}/remove_subports`, { sub_ports: [{ port_id: p2.id }] }, disabled);
    await refused('DELETE', url, undefined, disabled);
    expect((await api('PUT', url, { trunk: { admin_state_up: true } })).status).toBe(200);
    expect((await api('DELETE', url)).status).toBe(204);
    await refused('DELETE', url, undefined, { status: 404, type: 'TrunkNotFound', message: `Trunk ${t.id} could not be found.` });
    expect((await api('GET', `/v2.0/ports/${p1.id}`)).body.port).not.toHaveProperty('trunk_details');
    const again = await api('POST', '/v2.0/trunks', { trunk: { port_id: p2.id, sub_ports: [sub(p1.id, 9)] } });
    expect(again.status).toBe(201);
    expect((await api('DELETE', `/v2.0/trunks/${again.body.trunk.id}`)).status).toBe(204);
  });

  it('races: two trunks claiming one parent port, or one subport, concurrently — exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const [a, b, c] = [await newPort(), await newPort(), await newPort()];
      const parents = await Promise.all([0, 1].map(() => api('POST', '/v2.0/trunks', { trunk: { port_id: a.id } })));
      expect(parents.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(err(parents.find((r) => r.status === 409)!).type).toBe('ParentPortInUse');
      // b's trunk takes c as subport, c's trunk takes b: one wins, the other finds its parent or subport taken
      const subs = await Promise.all([[b, c], [c, b]].map(([p, s]) => api('POST', '/v2.0/trunks', { trunk: { port_id: p.id, sub_ports: [sub(s.id, 5)] } })));
      expect(subs.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(['ParentPortInUse', 'TrunkPortInUse']).toContain(err(subs.find((r) => r.status === 409)!).type);
      const mine = (await api('GET', '/v2.0/trunks')).body.trunks.filter((t: any) => [a.id, b.id, c.id].includes(t.port_id));
      expect(mine).toHaveLength(2);
      for (const t of mine) expect((await api('DELETE', `/v2.0/trunks/${t.id}`)).status).toBe(204);
    }
  });

  it('races: a trunk on a port and the port\'s delete, concurrently — either the trunk stands with its port or the port is gone with no trunk', async () => {
    for (let round = 0; round < 4; round++) {
      const [p, c] = [await newPort(), await newPort()];
      const [made, gone] = await Promise.all([
        api('POST', '/v2.0/trunks', { trunk: { port_id: p.id, sub_ports: [sub(c.id, 5)] } }),
        api('DELETE', `/v2.0/ports/${round % 2 ? c.id : p.id}`),
      ]);
      const deleted = round % 2 ? c : p;
      const trunks = (await api('GET', '/v2.0/trunks')).body.trunks.filter((t: any) => t.port_id === p.id);
      const portThere = (await api('GET', `/v2.0/ports/${deleted.id}`)).status === 200;
      if (made.status === 201) {
        expect(gone.status).toBe(409);
        expect(['PortInUseAsTrunkParent', 'PortInUseAsSubPort']).toContain(err(gone).type);
        expect(trunks).toHaveLength(1);
        expect(portThere).toBe(true);
        expect((await api('DELETE', `/v2.0/trunks/${made.body.trunk.id}`)).status).toBe(204);
      } else {
        expect(gone.status).toBe(204);
        expect(err(made)).toMatchObject({ status: 404, type: 'PortNotFound' });
        expect(trunks).toHaveLength(0);
        expect(portThere).toBe(false);
      }
    }
  });

  it('keeps trunks across gateway restarts: from its rows, and rebuilt from the log with its database wiped', async () => {
    const [p, c] = [await newPort(), await newPort()];
    const t = (await api('POST', '/v2.0/trunks', { trunk: { port_id: p.id, name: 'kept', sub_ports: [sub(c.id, 42)] } })).body.trunk;
    for (const wipeGatewayDb of [false, true]) {
      await fx.restart({ wipeGatewayDb });
      expect((await api('GET', `/v2.0/trunks/${t.id}`)).body).toEqual({ trunk: t });
      expect((await api('GET', `/v2.0/ports/${p.id}`)).body.port.trunk_details).toMatchObject({ trunk_id: t.id });
      expect(err(await api('DELETE', `/v2.0/ports/${c.id}`))).toMatchObject({ status: 409, type: 'PortInUseAsSubPort' });
    }
    expect((await api('DELETE', `/v2.0/trunks/${t.id}`)).status).toBe(204);
  });

  it('announces trunk and trunk-details as Zed does', async () => {
    const aliases = (await api('GET', '/v2.0/extensions')).body.extensions.filter((e: any) => e.alias.startsWith('trunk'));
    expect(aliases).toEqual([
      { name: 'Trunk Extension', alias: 'trunk', description: 'Provides support for trunk ports', updated: '2016-01-01T10:00:00-00:00', links: [] },
      { name: 'Trunk port details', alias: 'trunk-details', description: 'Expose trunk port details', updated: '2016-01-01T10:00:00-00:00', links: [] },
    ]);
  });

  itWithCli('works with the openstack CLI: network trunk create/set/unset/show/list/delete', async () => {
    const json = async (...args: string[]) => JSON.parse(await openstack(fx.suite.apiUrl, ...args, '-f', 'json'));
    const [p, s1, s2] = [await newPort(admin), await newPort(admin), await newPort(admin)];
    const made = await json('network', 'trunk', 'create', '--parent-port', p.id, '--subport', `port=${s1.id},segmentation-type=vlan,segmentation-id=5`, 'clit');
    expect(made).toMatchObject({ name: 'clit', port_id: p.id, status: 'DOWN', sub_ports: [sub(s1.id, 5)] });
    expect((await json('network', 'trunk', 'list')).find((t: any) => t.ID === made.id)).toEqual({ ID: made.id, Name: 'clit', 'Parent Port': p.id, Description: '' });
    await openstack(fx.suite.apiUrl, 'network', 'trunk', 'set', '--subport', `port=${s2.id},segmentation-type=vlan,segmentation-id=6`, 'clit');
    expect((await json('network', 'trunk', 'show', 'clit')).sub_ports).toEqual([sub(s1.id, 5), sub(s2.id, 6)]);
    await openstack(fx.suite.apiUrl, 'network', 'trunk', 'unset', '--subport', s1.id, 'clit');
    expect(await json('network', 'trunk', 'show', 'clit')).toMatchObject({ revision_number: 2, sub_ports: [sub(s2.id, 6)] });
    await openstack(fx.suite.apiUrl, 'network', 'trunk', 'delete', 'clit');
    expect((await json('network', 'trunk', 'list')).find((t: any) => t.ID === made.id)).toBeUndefined();
  });
});
