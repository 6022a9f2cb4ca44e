import { SuiteFixture, member, openstack, openstackCli } from '@neutrino/testing-suite';

/**
 * QoS (issue 13) through the API and the real openstack CLI. Every expected
 * answer is what Debian's Zed neutron-server (21.0.0, qos service plugin)
 * answered to the same request (recorded on the reference server, 2026-12-04).
 */
const openstackPath = openstackCli('the QoS CLI test');
const itWithCli = openstackPath ? it : it.skip;
const admin = { 'X-Project-Id': 'qos-admin', 'X-Roles': 'admin' };
const alice = member('qos-alice');
const bob = member('qos-bob');
const bobAdmin = { 'X-Project-Id': 'qos-bob', 'X-Roles': 'admin' };
const err = (a: { status: number; body: any }) => ({ status: a.status, type: a.body?.NeutronError?.type, message: a.body?.NeutronError?.message });

describe('QoS policies and rules', () => {
  let fx: SuiteFixture;
  const api = (method: string, url: string, body?: unknown, who: Record<string, string> = admin) => fx.api(method, url, body, who);
  /** The request fails as Zed's did and the log gains nothing. */
  const refused = async (method: string, url: string, body: unknown, expected: { status: number; type: string; message: string }, who: Record<string, string> = admin) => {
    const before = await fx.store.lastSeq();
    expect(err(await api(method, url, body, who))).toEqual(expected);
    expect(await fx.store.lastSeq()).toBe(before);
  };

  beforeAll(async () => {
    fx = await SuiteFixture.start();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('announces qos, qos-bw-limit-direction, qos-default, qos-port-network-policy and qos-rule-type-details with Zed texts', async () => {
    const ext = (await api('GET', '/v2.0/extensions')).body.extensions as Array<{ alias: string; name: string; description: string; updated: string }>;
    const pick = (alias: string) => ext.find((e) => e.alias === alias);
    expect(pick('qos')).toMatchObject({ name: 'Quality of Service', description: 'The Quality of Service extension.', updated: '2015-06-08T10:00:00-00:00' });
    expect(pick('qos-bw-limit-direction')).toMatchObject({ name: 'Direction for QoS bandwidth limit rule' });
    expect(pick('qos-default')).toMatchObject({ name: 'QoS default policy' });
    expect(pick('qos-port-network-policy')).toMatchObject({ name: 'QoS port network policy ID' });
    expect(pick('qos-rule-type-details')).toMatchObject({ name: 'Details of QoS rule types' });
    expect(pick('qos-pps')).toBeUndefined();
  });

  it('policies and rules: Zed shapes, defaults and errors; nothing is recorded for a refused request', async () => {
    const created = await api('POST', '/v2.0/qos/policies', { policy: { name: 'p', description: 'd' } }, { 'X-Project-Id': 'qos-alice', 'X-Roles': 'admin' });
    expect(created.status).toBe(201);
    const p = created.body.policy;
    expect(Object.keys(p)).toEqual(['id', 'project_id', 'name', 'shared', 'rules', 'is_default', 'revision_number', 'description', 'created_at', 'updated_at', 'tenant_id', 'tags']);
    expect(p).toMatchObject({ project_id: 'qos-alice', name: 'p', shared: false, rules: [], is_default: false, revision_number: 0, description: 'd', tags: [] });
    await refused('POST', '/v2.0/qos/policies', { policy: { name: 'm' } }, { status: 403, type: 'PolicyNotAuthorized', message: 'rule:create_policy is disallowed by policy' }, alice);

    const url = `/v2.0/qos/policies/${p.id}`;
    const bw = await api('POST', `${url}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: 1000 } });
    expect(bw.status).toBe(201);
    expect(Object.keys(bw.body.bandwidth_limit_rule)).toEqual(['max_kbps', 'max_burst_kbps', 'direction', 'id']);
    expect(bw.body.bandwidth_limit_rule).toMatchObject({ max_kbps: 1000, max_burst_kbps: 0, direction: 'egress' });
    const bwId = bw.body.bandwidth_limit_rule.id;
    await refused('POST', `${url}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: 2000 } }, {
      status: 409, type: 'QoSRulesConflict', message: `Rule bandwidth_limit conflicts with rule ${bwId} which already exists in QoS Policy ${p.id}.`,
    });
    const inRule = (await api('POST', `${url}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: 2000, direction: 'ingress', max_burst_kbps: 300 } })).body.bandwidth_limit_rule;
    expect(inRule).toMatchObject({ max_kbps: 2000, max_burst_kbps: 300, direction: 'ingress' });
    await refused('POST', `${url}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: 2000, direction: 'up' } }, { status: 400, type: 'HTTPBadRequest', message: 'Invalid input for direction. Reason: up is not in valid_values.' });
    await refused('POST', `${url}/bandwidth_limit_rules`, { bandwidth_limit_rule: {} }, { status: 400, type: 'HTTPBadRequest', message: "Failed to parse request. Required attribute 'max_kbps' not specified" });
    await refused('POST', `${url}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: -1 } }, { status: 400, type: 'HTTPBadRequest', message: "Invalid input for max_kbps. Reason: '-1' is too small - must be at least '0'." });
    await refused('POST', `${url}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: 'abc' } }, { status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'abc' is not an integer." });
    await refused('POST', `${url}/dscp_marking_rules`, { dscp_marking_rule: { dscp_mark: 13 } }, { status: 400, type: 'HTTPBadRequest', message: 'Invalid input for dscp_mark. Reason: 13 is not in valid_values.' });
    await refused('POST', `${url}/dscp_marking_rules`, { dscp_marking_rule: { dscp_mark: 44 } }, { status: 400, type: 'HTTPBadRequest', message: 'Invalid input for dscp_mark. Reason: 44 is not in valid_values.' });
    const dscp = (await api('POST', `${url}/dscp_marking_rules`, { dscp_marking_rule: { dscp_mark: 14 } })).body.dscp_marking_rule;
    expect(Object.keys(dscp)).toEqual(['dscp_mark', 'id']);
    await refused('POST', `${url}/dscp_marking_rules`, { dscp_marking_rule: { dscp_mark: 16 } }, {
      status: 409, type: 'QoSRulesConflict', message: `Rule dscp_marking conflicts with rule ${dscp.id} which already exists in QoS Policy ${p.id}.`,
    });
    await refused('POST', `${url}/dscp_marking_rules`, { dscp_marking_rule: { dscp_mark: 16 } }, { status: 403, type: 'PolicyNotAuthorized', message: 'rule:create_policy_dscp_marking_rule is disallowed by policy' }, alice);
    await refused('PUT', url, { policy: { name: 'z' } }, { status: 403, type: 'PolicyNotAuthorized', message: 'rule:update_policy is disallowed by policy' }, alice);
    await refused('DELETE', `${url}/bandwidth_limit_rules/${bwId}`, undefined, { status: 403, type: 'PolicyNotAuthorized', message: 'rule:delete_policy_bandwidth_limit_rule is disallowed by policy' }, alice);
    await refused('PUT', `${url}/bandwidth_limit_rules/${bwId}`, { bandwidth_limit_rule: { direction: 'ingress' } }, {
      status: 409, type: 'QoSRulesConflict', message: `Rule bandwidth_limit conflicts with rule ${inRule.id} which already exists in QoS Policy ${p.id}.`,
    });
    expect((await api('PUT', `${url}/bandwidth_limit_rules/${bwId}`, { bandwidth_limit_rule: { max_kbps: 5000 } })).body.bandwidth_limit_rule).toEqual({ max_kbps: 5000, max_burst_kbps: 0, direction: 'egress', id: bwId });
    const zero = '00000000-0000-0000-0000-000000000000';
    await refused('DELETE', `${url}/bandwidth_limit_rules/${zero}`, undefined, { status: 404, type: 'QosRuleNotFound', message: `QoS rule ${zero} for policy ${p.id} could not be found.` });
    expect(err(await api('GET', `${url}/dscp_marking_rules/${bwId}`))).toEqual({ status: 404, type: 'QosRuleNotFound', message: `QoS rule ${bwId} for policy ${p.id} could not be found.` });
    expect(err(await api('GET', `/v2.0/qos/policies/${zero}`))).toEqual({ status: 404, type: 'QosPolicyNotFound', message: `QoS policy ${zero} could not be found.` });

    // the owner (a member) reads the policy with its rules typed; another project does not see it
    const shown = (await api('GET', url, undefined, alice)).body.policy;
    expect(shown.revision_number).toBe(4);
    expect(shown.rules).toEqual([
      { max_kbps: 5000, max_burst_kbps: 0, direction: 'egress', id: bwId, qos_policy_id: p.id, type: 'bandwidth_limit' },
      { ...inRule, qos_policy_id: p.id, type: 'bandwidth_limit' },
      { dscp_mark: 14, id: dscp.id, qos_policy_id: p.id, type: 'dscp_marking' },
    ]);
    expect((await api('GET', `${url}/bandwidth_limit_rules`, undefined, alice)).body.bandwidth_limit_rules.map((r: { id: string }) => r.id)).toEqual([bwId, inRule.id]);
    expect(err(await api('GET', url, undefined, bob))).toEqual({ status: 404, type: 'QosPolicyNotFound', message: `QoS policy ${p.id} could not be found.` });

    // one default policy per project
    expect((await api('POST', '/v2.0/qos/policies', { policy: { name: 'x', is_default: true } })).body.policy).toMatchObject({ is_default: true, revision_number: 1 });
    await refused('POST', '/v2.0/qos/policies', { policy: { name: 'y', is_default: true } }, { status: 409, type: 'QoSPolicyDefaultAlreadyExists', message: 'A default QoS policy exists for project qos-admin.' });
    await refused('POST', '/v2.0/qos/policies', { policy: { name: 'y', shared: 'maybe' } }, { status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'maybe' cannot be converted to boolean." });
  });

  it("ports and networks name a policy: another project's private one is not found, one in use cannot be deleted, a new network takes the project's default", async () => {
    const aliceAdmin = { 'X-Project-Id': 'qos-alice', 'X-Roles': 'admin' };
    const mine = (await api('POST', '/v2.0/qos/policies', { policy: { name: 'mine' } }, aliceAdmin)).body.policy.id;
    const theirs = (await api('POST', '/v2.0/qos/policies', { policy: { name: 'private' } }, bobAdmin)).body.policy.id;
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'qn' } }, alice)).body.network;
    expect(net.qos_policy_id).toBeNull();
    const port = await api('POST', '/v2.0/ports', { port: { network_id: net.id, qos_policy_id: mine } }, alice);
    expect(port.status).toBe(201);
    expect(port.body.port).toMatchObject({ qos_policy_id: mine, qos_network_policy_id: null });
    const portId = port.body.port.id;
    await refused('DELETE', `/v2.0/qos/policies/${mine}`, undefined, { status: 409, type: 'QosPolicyInUse', message: `QoS Policy ${mine} is used by port ${portId}.` });
    await refused('PUT', `/v2.0/ports/${portId}`, { port: { qos_policy_id: theirs } }, { status: 404, type: 'QosPolicyNotFound', message: `QoS policy ${theirs} could not be found.` }, alice);
    await refused('PUT', `/v2.0/ports/${portId}`, { port: { qos_policy_id: '' } }, { status: 400, type: 'HTTPBadRequest', message: "Invalid input for qos_policy_id. Reason: '' is not a valid UUID." }, alice);
    await refused('POST', '/v2.0/networks', { network: { name: 'n3', qos_policy_id: theirs } }, { status: 404, type: 'QosPolicyNotFound', message: `QoS policy ${theirs} could not be found.` }, alice);
    expect((await api('PUT', `/v2.0/networks/${net.id}`, { network: { qos_policy_id: mine } }, alice)).body.network.qos_policy_id).toBe(mine);
    const cleared = (await api('PUT', `/v2.0/ports/${portId}`, { port: { qos_policy_id: null } }, alice)).body.port;
    expect(cleared).toMatchObject({ qos_policy_id: null, qos_network_policy_id: mine });
    await refused('DELETE', `/v2.0/qos/policies/${mine}`, undefined, { status: 409, type: 'QosPolicyInUse', message: `QoS Policy ${mine} is used by network ${net.id}.` });
    expect((await api('PUT', `/v2.0/networks/${net.id}`, { network: { qos_policy_id: null } }, alice)).status).toBe(200);
    expect((await api('DELETE', `/v2.0/qos/policies/${mine}`, undefined, aliceAdmin)).status).toBe(204);
    // qos-default: the project's default policy on a network created without one
    const dflt = (await api('POST', '/v2.0/qos/policies', { policy: { name: 'bob-default', is_default: true } }, bobAdmin)).body.policy.id;
    expect((await api('POST', '/v2.0/networks', { network: { name: 'bn' } }, bob)).body.network.qos_policy_id).toBe(dflt);
    expect((await api('POST', '/v2.0/networks', { network: { name: 'bn2', qos_policy_id: null } }, bob)).body.network.qos_policy_id).toBeNull();
  });

  it('RBAC access_as_shared on a QoS policy (Zed has no alias of its own for it: part of qos): the owner shares it with one project, which sees it as shared and may name it; a share in use cannot go', async () => {
    const bobMember = bob;
    const q = (await api('POST', '/v2.0/qos/policies', { policy: { name: 'rb' } }, bobAdmin)).body.policy.id;
    expect(err(await api('GET', `/v2.0/qos/policies/${q}`, undefined, alice))).toMatchObject({ status: 404, type: 'QosPolicyNotFound' });
    const made = await api('POST', '/v2.0/rbac-policies', { rbac_policy: { object_type: 'qos_policy', object_id: q, action: 'access_as_shared', target_tenant: 'qos-alice' } }, bobMember);
    expect(made.status).toBe(201);
    expect(made.body.rbac_policy).toMatchObject({ project_id: 'qos-bob', action: 'access_as_shared', object_id: q, target_tenant: 'qos-alice', object_type: 'qos_policy', tenant_id: 'qos-bob' });
    expect((await api('GET', `/v2.0/qos/policies/${q}`, undefined, alice)).body.policy).toMatchObject({ id: q, project_id: 'qos-bob', shared: true });
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'rbn' } }, alice)).body.network;
    const port = await api('POST', '/v2.0/ports', { port: { network_id: net.id, qos_policy_id: q } }, alice);
    expect(port.status).toBe(201);
    const inUse = err(await api('DELETE', `/v2.0/rbac-policies/${made.body.rbac_policy.id}`, undefined, bobMember));
    // Zed words it through its callback ("Details: Callback neutron.objects.qos.policy…"); the type and the opening are Zed's
    expect(inUse).toMatchObject({ status: 409, type: 'RbacPolicyInUse' });
    expect(inUse.message).toMatch(new RegExp(`^RBAC policy on object ${q} cannot be removed because other objects depend on it.`));
    await refused('POST', '/v2.0/rbac-policies', { rbac_policy: { object_type: 'qos_policy', object_id: q, action: 'access_as_external', target_tenant: 'qos-alice' } }, {
      status: 400, type: 'InvalidActionForType', message: "Invalid action 'access_as_external' for object type 'qos_policy'. Valid actions: ('access_as_shared',)",
    }, bobMember);
    expect((await api('DELETE', `/v2.0/ports/${port.body.port.id}`, undefined, alice)).status).toBe(204);
    expect((await api('DELETE', `/v2.0/rbac-policies/${made.body.rbac_policy.id}`, undefined, bobMember)).status).toBe(204);
    expect(err(await api('GET', `/v2.0/qos/policies/${q}`, undefined, alice))).toMatchObject({ status: 404, type: 'QosPolicyNotFound' });
  });

  it('rule types: the two the agents enforce, with the linuxbridge driver\'s parameters (admin only)', async () => {
    expect((await api('GET', '/v2.0/qos/rule-types', undefined, alice)).body).toEqual({ rule_types: [{ type: 'bandwidth_limit' }, { type: 'dscp_marking' }] });
    const bw = (await api('GET', '/v2.0/qos/rule-types/bandwidth_limit')).body.rule_type;
    expect(bw.drivers[0].supported_parameters).toEqual([
      { parameter_name: 'max_kbps', parameter_values: { start: 0, end: 2147483647 }, parameter_type: 'range' },
      { parameter_name: 'max_burst_kbps', parameter_values: { start: 0, end: 2147483647 }, parameter_type: 'range' },
      { parameter_name: 'direction', parameter_values: ['egress', 'ingress'], parameter_type: 'choices' },
    ]);
    expect(err(await api('GET', '/v2.0/qos/rule-types/bandwidth_limit', undefined, alice))).toEqual({ status: 403, type: 'NotAuthorized', message: 'Not authorized.' });
  });

  itWithCli('the openstack CLI: qos policy create, qos rule create --type bandwidth-limit|dscp-marking, port set --qos-policy', async () => {
    const os = (...args: string[]) => openstack(fx.suite.apiUrl, ...args);
    const json = async (...args: string[]) => JSON.parse(await os(...args, '-f', 'json'));
    const pol = await json('network', 'qos', 'policy', 'create', 'cli-pol');
    expect(pol).toMatchObject({ name: 'cli-pol', shared: false, is_default: false });
    expect(await json('network', 'qos', 'rule', 'create', '--type', 'bandwidth-limit', '--max-kbps', '1000', '--max-burst-kbits', '0', '--egress', 'cli-pol')).toMatchObject({ direction: 'egress', max_kbps: 1000, max_burst_kbps: 0 });
    expect(await json('network', 'qos', 'rule', 'create', '--type', 'dscp-marking', '--dscp-mark', '26', 'cli-pol')).toMatchObject({ dscp_mark: 26 });
    await os('network', 'create', 'cli-net');
    await os('port', 'create', '--network', 'cli-net', 'cli-port');
    await os('port', 'set', '--qos-policy', 'cli-pol', 'cli-port');
    expect(await json('port', 'show', 'cli-port')).toMatchObject({ qos_policy_id: pol.id });
    const rules = await json('network', 'qos', 'rule', 'list', 'cli-pol');
    expect(rules.map((r: { Type: string }) => r.Type)).toEqual(['bandwidth_limit', 'dscp_marking']);
    await expect(os('network', 'qos', 'policy', 'delete', 'cli-pol')).rejects.toThrow(/is used by port/);
    await os('port', 'unset', '--qos-policy', 'cli-port');
    await os('network', 'qos', 'policy', 'delete', 'cli-pol');
    expect((await json('network', 'qos', 'policy', 'list')).map((x: { Name: string }) => x.Name)).not.toContain('cli-pol');
  }, 120_000);
});
