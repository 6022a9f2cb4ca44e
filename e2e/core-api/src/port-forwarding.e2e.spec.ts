import { SuiteFixture, member, openstack, openstackCli } from '@neutrino/testing-suite';

const openstackPath = openstackCli('the port forwarding CLI test');
const itWithCli = openstackPath ? it : it.skip;

const admin = { 'X-Project-Id': 'admin', 'X-Roles': 'admin' };
const alice = member('pf-alice');
const bob = member('pf-bob');
const NONE = '00000000-0000-0000-0000-000000000000';
const err = (a: { status: number; body: any }) => ({ status: a.status, type: a.body?.NeutronError?.type, message: a.body?.NeutronError?.message });

/**
 * Floating IP port forwardings (issue 13) through the API, every answer as the reference Zed
 * (neutron-server 21.0.0 with the port_forwarding service plugin) gave it for the same requests.
 */
describe('floating IP port forwardings', () => {
  let fx: SuiteFixture;
  let ext: any;
  let net: any;
  let sub: any;
  let net2: any;
  let routerId: string;
  let vm: any;
  let other: any;
  let bound: any;
  let fip: any;
  let fip2: any;
  const api = (method: string, url: string, body?: unknown, who: Record<string, string> = alice) => fx.api(method, url, body, who);
  const pfs = (f = fip) => `/v2.0/floatingips/${f.id}/port_forwardings`;
  const pf = (body: Record<string, unknown>) => ({ port_forwarding: { protocol: 'tcp', internal_ip_address: '10.80.0.10', internal_port_id: vm.id, ...body } });
  /** The request fails as Zed answers it and the log gains nothing. */
  const refused = async (method: string, url: string, body: unknown, expected: { status: number; type: string; message: string }, who = alice) => {
    const before = await fx.store.lastSeq();
    const a = await api(method, url, body, who);
    expect(err(a)).toEqual(expected);
    expect(await fx.store.lastSeq()).toBe(before);
  };
  const bad = (message: string) => ({ status: 400, type: 'BadRequest', message: `Bad port_forwarding request: ${message}.` });
  const http400 = (message: string) => ({ status: 400, type: 'HTTPBadRequest', message });

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } }, admin)).body.network;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, cidr: '203.0.113.0/28', ip_version: 4, enable_dhcp: false } }, admin);
    net = (await api('POST', '/v2.0/networks', { network: { name: 'pf-net' } })).body.network;
    sub = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.80.0.0/24', ip_version: 4 } })).body.subnet;
    net2 = (await api('POST', '/v2.0/networks', { network: { name: 'pf-net2' } })).body.network;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: net2.id, cidr: '10.81.0.0/24', ip_version: 4 } });
    routerId = (await api('POST', '/v2.0/routers', { router: { name: 'pf-r', external_gateway_info: { network_id: ext.id } } })).body.router.id;
    await api('PUT', `/v2.0/routers/${routerId}/add_router_interface`, { subnet_id: sub.id });
    vm = (await api('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ ip_address: '10.80.0.10' }] } })).body.port;
    other = (await api('POST', '/v2.0/ports', { port: { network_id: net2.id } })).body.port;
    bound = (await api('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ ip_address: '10.80.0.11' }] } })).body.port;
    fip = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } })).body.floatingip;
    fip2 = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: bound.id } })).body.floatingip;
    expect(fip2.port_id).toBe(bound.id);
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('creates a forwarding: the floating IP takes the router and shows it', async () => {
    const a = await api('POST', pfs(), pf({ internal_port: 22, external_port: 2222, description: 'ssh' }));
    expect(a.status).toBe(201);
    expect(a.body.port_forwarding).toEqual({
      id: expect.any(String), external_port: 2222, external_port_range: '2222:2222', protocol: 'tcp', internal_port_id: vm.id,
      internal_ip_address: '10.80.0.10', internal_port: 22, internal_port_range: '22:22', description: 'ssh',
    });
    const id = a.body.port_forwarding.id;
    const shown = (await api('GET', `/v2.0/floatingips/${fip.id}`)).body.floatingip;
    expect(shown).toMatchObject({ router_id: routerId, port_id: null, fixed_ip_address: null, revision_number: fip.revision_number + 1 });
    expect(shown.port_forwardings).toEqual([{ id, protocol: 'tcp', internal_ip_address: '10.80.0.10', internal_port_id: vm.id, internal_port: 22, external_port: 2222 }]);
    expect((await api('GET', pfs())).body).toEqual({ port_forwardings: [a.body.port_forwarding] });
    expect((await api('GET', `${pfs()}/${id}`)).body).toEqual({ port_forwarding: a.body.port_forwarding });
    // the same external port with another protocol is no collision
    expect((await api('POST', pfs(), pf({ protocol: 'udp', internal_port: 22, external_port: 2222 }))).status).toBe(201);
  });

  it('refuses what Zed refuses, with its messages, and appends nothing', async () => {
    await refused('POST', pfs(), pf({ internal_port: 23, external_port: 2222 }), bad('There is a port collision with the external_port_range. The following ranges collides: 2222:2222 and 2222:2222'));
    await refused('POST', pfs(fip2), pf({ internal_port: 22, external_port: 2222 }), bad('There is a port collision with the internal_port_range. The following ranges collides: 22:22 and 22:22'));
    await refused('POST', pfs(), pf({ internal_ip_address: '10.80.0.99', internal_port: 22, external_port: 3333 }),
      bad(`Requested internal IP address 10.80.0.99 is not suitable for internal neutron port ${vm.id}, as its fixed_ips are [{'subnet_id': '${sub.id}', 'ip_address': '10.80.0.10'}]`));
    await refused('POST', pfs(), { port_forwarding: { protocol: 'tcp', internal_port: 22, external_port: 4444, internal_port_id: other.id } },
      http400("Failed to parse request. Required attribute 'internal_ip_address' not specified"));
    await refused('POST', pfs(), pf({ internal_port_id: bound.id, internal_ip_address: '10.80.0.11', internal_port: 22, external_port: 5555 }), {
      status: 409, type: 'PortHasBindingFloatingIP',
      message: `Cannot create port forwarding to floating IP ${fip2.floating_ip_address} (${fip2.id}) with port ${bound.id} using fixed IP 10.80.0.11, as that port already has a binding floating IP.`,
    });
    await refused('POST', pfs(), pf({ internal_port: 0, external_port: 6666 }), http400("Invalid input for internal_port. Reason: '0' is too small - must be at least '1'."));
    await refused('POST', pfs(), pf({ internal_port: 22, external_port: 70000 }), http400("Invalid input for external_port. Reason: '70000' is too large - must be no larger than '65535'."));
    await refused('POST', pfs(), { port_forwarding: { internal_ip_address: '10.80.0.10', internal_port: 22, external_port: 6666, internal_port_id: vm.id } },
      http400("Failed to parse request. Required attribute 'protocol' not specified"));
    await refused('POST', pfs(), { port_forwarding: { protocol: 'tcp', internal_ip_address: '10.80.0.10', internal_port: 22, external_port: 6666 } },
      http400("Failed to parse request. Required attribute 'internal_port_id' not specified"));
    await refused('POST', pfs(), pf({ internal_port_range: '100:110', external_port_range: '1200:1205' }),
      bad('Invalid ranges of internal and/or external ports. The relation between internal and external ports must be N-N or 1-N'));
    await refused('POST', pfs(), pf({ internal_port_range: '5:1', external_port_range: '5:1' }),
      http400('Invalid input for external_port_range. Reason: First port in a port range must be lower than the second port.'));
    await refused('POST', pfs(), pf({ internal_port_range: 'abc', external_port_range: '1:2' }), http400('Invalid input for internal_port_range. Reason: Invalid port: abc.'));
    await refused('POST', pfs(), pf({ internal_port: 22, external_port: 8888, bogus: 1 }), http400("Unrecognized attribute(s) 'bogus'"));
    await refused('POST', pfs(), pf({ protocol: 'TCP', internal_port: 44, external_port: 4444 }), http400('Invalid input for protocol. Reason: TCP is not in valid_values.'));
    await refused('POST', pfs(), pf({ protocol: 'foo', internal_port: 45, external_port: 4445 }), {
      status: 400, type: 'InvalidInput', message: "Invalid input for operation: IP protocol 'foo' is not supported. Only protocol names and their integer representation (0 to 255) are supported.",
    });
    await refused('POST', pfs(), pf({ internal_port: '46', external_port: 'abc' }), http400("Invalid input for external_port. Reason: 'abc' is not an integer."));
    await refused('POST', pfs(), pf({ internal_port_id: NONE, internal_port: 47, external_port: 4447 }), { status: 404, type: 'PortNotFound', message: `Port ${NONE} could not be found.` });
    // Zed answers this one with HTTP 500; the request lacks any external port
    await refused('POST', pfs(), pf({ internal_port: 22 }), bad('external_port or external_port_range must be specified'));
    await refused('POST', `/v2.0/floatingips/${NONE}/port_forwardings`, pf({ internal_port: 22, external_port: 9999 }),
      { status: 404, type: 'FloatingIPNotFound', message: `Floating IP ${NONE} could not be found` });
    // another project's floating IP is not there for the caller
    await refused('POST', pfs(), pf({ internal_port: 22, external_port: 9999 }), { status: 404, type: 'FloatingIPNotFound', message: `Floating IP ${fip.id} could not be found` }, bob);
    // a forwarding floating IP cannot be associated with a port
    await refused('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: vm.id } },
      { status: 409, type: 'FipInUseByPortForwarding', message: `Floating IP ${fip.id} in use by Port Forwarding resources.` });
    // an associated floating IP takes no forwardings
    const spare = (await api('POST', '/v2.0/ports', { port: { network_id: net.id } })).body.port;
    await refused('POST', pfs(fip2), pf({ internal_port_id: spare.id, internal_ip_address: spare.fixed_ips[0].ip_address, internal_port: 80, external_port: 80 }), {
      status: 409, type: 'FloatingIPPortAlreadyAssociated',
      message: `Cannot associate floating IP ${fip2.floating_ip_address} (${fip2.id}) with port ${spare.id} using fixed IP ${spare.fixed_ips[0].ip_address}, as that fixed IP already has a floating IP on external network ${ext.id}.`,
    });
    await api('DELETE', `/v2.0/ports/${spare.id}`);
  });

  it('forwards port ranges N-N and 1-N, with Zed\'s range collisions', async () => {
    const nn = await api('POST', pfs(), pf({ internal_port_range: '100:110', external_port_range: '1100:1110' }));
    expect(nn.status).toBe(201);
    expect(nn.body.port_forwarding).toMatchObject({ external_port: null, external_port_range: '1100:1110', internal_port: null, internal_port_range: '100:110' });
    await refused('POST', pfs(), pf({ internal_port_range: '200:210', external_port_range: '1105:1115' }),
      bad('There is a port collision with the external_port_range. The following ranges collides: 1100:1110 and 1105:1115'));
    const oneN = await api('POST', pfs(), pf({ internal_port: 300, external_port_range: '1300:1305' }));
    expect(oneN.body.port_forwarding).toMatchObject({ external_port: null, external_port_range: '1300:1305', internal_port: 300, internal_port_range: '300:300' });
    const both = await api('POST', pfs(), pf({ internal_port: 400, external_port: 400, external_port_range: '400:400' }));
    expect(both.body.port_forwarding).toMatchObject({ external_port: 400, external_port_range: '400:400', internal_port: 400 });
    // a list leaves the single ports of a range forwarding out
    const listed = (await api('GET', pfs())).body.port_forwardings;
    expect(listed.find((p: any) => p.id === nn.body.port_forwarding.id)).toEqual({
      id: nn.body.port_forwarding.id, external_port_range: '1100:1110', protocol: 'tcp', internal_port_id: vm.id, internal_ip_address: '10.80.0.10', internal_port_range: '100:110', description: '',
    });
    expect(listed.map((p: any) => p.id)).toEqual([...listed.map((p: any) => p.id)].sort());
    await api('DELETE', `${pfs()}/${nn.body.port_forwarding.id}`);
    await api('DELETE', `${pfs()}/${both.body.port_forwarding.id}`);
    await api('DELETE', `${pfs()}/${oneN.body.port_forwarding.id}`);
  });

  it('updates, filters, shows fields and deletes', async () => {
    const made = (await api('POST', pfs(), pf({ internal_port: 300, external_port: 3000 }))).body.port_forwarding;
    const up = await api('PUT', `${pfs()}/${made.id}`, { port_forwarding: { external_port: 2223, description: 'x' } });
    expect(up.body.port_forwarding).toEqual({ ...made, external_port: 2223, external_port_range: '2223:2223', description: 'x' });
    await refused('PUT', `${pfs()}/${made.id}`, { port_forwarding: { internal_ip_address: '10.80.0.77' } },
      bad(`The internal IP does not correspond to an address on the internal port, which has fixed_ips [{'subnet_id': '${sub.id}', 'ip_address': '10.80.0.10'}]`));
    await refused('PUT', `${pfs()}/${made.id}`, { port_forwarding: { external_port: 2222 } },
      bad(`Another port forwarding entry with the same attributes already exists, conflicting values are {'floating_ip_address': '${fip.floating_ip_address}', 'external_port': 2222}`));
    await refused('PUT', `${pfs()}/${made.id}`, { port_forwarding: { internal_port: 22 } },
      bad(`Another port forwarding entry with the same attributes already exists, conflicting values are {'internal_port_id': '${vm.id}', 'internal_ip_address': '10.80.0.10', 'internal_port': 22}`));
    const otherSub = (await api('GET', `/v2.0/ports/${other.id}`)).body.port.fixed_ips[0].subnet_id;
    await refused('PUT', `${pfs()}/${made.id}`, { port_forwarding: { internal_port_id: other.id } },
      bad(`External network ${ext.id} is not reachable from subnet ${otherSub}. Cannot set Port forwarding for port ${other.id} with Floating IP ${fip.id}`));
    await refused('GET', `${pfs()}/${NONE}`, undefined, { status: 404, type: 'PortForwardingNotFound', message: `Port Forwarding ${NONE} could not be found.` });
    await refused('GET', `${pfs(fip2)}/${made.id}`, undefined, { status: 404, type: 'PortForwardingNotFound', message: `Port Forwarding ${made.id} could not be found.` });
    await refused('GET', `/v2.0/floatingips/${NONE}/port_forwardings`, undefined, { status: 404, type: 'FloatingIPNotFound', message: `Floating IP ${NONE} could not be found` });
    await refused('GET', `${pfs()}?internal_port=22`, undefined, { status: 400, type: 'PortForwardingNotSupportFilterField', message: 'Port Forwarding filter internal_port is not supported.' });
    expect((await api('GET', `${pfs()}?description=x`)).body.port_forwardings.map((p: any) => p.id)).toEqual([made.id]);
    expect((await api('GET', `${pfs()}?external_port=2223`)).body.port_forwardings.map((p: any) => p.id)).toEqual([made.id]);
    expect((await api('GET', `${pfs()}/${made.id}?fields=id&fields=external_port`)).body).toEqual({ port_forwarding: { id: made.id, external_port: 2223 } });
    // a disassociation keeps a forwarding floating IP's router (and counts as a change)
    const kept = (await api('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: null } })).body.floatingip;
    expect(kept).toMatchObject({ router_id: routerId, port_id: null });
    expect(kept.port_forwardings.map((p: any) => p.id)).toContain(made.id);
    expect((await api('DELETE', `${pfs()}/${made.id}`)).status).toBe(204);
    await refused('DELETE', `${pfs()}/${made.id}`, undefined, { status: 404, type: 'PortForwardingNotFound', message: `Port Forwarding ${made.id} could not be found.` });
  });

  it('a deleted internal port takes its forwardings along, the last one the floating IP\'s router; a deleted floating IP its own', async () => {
    const doomed = (await api('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ ip_address: '10.80.0.20' }] } })).body.port;
    const f = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } })).body.floatingip;
    const made = await api('POST', pfs(f), pf({ internal_port_id: doomed.id, internal_ip_address: '10.80.0.20', internal_port: 80, external_port: 8080 }));
    expect(made.status).toBe(201);
    expect((await api('GET', `/v2.0/floatingips/${f.id}`)).body.floatingip.router_id).toBe(routerId);
    expect((await api('DELETE', `/v2.0/ports/${doomed.id}`)).status).toBe(204);
    const after = (await api('GET', `/v2.0/floatingips/${f.id}`)).body.floatingip;
    expect(after).toMatchObject({ router_id: null, port_forwardings: [] });
    expect((await api('GET', pfs(f))).body).toEqual({ port_forwardings: [] });
    // free to be associated again, with a port that is another floating IP's forwarding target too (Zed refuses that only for DVR)
    expect((await api('PUT', `/v2.0/floatingips/${f.id}`, { floatingip: { port_id: vm.id } })).body.floatingip).toMatchObject({ port_id: vm.id, router_id: routerId });
    expect((await api('DELETE', `/v2.0/floatingips/${f.id}`)).status).toBe(204);
    // a deleted floating IP takes its forwardings: the internal port is free for a new one
    const g = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } })).body.floatingip;
    expect((await api('POST', pfs(g), pf({ internal_port: 22, external_port: 22 }))).status).toBe(400); // vm:22 tcp is fip's
    expect((await api('POST', pfs(g), pf({ internal_port: 25, external_port: 25 }))).status).toBe(201);
    expect((await api('DELETE', `/v2.0/floatingips/${g.id}`)).status).toBe(204);
    expect((await api('POST', pfs(fip), pf({ internal_port: 25, external_port: 2525 }))).status).toBe(201);
  });

  it('a port that loses the forwarded address loses its forwardings (as Zed on a fixed_ips update)', async () => {
    const moving = (await api('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ ip_address: '10.80.0.30' }] } })).body.port;
    const f = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } })).body.floatingip;
    expect((await api('POST', pfs(f), pf({ internal_port_id: moving.id, internal_ip_address: '10.80.0.30', internal_port: 22, external_port: 2222 }))).status).toBe(201);
    expect((await api('PUT', `/v2.0/ports/${moving.id}`, { port: { fixed_ips: [{ ip_address: '10.80.0.31' }] } })).status).toBe(200);
    expect((await api('GET', pfs(f))).body).toEqual({ port_forwardings: [] });
    expect((await api('GET', `/v2.0/floatingips/${f.id}`)).body.floatingip.router_id).toBeNull();
    await api('DELETE', `/v2.0/floatingips/${f.id}`);
    await api('DELETE', `/v2.0/ports/${moving.id}`);
  });

  it('two concurrent forwardings of one internal address and port on two floating IPs: one wins, the other is refused and leaves nothing', async () => {
    const a = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } })).body.floatingip;
    const b = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } })).body.floatingip;
    for (let round = 0; round < 6; round++) {
      const port = 7000 + round;
      const answers = await Promise.all([a, b].map((f) => api('POST', pfs(f), pf({ internal_port: port, external_port: port }))));
      expect(answers.map((x) => x.status).sort()).toEqual([201, 400]);
      expect(err(answers.find((x) => x.status === 400)!).message).toBe(
        `Bad port_forwarding request: There is a port collision with the internal_port_range. The following ranges collides: ${port}:${port} and ${port}:${port}.`,
      );
      const kept = [...(await api('GET', pfs(a))).body.port_forwardings, ...(await api('GET', pfs(b))).body.port_forwardings].filter((p: any) => p.internal_port === port);
      expect(kept).toHaveLength(1);
    }
    for (const f of [a, b]) await api('DELETE', `/v2.0/floatingips/${f.id}`);
  });

  it('announces the port forwarding extensions', async () => {
    const aliases = (await api('GET', '/v2.0/extensions')).body.extensions.map((e: any) => e.alias);
    for (const a of ['floating-ip-port-forwarding', 'floating-ip-port-forwarding-description', 'floating-ip-port-forwarding-port-ranges', 'expose-port-forwarding-in-fip', 'floating-ip-port-forwarding-detail'])
      expect(aliases).toContain(a);
    expect((await api('GET', '/v2.0/extensions/floating-ip-port-forwarding')).body).toEqual({
      extension: { name: 'Floating IP Port Forwarding', alias: 'floating-ip-port-forwarding', description: 'Allow port forwarding from floating IP port to an internal port', updated: '2018-01-19T10:00:00-00:00', links: [] },
    });
  });

  itWithCli('works with the openstack CLI: floating ip port forwarding create/list/set/show/delete', async () => {
    const json = async (...args: string[]) => JSON.parse(await openstack(fx.suite.apiUrl, ...args, '-f', 'json'));
    const f = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } }, admin)).body.floatingip;
    const made = await json('floating', 'ip', 'port', 'forwarding', 'create', '--internal-ip-address', '10.80.0.10', '--port', vm.id,
      '--internal-protocol-port', '8022', '--external-protocol-port', '2022', '--protocol', 'tcp', '--description', 'cli', f.id);
    expect(made).toMatchObject({ internal_ip_address: '10.80.0.10', internal_port_id: vm.id, internal_port: 8022, external_port: 2022, protocol: 'tcp', description: 'cli' });
    const listed = await json('floating', 'ip', 'port', 'forwarding', 'list', f.id);
    expect(listed.map((p: any) => p.ID)).toEqual([made.id]);
    await openstack(fx.suite.apiUrl, 'floating', 'ip', 'port', 'forwarding', 'set', '--external-protocol-port', '2023', '--description', 'moved', f.id, made.id);
    expect(await json('floating', 'ip', 'port', 'forwarding', 'show', f.id, made.id)).toMatchObject({ external_port: 2023, description: 'moved' });
    await openstack(fx.suite.apiUrl, 'floating', 'ip', 'port', 'forwarding', 'delete', f.id, made.id);
    expect(await json('floating', 'ip', 'port', 'forwarding', 'list', f.id)).toEqual([]);
  });
});
