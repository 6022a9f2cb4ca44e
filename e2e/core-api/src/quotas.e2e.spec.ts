import { SuiteFixture, member } from '@neutrino/testing-suite';

const admin = { 'X-Project-Id': 'admin', 'X-Roles': 'admin' };
const err = (a: { status: number; body: any }) => ({ status: a.status, type: a.body?.NeutronError?.type, message: a.body?.NeutronError?.message });
const over = (kind: string) => ({ status: 409, type: 'OverQuota', message: `Quota exceeded for resources: ['${kind}'].` });
const ZED_DEFAULTS = { network: 100, subnet: 100, port: 500, router: 10, floatingip: 50, security_group: 10, security_group_rule: 100 };

/**
 * /v2.0/quotas (the quotas and quota_details extensions) and their enforcement
 * on create, every answer as recorded from Zed (neutron-server 21.0.0) for the
 * same request; two gateways write to one log, so a burst of creates spread
 * over both never ends above the limit.
 */
describe('quotas', () => {
  let fx: SuiteFixture;
  const api = (method: string, url: string, body?: unknown, who: Record<string, string> = admin, base?: string) => fx.api(method, url, body, who, base);
  const setQuota = async (project: string, quota: object) => expect((await api('PUT', `/v2.0/quotas/${project}`, { quota })).status).toBe(200);
  /** The request fails as given and the log gains nothing. */
  const refused = async (method: string, url: string, body: unknown, expected: { status: number; type: string; message?: string }, who = admin) => {
    const before = await fx.store.lastSeq();
    const a = await api(method, url, body, who);
    expect(err(a)).toEqual(expected.message === undefined ? { status: expected.status, type: expected.type, message: expect.any(String) } : expected);
    expect(await fx.store.lastSeq()).toBe(before);
  };
  const details = async (project: string) => (await api('GET', `/v2.0/quotas/${project}/details`)).body.quota;
  /** The ids of the project's own resources in a collection (external networks of others are visible too). */
  const own = async (collection: string, project: string, base?: string) =>
    (await api('GET', `/v2.0/${collection}?project_id=${project}`, undefined, member(project), base)).body[collection].map((n: { id: string }) => n.id).sort();

  beforeAll(async () => {
    // The router default comes from the environment (NEUTRINO_QUOTA_ROUTER); the others are Neutron's.
    fx = await SuiteFixture.start({ gateways: 2, env: { NEUTRINO_QUOTA_ROUTER: '3' } });
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('announces quotas and quota_details', async () => {
    const aliases = (await api('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    expect(aliases).toEqual(expect.arrayContaining(['quotas', 'quota_details']));
    expect((await api('GET', '/v2.0/extensions/quota_details')).body.extension).toEqual({
      name: 'Quota details management support', alias: 'quota_details', description: 'Expose functions for quotas usage statistics per project', updated: '2017-02-10T10:00:00-00:00', links: [],
    });
  });

  it('show, default and details of a project without a quota of its own: the defaults (settable), nothing used', async () => {
    const defaults = { ...ZED_DEFAULTS, router: 3 };
    expect(await api('GET', '/v2.0/quotas/q-fresh')).toMatchObject({ status: 200, body: { quota: defaults } });
    expect(Object.keys((await api('GET', '/v2.0/quotas/q-fresh')).body.quota)).toEqual(Object.keys(ZED_DEFAULTS));
    expect(await api('GET', '/v2.0/quotas/q-fresh/default')).toMatchObject({ status: 200, body: { quota: defaults } });
    const d = await details('q-fresh');
    for (const [k, limit] of Object.entries(defaults)) expect(d[k]).toEqual({ limit, used: 0, reserved: 0 });
    expect(await api('GET', '/v2.0/quotas')).toMatchObject({ status: 200, body: { quotas: [] } });
    expect(await api('GET', '/v2.0/quotas/tenant', undefined, member('q-me'))).toMatchObject({ status: 200, body: { tenant: { tenant_id: 'q-me' } } });
  });

  it('policy: members see their own project only, only admins list, set and reset', async () => {
    const m = member('q-member');
    expect((await api('GET', '/v2.0/quotas/q-member', undefined, m)).status).toBe(200);
    expect((await api('GET', '/v2.0/quotas/q-member/details', undefined, m)).status).toBe(200);
    expect((await api('GET', '/v2.0/quotas/q-member/default', undefined, m)).status).toBe(200);
    const getQuota = { status: 403, type: 'PolicyNotAuthorized', message: 'rule:get_quota is disallowed by policy' };
    await refused('GET', '/v2.0/quotas', undefined, getQuota, m);
    await refused('GET', '/v2.0/quotas/q-other', undefined, getQuota, m);
    await refused('GET', '/v2.0/quotas/q-other/default', undefined, getQuota, m);
    await refused('GET', '/v2.0/quotas/q-other/details', undefined, {
      status: 403, type: 'AdminRequired', message: 'User does not have admin privileges: Only admin is authorized to access quotas for another project.',
    }, m);
    await refused('PUT', '/v2.0/quotas/q-member', { quota: { network: 5 } }, { status: 403, type: 'PolicyNotAuthorized', message: 'rule:update_quota is disallowed by policy' }, m);
    await refused('DELETE', '/v2.0/quotas/q-member', undefined, { status: 403, type: 'PolicyNotAuthorized', message: 'rule:delete_quota is disallowed by policy' }, m);
    await refused('POST', '/v2.0/quotas', { quota: { network: 5 } }, { status: 501, type: 'HTTPNotImplemented', message: 'POST requests are not supported on this resource.' });
  });

  it('bad bodies: unknown keys, -2, "abc", null, too large, not JSON — refused with Zed\'s messages, nothing written', async () => {
    const U = '/v2.0/quotas/q-bad';
    await refused('PUT', U, { quota: { bogus: 5 } }, { status: 400, type: 'HTTPBadRequest', message: "Unrecognized attribute(s) 'bogus'" });
    await refused('PUT', U, { quota: { subnetpool: 5 } }, { status: 400, type: 'HTTPBadRequest', message: "Unrecognized attribute(s) 'subnetpool'" });
    await refused('PUT', U, { quota: { network: -2 } }, { status: 400, type: 'HTTPBadRequest', message: "Invalid input for network. Reason: '-2' is too small - must be at least '-1'." });
    await refused('PUT', U, { quota: { network: 'abc' } }, { status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'abc' is not an integer." });
    await refused('PUT', U, { quota: { network: null } }, { status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'None' is not an integer." });
    await refused('PUT', U, { quota: { network: 99999999999999 } }, {
      status: 400, type: 'HTTPBadRequest', message: "Invalid input for network. Reason: '99999999999999' is too large - must be no larger than '2147483647'.",
    });
    await refused('PUT', U, 'xx', { status: 400, type: 'MalformedRequestBody', message: 'Malformed request body: Cannot understand JSON.' });
    await refused('PUT', U, { quota: 5 }, { status: 400, type: 'HTTPBadRequest' });
    await refused('DELETE', U, undefined, { status: 404, type: 'TenantQuotaNotFound', message: 'Quota for tenant q-bad could not be found.' });
  });

  it('set (strings and floats converted as Zed does), listed while set, delete resets to the defaults and unlists', async () => {
    const put = await api('PUT', '/v2.0/quotas/q-set', { quota: { network: '7', port: ' 3 ', subnet: 2.9 } });
    expect(put).toMatchObject({ status: 200, body: { quota: { ...ZED_DEFAULTS, router: 3, network: 7, port: 3, subnet: 2 } } });
    // A value equal to the default still makes the project one with a quota of its own (as Zed).
    await setQuota('q-set2', { network: 100 });
    const list = (await api('GET', '/v2.0/quotas')).body.quotas;
    expect(list).toEqual(expect.arrayContaining([
      { ...ZED_DEFAULTS, router: 3, network: 7, port: 3, subnet: 2, project_id: 'q-set', tenant_id: 'q-set' },
      { ...ZED_DEFAULTS, router: 3, project_id: 'q-set2', tenant_id: 'q-set2' },
    ]));
    expect(list.length).toBe(2);
    // The same values again change nothing (no event).
    const before = await fx.store.lastSeq();
    await setQuota('q-set', { network: 7 });
    expect(await fx.store.lastSeq()).toBe(before);
    // The other gateway knows it too.
    expect((await api('GET', '/v2.0/quotas/q-set', undefined, admin, fx.suite.gatewayUrls[1])).body.quota.network).toBe(7);
    expect((await api('DELETE', '/v2.0/quotas/q-set')).status).toBe(204);
    expect((await api('DELETE', '/v2.0/quotas/q-set2')).status).toBe(204);
    expect(await api('GET', '/v2.0/quotas')).toMatchObject({ body: { quotas: [] } });
    expect((await api('GET', '/v2.0/quotas/q-set')).body.quota).toEqual({ ...ZED_DEFAULTS, router: 3 });
  });

  it('enforced on create of every kind with Zed\'s OverQuota; deletes give back; details count what exists', async () => {
    const p = 'q-kinds';
    const who = member(p);
    await setQuota(p, { network: 1, subnet: 1, port: 2, router: 1, floatingip: 1, security_group: 2, security_group_rule: 7 });
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'q-public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).body.network;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, cidr: '203.0.113.0/28', ip_version: 4, enable_dhcp: false } });

    const net = (await api('POST', '/v2.0/networks', { network: { name: 'n1' } }, who)).body.network;
    expect(net.id).toEqual(expect.any(String));
    await refused('POST', '/v2.0/networks', { network: { name: 'n2' } }, over('network'), who);
    // Bad input is refused as such, before the quota is looked at (as Zed).
    await refused('POST', '/v2.0/networks', { network: { name: 'n2', bogus: 1 } }, { status: 400, type: 'HTTPBadRequest', message: "Unrecognized attribute(s) 'bogus'" }, who);

    const sub = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.91.0.0/24', ip_version: 4, enable_dhcp: false } }, who)).body.subnet;
    expect(sub.id).toEqual(expect.any(String));
    await refused('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.92.0.0/24', ip_version: 4 } }, over('subnet'), who);

    const p1 = (await api('POST', '/v2.0/ports', { port: { network_id: net.id } }, who)).body.port;
    expect(p1.id).toEqual(expect.any(String));
    const p2 = (await api('POST', '/v2.0/ports', { port: { network_id: net.id } }, who)).body.port;
    expect(p2.id).toEqual(expect.any(String));
    expect(err(await api('POST', '/v2.0/ports', { port: { network_id: net.id } }, who))).toEqual(over('port'));

    const r = (await api('POST', '/v2.0/routers', { router: { name: 'r1' } }, who)).body.router;
    expect(r.id).toEqual(expect.any(String));
    await refused('POST', '/v2.0/routers', { router: { name: 'r2' } }, over('router'), who);

    const fip = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } }, who)).body.floatingip;
    expect(fip.id).toEqual(expect.any(String));
    await refused('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } }, over('floatingip'), who);

    // The default group (made on first use, 4 rules) counts; a new group takes 1 group and its 2 egress rules.
    const g = (await api('POST', '/v2.0/security-groups', { security_group: { name: 'g1' } }, who)).body.security_group;
    expect(g.id).toEqual(expect.any(String));
    let d = await details(p);
    expect(d.security_group).toEqual({ limit: 2, used: 2, reserved: 0 });
    expect(d.security_group_rule).toEqual({ limit: 7, used: 6, reserved: 0 });
    await refused('POST', '/v2.0/security-groups', { security_group: { name: 'g2' } }, over('security_group'), who);
    const rule = (await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: g.id, direction: 'ingress', protocol: 'tcp' } }, who)).body.security_group_rule;
    expect(rule.id).toEqual(expect.any(String));
    await refused('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: g.id, direction: 'ingress', protocol: 'udp' } }, over('security_group_rule'), who);

    d = await details(p);
    expect(d).toEqual({
      network: { limit: 1, used: 1, reserved: 0 }, subnet: { limit: 1, used: 1, reserved: 0 }, port: { limit: 2, used: 2, reserved: 0 },
      router: { limit: 1, used: 1, reserved: 0 }, floatingip: { limit: 1, used: 1, reserved: 0 },
      security_group: { limit: 2, used: 2, reserved: 0 }, security_group_rule: { limit: 7, used: 7, reserved: 0 },
    });

    // Deletes give back.
    expect((await api('DELETE', `/v2.0/ports/${p2.id}`, undefined, who)).status).toBe(204);
    expect((await api('POST', '/v2.0/ports', { port: { network_id: net.id } }, who)).status).toBe(201);
    expect((await api('DELETE', `/v2.0/security-group-rules/${rule.id}`, undefined, who)).status).toBe(204);
    expect((await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: g.id, direction: 'ingress', protocol: 'udp' } }, who)).status).toBe(201);
    // -1 lifts the limit.
    await setQuota(p, { router: -1 });
    expect((await api('POST', '/v2.0/routers', { router: { name: 'r2' } }, who)).status).toBe(201);
  });

  it('a bulk create that would pass the quota fails entirely (networks, and ports with their recorded batch)', async () => {
    const p = 'q-bulk';
    const who = member(p);
    await setQuota(p, { network: 3, port: 2 });
    const one = (await api('POST', '/v2.0/networks', { network: { name: 'b0' } }, who)).body.network;
    expect(err(await api('POST', '/v2.0/networks', { networks: [{ name: 'b1' }, { name: 'b2' }, { name: 'b3' }] }, who))).toEqual(over('network'));
    expect(await own('networks', p)).toEqual([one.id]);
    expect(err(await api('POST', '/v2.0/ports', { ports: [{ network_id: one.id }, { network_id: one.id }, { network_id: one.id }] }, who))).toEqual(over('port'));
    expect((await api('GET', '/v2.0/ports', undefined, who)).body.ports).toEqual([]);
    const two = await api('POST', '/v2.0/networks', { networks: [{ name: 'b1' }, { name: 'b2' }] }, who);
    expect(two.status).toBe(201);
    expect(await details(p)).toMatchObject({ network: { limit: 3, used: 3, reserved: 0 }, port: { limit: 2, used: 0, reserved: 0 } });
  });

  it('Done-when 2: quota 10, 50 parallel network creates over two gateways → exactly 10 networks and 40 × OverQuota', async () => {
    const p = 'q-burst';
    const who = member(p);
    await setQuota(p, { network: 10 });
    const [a, b] = fx.suite.gatewayUrls;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => api('POST', '/v2.0/networks', { network: { name: `burst-${i}` } }, who, i % 2 ? b : a)));
    const statuses = answers.map((x) => x.status);
    expect(statuses.filter((s) => s === 201).length).toBe(10);
    expect(answers.filter((x) => x.status === 409).map(err)).toEqual(Array(40).fill(over('network')));
    // Both gateways list exactly the 10 (read-your-writes on each after its own writes: wait for the other's to land).
    const ids = answers.filter((x) => x.status === 201).map((x) => x.body.network.id).sort();
    for (const base of [a, b]) {
      let listed: string[] = [];
      for (let i = 0; i < 100 && listed.length !== 10; i++) {
        listed = await own('networks', p, base);
        if (listed.length !== 10) await new Promise((r) => setTimeout(r, 50));
      }
      expect(listed).toEqual(ids);
    }
    expect(await details(p)).toMatchObject({ network: { limit: 10, used: 10, reserved: 0 } });
    // A delete gives one back, to whichever gateway asks first.
    expect((await api('DELETE', `/v2.0/networks/${ids[0]}`, undefined, who)).status).toBe(204);
    const again = await Promise.all([a, b, a, b].map((base, i) => api('POST', '/v2.0/networks', { network: { name: `again-${i}` } }, who, base)));
    expect(again.map((x) => x.status).sort()).toEqual([201, 409, 409, 409]);
  });

  it('a restart that rebuilds the projection from the log keeps the limits and the counts', async () => {
    const before = { kinds: await details('q-kinds'), burst: await details('q-burst') };
    await fx.restart({ wipeGatewayDb: true });
    expect(await details('q-kinds')).toEqual(before.kinds);
    expect(await details('q-burst')).toEqual(before.burst);
    expect(err(await api('POST', '/v2.0/networks', { network: { name: 'after' } }, member('q-burst')))).toEqual(over('network'));
  });
});
