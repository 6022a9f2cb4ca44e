import { SuiteFixture, member, openstack, openstackCli } from '@neutrino/testing-suite';

const openstackPath = openstackCli('the RBAC CLI test');
const itWithCli = openstackPath ? it : it.skip;

const admin = { 'X-Project-Id': 'admin', 'X-Roles': 'admin' };
const owner = member('rbac-owner');
const guest = member('rbac-guest');
const stranger = member('rbac-stranger');
const err = (a: { status: number; body: any }) => ({ status: a.status, type: a.body?.NeutronError?.type, message: a.body?.NeutronError?.message });

/**
 * /v2.0/rbac-policies on networks, each answer as Zed (neutron-server 21.0.0)
 * gave it for the same request: a one-project share (the project sees the
 * network and its subnets, `shared` true for it alone, may put ports and
 * subnets on it; the policy cannot go while it has ports there), the
 * wildcard policy as the network's `shared`, access_as_external, and the
 * refusals. Nothing refused is appended to the log.
 */
describe('RBAC policies on networks', () => {
  let fx: SuiteFixture;
  let net: any;
  let subnet: any;
  const api = (method: string, url: string, body?: unknown, who: Record<string, string> = owner) => fx.api(method, url, body, who);
  const policy = (target: string, action = 'access_as_shared', object_id = net.id) => ({ rbac_policy: { object_type: 'network', object_id, action, target_tenant: target } });
  const refused = async (method: string, url: string, body: unknown, who: Record<string, string>, expected: { status: number; type: string; message?: string }) => {
    const before = await fx.store.lastSeq();
    const a = await api(method, url, body, who);
    expect(err(a)).toEqual(expected.message === undefined ? { ...expected, message: expect.any(String) } : expected);
    expect(await fx.store.lastSeq()).toBe(before);
  };

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    net = (await api('POST', '/v2.0/networks', { network: { name: 'rb' } })).body.network;
    subnet = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.7.0.0/24' } })).body.subnet;
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('shares a network with one project: it sees the network (shared for it alone) and its subnets, and may add ports and subnets; the policy is in use while it has a port', async () => {
    expect(err(await api('GET', `/v2.0/networks/${net.id}`, undefined, guest))).toMatchObject({ status: 404, type: 'NetworkNotFound' });
    const created = await api('POST', '/v2.0/rbac-policies', policy('rbac-guest'));
    expect(created.status).toBe(201);
    const p = created.body.rbac_policy;
    expect(p).toEqual({ id: expect.any(String), project_id: 'rbac-owner', tenant_id: 'rbac-owner', action: 'access_as_shared', object_id: net.id, target_tenant: 'rbac-guest', object_type: 'network' });
    await refused('POST', '/v2.0/rbac-policies', policy('rbac-guest'), owner, { status: 409, type: 'DuplicateRbacPolicy', message: 'An RBAC policy already exists with those values.' });
    await refused('POST', '/v2.0/rbac-policies', policy('rbac-stranger'), stranger, {
      status: 400, type: 'InvalidInput', message: 'Invalid input for operation: Only admins can manipulate policies on objects they do not own.',
    });
    expect((await api('GET', `/v2.0/networks/${net.id}?fields=shared`, undefined, guest)).body.network).toEqual({ shared: true });
    expect((await api('GET', `/v2.0/networks/${net.id}?fields=shared`)).body.network).toEqual({ shared: false });
    expect((await api('GET', `/v2.0/subnets/${subnet.id}`, undefined, guest)).status).toBe(200);
    expect((await api('GET', `/v2.0/networks/${net.id}`, undefined, stranger)).status).toBe(404);
    expect((await api('GET', '/v2.0/rbac-policies', undefined, guest)).body).toEqual({ rbac_policies: [] });
    expect((await api('GET', '/v2.0/rbac-policies')).body.rbac_policies.map((x: { id: string }) => x.id)).toEqual([p.id]);

    const port = await api('POST', '/v2.0/ports', { port: { network_id: net.id } }, guest);
    expect(port.status).toBe(201);
    expect((await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.8.0.0/24' } }, guest)).status).toBe(201);
    expect(err(await api('POST', '/v2.0/ports', { port: { network_id: net.id } }, stranger))).toMatchObject({ status: 404, type: 'NetworkNotFound' });
    const inUse = {
      status: 409, type: 'RbacPolicyInUse',
      message: `RBAC policy on object ${net.id} cannot be removed because other objects depend on it.\nDetails: Unable to reconfigure sharing settings for network ${net.id}. Multiple tenants are using it.`,
    };
    await refused('DELETE', `/v2.0/rbac-policies/${p.id}`, undefined, owner, inUse);
    await refused('PUT', `/v2.0/rbac-policies/${p.id}`, { rbac_policy: { target_tenant: 'rbac-other' } }, owner, inUse);
    await refused('PUT', `/v2.0/rbac-policies/${p.id}`, { rbac_policy: { action: 'access_as_external' } }, owner, { status: 400, type: 'HTTPBadRequest', message: 'Cannot update read-only attribute action' });
    expect((await api('DELETE', `/v2.0/ports/${port.body.port.id}`, undefined, guest)).status).toBe(204);
    const guestSubnets = (await api('GET', `/v2.0/subnets?network_id=${net.id}`, undefined, guest)).body.subnets.filter((s: { tenant_id: string }) => s.tenant_id === 'rbac-guest');
    for (const s of guestSubnets) expect((await api('DELETE', `/v2.0/subnets/${s.id}`, undefined, guest)).status).toBe(204);
    expect((await api('DELETE', `/v2.0/rbac-policies/${p.id}`)).status).toBe(204);
    expect((await api('GET', `/v2.0/networks/${net.id}`, undefined, guest)).status).toBe(404);
  });

  it('refuses bad policies as Zed does', async () => {
    await refused('POST', '/v2.0/rbac-policies', { rbac_policy: { object_type: 'router', object_id: net.id, action: 'access_as_shared', target_tenant: 'x' } }, owner, {
      status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'router' is not a valid RBAC object type.",
    });
    await refused('POST', '/v2.0/rbac-policies', policy('x', 'foo'), owner, {
      status: 400, type: 'InvalidActionForType', message: "Invalid action 'foo' for object type 'network'. Valid actions: ('access_as_shared', 'access_as_external')",
    });
    await refused('POST', '/v2.0/rbac-policies', { rbac_policy: { object_type: 'network', object_id: net.id, action: 'access_as_shared' } }, owner, {
      status: 400, type: 'HTTPBadRequest', message: "Failed to parse request. Required attribute 'target_tenant' not specified",
    });
    await refused('POST', '/v2.0/rbac-policies', policy('*'), owner, { status: 403, type: 'PolicyNotAuthorized' });
    await refused('GET', '/v2.0/rbac-policies/00000000-0000-0000-0000-000000000000', undefined, owner, {
      status: 404, type: 'RbacPolicyNotFound', message: 'RBAC policy of type network with ID 00000000-0000-0000-0000-000000000000 not found',
    });
  });

  it('the wildcard policy is the network\'s shared flag: made by an admin, listed for a shared network, gone when it is unshared', async () => {
    const made = await api('POST', '/v2.0/rbac-policies', policy('*'), admin);
    expect(made.status).toBe(201);
    expect(made.body.rbac_policy).toMatchObject({ target_tenant: '*', action: 'access_as_shared', object_id: net.id });
    expect((await api('GET', `/v2.0/networks/${net.id}?fields=shared`, undefined, stranger)).body.network).toEqual({ shared: true });
    expect((await api('DELETE', `/v2.0/rbac-policies/${made.body.rbac_policy.id}`, undefined, admin)).status).toBe(204);
    expect((await api('GET', `/v2.0/networks/${net.id}`, undefined, stranger)).status).toBe(404);

    const sh = (await api('POST', '/v2.0/networks', { network: { name: 'sh', shared: true } }, admin)).body.network;
    const listed = (await api('GET', `/v2.0/rbac-policies?object_id=${sh.id}`, undefined, admin)).body.rbac_policies;
    expect(listed).toEqual([expect.objectContaining({ object_id: sh.id, target_tenant: '*', action: 'access_as_shared' })]);
    expect((await api('PUT', `/v2.0/networks/${sh.id}`, { network: { shared: false } }, admin)).status).toBe(200);
    expect((await api('GET', `/v2.0/rbac-policies?object_id=${sh.id}`, undefined, admin)).body.rbac_policies).toEqual([]);
  });

  it('access_as_external offers the network for floating IPs to one project: router:external shows true, the project may allocate one, and the policy is then in use', async () => {
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'offered' } })).body.network;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, ip_version: 4, cidr: '198.51.100.0/24' } });
    const p = (await api('POST', '/v2.0/rbac-policies', policy('rbac-guest', 'access_as_external', ext.id))).body.rbac_policy;
    expect((await api('GET', `/v2.0/networks/${ext.id}?fields=router:external`, undefined, guest)).body.network).toEqual({ 'router:external': true });
    const fip = await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } }, guest);
    expect(fip.status).toBe(201);
    await refused('DELETE', `/v2.0/rbac-policies/${p.id}`, undefined, owner, { status: 409, type: 'RbacPolicyInUse' });
    expect((await api('DELETE', `/v2.0/floatingips/${fip.body.floatingip.id}`, undefined, guest)).status).toBe(204);
    expect((await api('DELETE', `/v2.0/rbac-policies/${p.id}`)).status).toBe(204);
    expect(err(await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } }, guest))).toMatchObject({ status: 404 });
  });

  itWithCli('openstack network rbac create --target-all-projects / list / show / delete', async () => {
    const os = (...args: string[]) => openstack(fx.suite.apiUrl, ...args);
    const made = JSON.parse(await os('network', 'rbac', 'create', '--target-all-projects', '--action', 'access_as_shared', '--type', 'network', net.id, '-f', 'json'));
    expect(made).toMatchObject({ object_id: net.id, target_project_id: '*', action: 'access_as_shared' });
    expect(await os('network', 'rbac', 'list', '-f', 'value', '-c', 'ID')).toContain(made.id);
    expect(JSON.parse(await os('network', 'rbac', 'show', made.id, '-f', 'json'))).toMatchObject({ id: made.id, object_type: 'network' });
    await os('network', 'rbac', 'delete', made.id);
    expect((await api('GET', `/v2.0/networks/${net.id}?fields=shared`, undefined, admin)).body.network).toEqual({ shared: false });
  });
});
