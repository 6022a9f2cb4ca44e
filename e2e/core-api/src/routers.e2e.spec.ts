import { randomUUID } from 'node:crypto';
import { SuiteFixture, member, openstack, openstackCli } from '@neutrino/testing-suite';

const openstackPath = openstackCli('the router CLI test');
const itWithCli = openstackPath ? it : it.skip;

const admin = { 'X-Project-Id': 'admin', 'X-Roles': 'admin' };
const alice = member('l3-alice');
const bob = member('l3-bob');
const NONE = '11111111-2222-3333-4444-555555555555';
const err = (a: { status: number; body: any }) => ({ status: a.status, type: a.body?.NeutronError?.type, message: a.body?.NeutronError?.message });

/** Routers, interfaces, gateways, extra routes, floating IPs and l3-agent scheduling through the API (and the openstack CLI). */
describe('routers and floating IPs', () => {
  let fx: SuiteFixture;
  let ext: any;
  let extSub: any;
  let net: any;
  let sub: any;
  let sub2: any;
  const agents: Array<{ stop: () => Promise<void> }> = [];
  const api = (method: string, url: string, body?: unknown, who: Record<string, string> = alice) => fx.api(method, url, body, who);
  /** The request fails as given and the log gains nothing. */
  const refused = async (method: string, url: string, body: unknown, who: Record<string, string>, expected: { status: number; type: string; message?: string | RegExp }) => {
    const before = await fx.store.lastSeq();
    const a = await api(method, url, body, who);
    const e = err(a);
    expect({ status: e.status, type: e.type }).toEqual({ status: expected.status, type: expected.type });
    if (expected.message) expect(e.message).toMatch(expected.message);
    expect(await fx.store.lastSeq()).toBe(before);
    return e;
  };

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } }, admin)).body.network;
    extSub = (await api('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, cidr: '203.0.113.0/28', ip_version: 4, enable_dhcp: false } }, admin)).body.subnet;
    net = (await api('POST', '/v2.0/networks', { network: { name: 'l3-net' } })).body.network;
    sub = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.70.0.0/24', ip_version: 4 } })).body.subnet;
    sub2 = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.71.0.0/24', ip_version: 4 } })).body.subnet;
  });
  afterAll(async () => {
    for (const a of agents) await a.stop();
    await fx?.stop();
  });

  it('refuses bad router requests with Zed errors and appends nothing', async () => {
    await refused('POST', '/v2.0/routers', { router: { name: 'x', routes: [] } }, alice, { status: 400, type: 'HTTPBadRequest', message: "Attribute 'routes' not allowed in POST" });
    await refused('POST', '/v2.0/routers', { router: { name: 'x', ha: true } }, alice, { status: 403, type: 'PolicyNotAuthorized', message: '(rule:create_router and rule:create_router:ha) is disallowed by policy' });
    await refused('POST', '/v2.0/routers', { router: { external_gateway_info: { network_id: ext.id, enable_snat: false } } }, alice, {
      status: 403, type: 'PolicyNotAuthorized',
      message: '(rule:create_router and (rule:create_router:external_gateway_info and (rule:create_router:external_gateway_info:network_id and rule:create_router:external_gateway_info:enable_snat))) is disallowed by policy',
    });
    await refused('POST', '/v2.0/routers', { router: { external_gateway_info: { network_id: net.id } } }, alice, { status: 400, type: 'BadRequest', message: `Bad router request: Network ${net.id} is not an external network.` });
    await refused('POST', '/v2.0/routers', { router: { external_gateway_info: { network_id: NONE } } }, alice, { status: 404, type: 'NetworkNotFound' });
    await refused('POST', '/v2.0/routers', { router: { distributed: true } }, admin, { status: 400, type: 'BadRequest', message: /not supported/ });
    await refused('GET', `/v2.0/routers/${NONE}`, undefined, alice, { status: 404, type: 'RouterNotFound', message: `Router ${NONE} could not be found` });
  });

  it('adds and removes interfaces by subnet and by port, with extra routes and the delete rules', async () => {
    const r = (await api('POST', '/v2.0/routers', { router: { name: 'r1' } })).body.router;
    expect(r).toMatchObject({ name: 'r1', status: 'ACTIVE', admin_state_up: true, external_gateway_info: null, routes: [], tenant_id: 'l3-alice' });
    expect(r).not.toHaveProperty('ha');
    expect((await api('GET', `/v2.0/routers/${r.id}`, undefined, admin)).body.router).toMatchObject({ ha: false, distributed: false });
    expect((await api('GET', `/v2.0/routers/${r.id}`, undefined, bob)).status).toBe(404);
    const I = (verb: string) => `/v2.0/routers/${r.id}/${verb}_router_interface`;

    const added = await api('PUT', I('add'), { subnet_id: sub.id });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ id: r.id, tenant_id: 'l3-alice', port_id: expect.any(String), network_id: net.id, subnet_id: sub.id, subnet_ids: [sub.id] });
    const rport = (await api('GET', `/v2.0/ports/${added.body.port_id}`)).body.port;
    expect(rport).toMatchObject({ device_owner: 'network:router_interface', device_id: r.id, fixed_ips: [{ subnet_id: sub.id, ip_address: '10.70.0.1' }] });

    await refused('PUT', I('add'), { subnet_id: sub.id }, alice, { status: 400, type: 'BadRequest', message: `Bad router request: Router already has a port on subnet ${sub.id}.` });
    await refused('PUT', I('add'), {}, alice, { status: 400, type: 'BadRequest', message: 'Bad router request: Either subnet_id or port_id must be specified.' });
    const net3 = (await api('POST', '/v2.0/networks', { network: { name: 'l3-net3' } })).body.network;
    const overlap = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net3.id, cidr: '10.70.0.0/24', ip_version: 4 } })).body.subnet;
    const nogw = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net3.id, cidr: '10.72.0.0/24', ip_version: 4, gateway_ip: null } })).body.subnet;
    await refused('PUT', I('add'), { subnet_id: overlap.id }, alice, {
      status: 400, type: 'BadRequest', message: `Bad router request: Cidr 10.70.0.0/24 of subnet ${overlap.id} overlaps with cidr 10.70.0.0/24 of subnet ${sub.id}.`,
    });
    await refused('PUT', I('add'), { subnet_id: nogw.id }, alice, { status: 400, type: 'BadRequest', message: 'Bad router request: Subnet for router interface must have a gateway IP.' });

    // by port: the port becomes the router's
    const p = (await api('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: sub2.id }] } })).body.port;
    const byPort = await api('PUT', I('add'), { port_id: p.id });
    expect(byPort.body).toEqual({ id: r.id, tenant_id: 'l3-alice', port_id: p.id, network_id: net.id, subnet_id: sub2.id, subnet_ids: [sub2.id] });
    expect((await api('GET', `/v2.0/ports/${p.id}`)).body.port).toMatchObject({ device_owner: 'network:router_interface', device_id: r.id });
    const attached = (await api('POST', '/v2.0/ports', { port: { network_id: net3.id, device_id: 'vm-1', fixed_ips: [{ subnet_id: nogw.id }] } })).body.port;
    await refused('PUT', I('add'), { port_id: attached.id }, alice, { status: 409, type: 'PortInUse' });

    // the interface port, its subnet and its network are in use
    await refused('DELETE', `/v2.0/ports/${rport.id}`, undefined, alice, {
      status: 409, type: 'ServicePortInUse', message: `Port ${rport.id} cannot be deleted directly via the port API: has device owner network:router_interface.`,
    });
    await refused('DELETE', `/v2.0/subnets/${sub.id}`, undefined, alice, { status: 409, type: 'SubnetInUse' });
    await refused('DELETE', `/v2.0/networks/${net.id}`, undefined, alice, { status: 409, type: 'NetworkInUse' });
    await refused('DELETE', `/v2.0/routers/${r.id}`, undefined, alice, {
      status: 409, type: 'RouterInUse', message: `Router ${r.id} has ports still attached: ${[rport.id, p.id].sort().join(', ')}`,
    });

    // extra routes
    const R = `/v2.0/routers/${r.id}`;
    await refused('PUT', R, { router: { routes: [{ destination: '10.50.0.0/24', nexthop: '10.99.0.5' }] } }, alice, {
      status: 400, type: 'InvalidRoutes', message: "Invalid format for routes: [{'destination': '10.50.0.0/24', 'nexthop': '10.99.0.5'}], the nexthop is not connected with router",
    });
    await refused('PUT', R, { router: { routes: [{ destination: '10.50.0.0/24', nexthop: '10.70.0.1' }] } }, alice, { status: 400, type: 'InvalidRoutes', message: /the nexthop is used by router/ });
    await refused('PUT', R, { router: { routes: Array.from({ length: 31 }, (_, i) => ({ destination: `10.60.${i}.0/24`, nexthop: '10.70.0.5' })) } }, alice, {
      status: 400, type: 'RoutesExhausted', message: `Unable to complete operation for ${r.id}. The number of routes exceeds the maximum 30.`,
    });
    const routed = await api('PUT', R, { router: { routes: [{ destination: '10.50.0.0/24', nexthop: '10.70.0.5' }] } });
    expect(routed.body.router.routes).toEqual([{ destination: '10.50.0.0/24', nexthop: '10.70.0.5' }]);
    await refused('PUT', I('remove'), { subnet_id: sub.id }, alice, { status: 409, type: 'RouterInterfaceInUseByRoute' });
    await api('PUT', R, { router: { routes: [] } });

    // removal
    await refused('PUT', I('remove'), { port_id: attached.id }, alice, { status: 404, type: 'RouterInterfaceNotFound', message: `Router ${r.id} does not have an interface with id ${attached.id}` });
    const removed = await api('PUT', I('remove'), { subnet_id: sub.id });
    expect(removed.body).toEqual({ id: r.id, tenant_id: 'l3-alice', port_id: rport.id, network_id: net.id, subnet_id: sub.id, subnet_ids: [sub.id] });
    expect((await api('GET', `/v2.0/ports/${rport.id}`)).status).toBe(404);
    await refused('PUT', I('remove'), { subnet_id: sub.id }, alice, { status: 404, type: 'RouterInterfaceNotFoundForSubnet', message: `Router ${r.id} has no interface on subnet ${sub.id}` });
    expect((await api('PUT', I('remove'), { port_id: p.id })).status).toBe(200);
    expect((await api('GET', `/v2.0/ports/${p.id}`)).status).toBe(404); // Zed deletes a port removed from a router
    expect((await api('DELETE', R)).status).toBe(204);
    expect((await api('GET', R)).status).toBe(404);
    await api('DELETE', `/v2.0/ports/${attached.id}`);
    await api('DELETE', `/v2.0/networks/${net3.id}`);
  });

  it('sets, changes and clears the gateway; floating IPs associate, move, disassociate and hold the gateway', async () => {
    const r = (await api('POST', '/v2.0/routers', { router: { name: 'edge', external_gateway_info: { network_id: ext.id } } })).body.router;
    expect(r.external_gateway_info).toEqual({ network_id: ext.id, enable_snat: true, external_fixed_ips: [{ subnet_id: extSub.id, ip_address: expect.stringMatching(/^203\.0\.113\./) }] });
    const gwPorts = (await api('GET', `/v2.0/ports?device_id=${r.id}`, undefined, admin)).body.ports;
    expect(gwPorts).toEqual([expect.objectContaining({ device_owner: 'network:router_gateway', network_id: ext.id, tenant_id: '' })]);
    expect((await api('GET', `/v2.0/ports?device_id=${r.id}`)).body.ports).toEqual([]); // hidden from the project, as in Zed
    const noSnat = await api('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: { network_id: ext.id, enable_snat: false } } }, admin);
    expect(noSnat.body.router.external_gateway_info).toMatchObject({ enable_snat: false, external_fixed_ips: r.external_gateway_info.external_fixed_ips });
    await api('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id });

    const vm = (await api('POST', '/v2.0/ports', { port: { network_id: net.id, name: 'vm', fixed_ips: [{ subnet_id: sub.id }] } })).body.port;
    const vm2 = (await api('POST', '/v2.0/ports', { port: { network_id: net.id, name: 'vm2', fixed_ips: [{ subnet_id: sub.id }, { subnet_id: sub2.id }] } })).body.port;
    const F = '/v2.0/floatingips';
    await refused('POST', F, { floatingip: { floating_network_id: net.id } }, alice, { status: 400, type: 'BadRequest', message: `Bad floatingip request: Network ${net.id} is not a valid external network.` });
    await refused('POST', F, { floatingip: { floating_network_id: ext.id, floating_ip_address: '203.0.113.9' } }, alice, { status: 403, type: 'PolicyNotAuthorized' });
    await refused('POST', F, { floatingip: { floating_network_id: ext.id, port_id: vm2.id } }, alice, {
      status: 400, type: 'BadRequest', message: `Bad floatingip request: Port ${vm2.id} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP.`,
    });
    await refused('POST', F, { floatingip: { floating_network_id: ext.id, port_id: vm2.id, fixed_ip_address: vm2.fixed_ips[1].ip_address } }, alice, {
      status: 404, type: 'ExternalGatewayForFloatingIPNotFound',
      message: `External network ${ext.id} is not reachable from subnet ${sub2.id}.  Therefore, cannot associate Port ${vm2.id} with a Floating IP.`,
    });

    const f = (await api('POST', F, { floatingip: { floating_network_id: ext.id, port_id: vm.id } })).body.floatingip;
    expect(f).toMatchObject({ floating_network_id: ext.id, port_id: vm.id, fixed_ip_address: vm.fixed_ips[0].ip_address, router_id: r.id, status: 'DOWN', tenant_id: 'l3-alice' });
    expect(f.port_details).toMatchObject({ name: 'vm', network_id: net.id, mac_address: vm.mac_address });
    const fipPorts = (await api('GET', `/v2.0/ports?device_id=${f.id}`, undefined, admin)).body.ports;
    expect(fipPorts).toEqual([expect.objectContaining({ device_owner: 'network:floatingip', fixed_ips: [{ subnet_id: extSub.id, ip_address: f.floating_ip_address }] })]);
    // Zed's message names the address the refused floating IP would have had, so this refusal takes one from ipam and gives it back
    const taken = err(await api('POST', F, { floatingip: { floating_network_id: ext.id, port_id: vm.id } }));
    expect(taken).toMatchObject({ status: 409, type: 'FloatingIPPortAlreadyAssociated' });
    expect(taken.message).toMatch(new RegExp(`with port ${vm.id} using fixed IP ${vm.fixed_ips[0].ip_address}, as that fixed IP already has a floating IP on external network ${ext.id}\\.$`));
    await refused('DELETE', `/v2.0/ports/${fipPorts[0].id}`, undefined, admin, { status: 409, type: 'ServicePortInUse' });
    await refused('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: {} } }, alice, {
      status: 409, type: 'RouterExternalGatewayInUseByFloatingIp',
      message: `Gateway cannot be updated for router ${r.id}, since a gateway to external network ${ext.id} is required by one or more floating IPs.`,
    });
    await refused('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { subnet_id: sub.id }, alice, { status: 409, type: 'RouterInterfaceInUseByFloatingIP' });
    await refused('PUT', `${F}/${f.id}`, { floatingip: { floating_network_id: ext.id } }, alice, { status: 400, type: 'HTTPBadRequest', message: 'Cannot update read-only attribute floating_network_id' });
    await refused('PUT', `${F}/${f.id}`, { floatingip: { fixed_ip_address: '10.70.0.9' } }, alice, { status: 400, type: 'BadRequest', message: 'Bad floatingip request: fixed_ip_address cannot be specified without a port_id.' });

    // the l3-agent reports it ACTIVE; a description change keeps the association
    await fx.store.append([{ type: 'floatingip.updated', aggregate: { type: 'floatingip', id: f.id }, actor: { user_id: 'agent', project_id: null, roles: ['service'] }, request_id: null, causation_id: null, data: { changes: { status: 'ACTIVE' } } }]);
    await waitFor(async () => (await api('GET', `${F}/${f.id}`)).body.floatingip.status === 'ACTIVE');
    expect((await api('PUT', `${F}/${f.id}`, { floatingip: { description: 'web' } })).body.floatingip).toMatchObject({ port_id: vm.id, description: 'web', status: 'ACTIVE' });

    // move to vm2's first address, disassociate, re-associate
    const moved = (await api('PUT', `${F}/${f.id}`, { floatingip: { port_id: vm2.id, fixed_ip_address: vm2.fixed_ips[0].ip_address } })).body.floatingip;
    expect(moved).toMatchObject({ port_id: vm2.id, fixed_ip_address: vm2.fixed_ips[0].ip_address, router_id: r.id, status: 'DOWN' });
    const off = (await api('PUT', `${F}/${f.id}`, { floatingip: { port_id: null } })).body.floatingip;
    expect(off).toMatchObject({ port_id: null, fixed_ip_address: null, router_id: null, port_details: null });
    expect((await api('PUT', `${F}/${f.id}`, { floatingip: { port_id: vm.id } })).body.floatingip).toMatchObject({ port_id: vm.id, router_id: r.id });
    // deleting the instance's port disassociates the floating IP
    expect((await api('DELETE', `/v2.0/ports/${vm.id}`)).status).toBe(204);
    expect((await api('GET', `${F}/${f.id}`)).body.floatingip).toMatchObject({ port_id: null, router_id: null });

    // an admin may ask for an address; the pool runs dry with Zed's answer
    const chosen = await api('POST', F, { floatingip: { floating_network_id: ext.id, floating_ip_address: '203.0.113.9' } }, admin);
    expect(chosen.body.floatingip.floating_ip_address).toBe('203.0.113.9');
    await refused('POST', F, { floatingip: { floating_network_id: ext.id, floating_ip_address: '203.0.113.9' } }, admin, { status: 409, type: 'IpAddressAlreadyAllocated' });
    const made: string[] = [];
    let last: any;
    for (let i = 0; i < 14; i++) {
      last = await api('POST', F, { floatingip: { floating_network_id: ext.id } }, admin);
      if (last.status !== 201) break;
      made.push(last.body.floatingip.id);
    }
    expect(err(last)).toEqual({ status: 409, type: 'IpAddressGenerationFailure', message: `No more IP addresses available on network ${ext.id}.` });
    for (const id of [...made, chosen.body.floatingip.id]) expect((await api('DELETE', `${F}/${id}`, undefined, admin)).status).toBe(204);

    // delete returns the address (its port goes with it)
    expect((await api('DELETE', `${F}/${f.id}`)).status).toBe(204);
    expect((await api('GET', `/v2.0/ports?device_id=${f.id}`, undefined, admin)).body.ports).toEqual([]);
    expect((await api('GET', `${F}/${f.id}`)).status).toBe(404);
    const again = (await api('POST', F, { floatingip: { floating_network_id: ext.id } }, admin)).body.floatingip;
    expect(again).toBeDefined();
    await api('DELETE', `${F}/${again.id}`, undefined, admin);

    // clearing the gateway, then a router delete clears it too
    expect((await api('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: {} } })).body.router.external_gateway_info).toBeNull();
    expect((await api('GET', `/v2.0/ports?device_id=${r.id}&device_owner=network:router_gateway`, undefined, admin)).body.ports).toEqual([]);
    await api('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: { network_id: ext.id } } });
    await refused('DELETE', `/v2.0/networks/${ext.id}`, undefined, admin, { status: 409, type: 'NetworkInUse' });
    await api('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { subnet_id: sub.id });
    expect((await api('DELETE', `/v2.0/routers/${r.id}`)).status).toBe(204);
    expect((await api('GET', `/v2.0/ports?device_id=${r.id}`, undefined, admin)).body.ports).toEqual([]);
    await api('DELETE', `/v2.0/ports/${vm2.id}`);
  });

  it('schedules routers on alive l3-agents (two for HA), binds their ports and lists the hosting agents', async () => {
    const unscheduled = (await api('POST', '/v2.0/routers', { router: { name: 'early', external_gateway_info: { network_id: ext.id } } })).body.router;
    expect((await api('GET', `/v2.0/routers/${unscheduled.id}/l3-agents`, undefined, admin)).body).toEqual({ agents: [] });

    agents.push(await fakeL3Agent(fx, 'net-a'), await fakeL3Agent(fx, 'net-b'));
    await waitFor(async () => (await api('GET', '/v2.0/agents?agent_type=L3%20agent', undefined, admin)).body.agents.filter((a: any) => a.alive).length === 2);

    // a later command on the unscheduled router places it
    await api('PUT', `/v2.0/routers/${unscheduled.id}`, { router: { name: 'early2' } });
    const [hosting] = (await api('GET', `/v2.0/routers/${unscheduled.id}/l3-agents`, undefined, admin)).body.agents;
    expect(hosting).toMatchObject({ agent_type: 'L3 agent', binary: 'neutrino-l3-agent', alive: true, ha_state: null });
    const gw = (await api('GET', `/v2.0/ports?device_id=${unscheduled.id}`, undefined, admin)).body.ports[0];
    expect(gw['binding:host_id']).toBe(hosting.host);
    const routersOf = (await api('GET', `/v2.0/agents/${hosting.id}/l3-routers`, undefined, admin)).body.routers.map((x: any) => x.id);
    expect(routersOf).toContain(unscheduled.id);
    await refused('GET', `/v2.0/routers/${unscheduled.id}/l3-agents`, undefined, alice, { status: 403, type: 'PolicyNotAuthorized', message: 'rule:get_l3-agents is disallowed by policy' });

    // a new legacy router goes to the least loaded agent; its interface port is bound there
    const r2 = (await api('POST', '/v2.0/routers', { router: { name: 'second' } })).body.router;
    const [h2] = (await api('GET', `/v2.0/routers/${r2.id}/l3-agents`, undefined, admin)).body.agents;
    expect(h2.host).not.toBe(hosting.host);
    const i2 = await api('PUT', `/v2.0/routers/${r2.id}/add_router_interface`, { subnet_id: sub.id });
    expect((await api('GET', `/v2.0/ports/${i2.body.port_id}`, undefined, admin)).body.port['binding:host_id']).toBe(h2.host);

    // HA: both agents, an HA network of the project (hidden), one ha- port per host, ha_state as reported
    const ha = await api('POST', '/v2.0/routers', { router: { name: 'ha', ha: true, tenant_id: 'l3-alice' } }, admin);
    expect(ha.body.router).toMatchObject({ ha: true, tenant_id: 'l3-alice' });
    const id = ha.body.router.id;
    let listed = (await api('GET', `/v2.0/routers/${id}/l3-agents`, undefined, admin)).body.agents;
    expect(listed.map((a: any) => a.host).sort()).toEqual(['net-a', 'net-b']);
    expect(listed.map((a: any) => a.ha_state)).toEqual(['standby', 'standby']);
    const haNet = (await api('GET', '/v2.0/networks?name=HA%20network%20tenant%20l3-alice', undefined, admin)).body.networks[0];
    expect(haNet).toMatchObject({ tenant_id: '', project_id: '' });
    expect((await api('GET', `/v2.0/subnets?network_id=${haNet.id}`, undefined, admin)).body.subnets[0]).toMatchObject({ cidr: '169.254.192.0/18', gateway_ip: null, enable_dhcp: false });
    expect((await api('GET', '/v2.0/networks')).body.networks.map((n: any) => n.id)).not.toContain(haNet.id);
    const haPorts = (await api('GET', `/v2.0/ports?device_id=${id}&device_owner=network:router_ha_interface`, undefined, admin)).body.ports;
    expect(haPorts.map((p: any) => p['binding:host_id']).sort()).toEqual(['net-a', 'net-b']);
    await fx.store.append([{ type: 'router.ha_state_reported', aggregate: { type: 'router', id }, actor: { user_id: 'agent', project_id: null, roles: ['service'] }, request_id: null, causation_id: null, data: { router_id: id, host: 'net-b', ha_state: 'active' } }]);
    await waitFor(async () => (await api('GET', `/v2.0/routers/${id}/l3-agents`, undefined, admin)).body.agents.some((a: any) => a.ha_state === 'active'));
    listed = (await api('GET', `/v2.0/routers/${id}/l3-agents`, undefined, admin)).body.agents;
    expect(Object.fromEntries(listed.map((a: any) => [a.host, a.ha_state]))).toEqual({ 'net-a': 'standby', 'net-b': 'active' });

    expect((await api('DELETE', `/v2.0/routers/${id}`, undefined, admin)).status).toBe(204);
    expect((await api('GET', `/v2.0/ports?device_id=${id}`, undefined, admin)).body.ports).toEqual([]);
    await api('PUT', `/v2.0/routers/${r2.id}/remove_router_interface`, { subnet_id: sub.id });
    await api('DELETE', `/v2.0/routers/${r2.id}`);
    await api('DELETE', `/v2.0/routers/${unscheduled.id}`);
  });

  itWithCli('works with the openstack CLI: routers, interfaces, gateway, routes, floating IPs and agents', async () => {
    const os = async (...args: string[]) => {
      return openstack(fx.suite.apiUrl, ...args);
    };
    const json = async (...args: string[]) => JSON.parse(await os(...args, '-f', 'json'));
    await os('network', 'create', 'cli-net');
    await os('subnet', 'create', '--network', 'cli-net', '--subnet-range', '10.90.0.0/24', 'cli-sub');
    const router = await json('router', 'create', 'cli-router');
    expect(router).toMatchObject({ name: 'cli-router', status: 'ACTIVE' });
    await os('router', 'add', 'subnet', 'cli-router', 'cli-sub');
    await os('router', 'set', '--external-gateway', ext.id, 'cli-router');
    await os('router', 'set', '--external-gateway', ext.id, '--disable-snat', 'cli-router');
    await os('router', 'set', '--route', 'destination=10.91.0.0/24,gateway=10.90.0.5', 'cli-router');
    let shown = await json('router', 'show', 'cli-router');
    expect(shown.external_gateway_info).toMatchObject({ network_id: ext.id, enable_snat: false });
    expect(JSON.stringify(shown.routes)).toContain('10.91.0.0/24');
    expect(JSON.stringify(shown.interfaces_info)).toContain('10.90.0.1');
    await os('router', 'unset', '--route', 'destination=10.91.0.0/24,gateway=10.90.0.5', 'cli-router');
    expect((await json('router', 'list')).map((r: any) => r.Name)).toContain('cli-router');

    const port = await json('port', 'create', '--network', 'cli-net', 'cli-vm');
    const fip = await json('floating', 'ip', 'create', ext.id);
    expect(fip).toMatchObject({ floating_network_id: ext.id, status: 'DOWN' });
    await os('floating', 'ip', 'set', '--port', port.id, fip.floating_ip_address);
    expect(await json('floating', 'ip', 'show', fip.id)).toMatchObject({ port_id: port.id, router_id: router.id });
    expect((await json('floating', 'ip', 'list')).map((f: any) => f['Floating IP Address'])).toContain(fip.floating_ip_address);
    await os('floating', 'ip', 'unset', '--port', fip.id);
    expect((await json('floating', 'ip', 'show', fip.id)).port_id).toBeNull();
    expect(Array.isArray(await json('network', 'agent', 'list', '--router', 'cli-router'))).toBe(true);
    await os('floating', 'ip', 'delete', fip.id);
    await os('router', 'unset', '--external-gateway', 'cli-router');
    shown = await json('router', 'show', 'cli-router');
    expect(shown.external_gateway_info ?? null).toBeNull();
    await os('router', 'remove', 'subnet', 'cli-router', 'cli-sub');
    await os('router', 'delete', 'cli-router');
    await os('port', 'delete', 'cli-vm');
    await os('network', 'delete', 'cli-net');
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An L3 agent as the agent kit registers one: agent.registered on evt.agent.<id> and a heartbeat in the agents bucket. */
async function fakeL3Agent(fx: SuiteFixture, host: string) {
  const id = randomUUID();
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const actor = { user_id: `agent:neutrino-l3-agent@${host}`, project_id: null, roles: ['service'] };
  const agent = { id, agent_type: 'L3 agent', binary: 'neutrino-l3-agent', host, topic: 'l3_agent', description: '', admin_state_up: true, configurations: {}, created_at: now, started_at: now };
  await fx.store.append([{ type: 'agent.registered', aggregate: { type: 'agent', id }, actor, request_id: null, causation_id: null, data: { agent } }], { expectedSubjectSeq: 0 });
  const beats = await fx.store.heartbeats('neutrino-agents', 75_000);
  const beat = () => beats.put(id, { id, host, binary: 'neutrino-l3-agent', heartbeat_timestamp: new Date().toISOString(), started_at: now, configurations: {}, synced: true, applied_seq: 0, last_changes: 0 });
  await beat();
  const timer = setInterval(() => void beat(), 5_000);
  return { id, stop: async () => clearInterval(timer) };
}
