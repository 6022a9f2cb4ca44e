import { execFileSync } from 'node:child_process';
import { SuiteFixture, member, neutron, openstack, openstackCli } from '@neutrino/testing-suite';

/**
 * FWaaS v2 (/v2.0/fwaas/...) against the gateway alone: neutron-fwaas's
 * shapes, defaults and errors through the raw API, then the real client,
 * python3-neutronclient's `openstack firewall group ...` plugin. The
 * fwaas-agent's end-to-end test (chains in qrouter- namespaces) lives in e2e/agents.
 */
const P1 = member('fw-p1');
const P2 = member('fw-p2');

describe('FWaaS v2 API', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    fx = await SuiteFixture.start();
  });
  afterAll(async () => {
    await fx?.stop();
  });
  const api = (m: string, url: string, body?: unknown, h: Record<string, string> = P1) => fx.api(m, url, body, h);
  const ok = async (m: string, url: string, body?: unknown, h: Record<string, string> = P1) => {
    const r = await api(m, url, body, h);
    if (r.status >= 300) throw new Error(`${m} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const routerWithInterface = async (h: Record<string, string>, cidr: string) => {
    const net = (await ok('POST', '/v2.0/networks', { network: { name: `n-${cidr}` } }, h)).network;
    const sub = (await ok('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr, ip_version: 4 } }, h)).subnet;
    const r = (await ok('POST', '/v2.0/routers', { router: { name: `r-${cidr}` } }, h)).router;
    const i = await ok('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id }, h);
    const vm = (await ok('POST', '/v2.0/ports', { port: { network_id: net.id, device_owner: 'compute:nova' } }, h)).port;
    return { router: r, iface: i.port_id as string, vm: vm.id as string };
  };

  it('announces fwaas_v2; rules, policies and groups with Neutron\'s defaults; the project\'s default group', async () => {
    const ext = (await ok('GET', '/v2.0/extensions')).extensions.map((e: { alias: string }) => e.alias);
    expect(ext).toContain('fwaas_v2');
    const rule = (await ok('POST', '/v2.0/fwaas/firewall_rules', { firewall_rule: { protocol: 'tcp', destination_port: '80', action: 'allow' } })).firewall_rule;
    expect(rule).toMatchObject({ protocol: 'tcp', destination_port: '80', action: 'allow', ip_version: 4, enabled: true, shared: false, source_port: null, firewall_policy_id: null, tenant_id: 'fw-p1' });
    const pol = (await ok('POST', '/v2.0/fwaas/firewall_policies', { firewall_policy: { name: 'web', firewall_rules: [rule.id] } })).firewall_policy;
    expect(pol).toMatchObject({ name: 'web', firewall_rules: [rule.id], audited: false, shared: false });
    expect((await ok('GET', `/v2.0/fwaas/firewall_rules/${rule.id}`)).firewall_rule.firewall_policy_id).toEqual([pol.id]);
    const groups = (await ok('GET', '/v2.0/fwaas/firewall_groups')).firewall_groups;
    expect(groups.map((g: { name: string }) => g.name)).toEqual(['default']);
    expect(groups[0]).toMatchObject({ status: 'INACTIVE', ports: [], admin_state_up: true });
    const policies = (await ok('GET', '/v2.0/fwaas/firewall_policies?fields=name')).firewall_policies.map((p: { name: string }) => p.name).sort();
    expect(policies).toEqual(['default egress', 'default ingress', 'web']);
    expect((await api('DELETE', `/v2.0/fwaas/firewall_groups/${groups[0].id}`)).body.NeutronError.type).toBe('FirewallGroupCannotRemoveDefault');
    expect((await api('GET', '/v2.0/fwaas/firewall_rules?bogus=1')).status).toBe(400);
  });

  it('insert_rule / remove_rule answer the policy; bad input gets neutron-fwaas\'s errors and changes nothing', async () => {
    const mk = async (body: object) => (await ok('POST', '/v2.0/fwaas/firewall_rules', { firewall_rule: { protocol: 'tcp', action: 'allow', ...body } })).firewall_rule;
    const a = await mk({ destination_port: '22' });
    const b = await mk({ action: 'deny', destination_port: '22' });
    const c = await mk({ destination_port: '443' });
    const pol = (await ok('POST', '/v2.0/fwaas/firewall_policies', { firewall_policy: { name: 'ssh', firewall_rules: [a.id], audited: true } })).firewall_policy;
    const ins = await ok('PUT', `/v2.0/fwaas/firewall_policies/${pol.id}/insert_rule`, { firewall_rule_id: b.id, insert_before: a.id });
    expect(ins).toMatchObject({ id: pol.id, firewall_rules: [b.id, a.id], audited: false });
    const err = async (m: string, url: string, body: unknown, h: Record<string, string> = P1) => (await api(m, url, body, h)).body.NeutronError;
    expect(await err('PUT', `/v2.0/fwaas/firewall_policies/${pol.id}/insert_rule`, { firewall_rule_id: c.id, insert_after: '0b2e8a6e-5a5c-4c3f-9d2d-2f3b1a7c9e11' }))
      .toMatchObject({ type: 'FirewallRuleNotAssociatedWithPolicy' });
    expect(await err('PUT', `/v2.0/fwaas/firewall_policies/${pol.id}/insert_rule`, { firewall_rule_id: a.id })).toMatchObject({ type: 'FirewallRuleAlreadyAssociated' });
    expect(await err('PUT', `/v2.0/fwaas/firewall_policies/${pol.id}/insert_rule`, {})).toMatchObject({ type: 'FirewallRuleInfoMissing' });
    expect(await err('PUT', `/v2.0/fwaas/firewall_policies/${pol.id}`, { firewall_policy: { shared: true } })).toMatchObject({ type: 'FirewallPolicySharingConflict' });
    expect(await err('DELETE', `/v2.0/fwaas/firewall_rules/${a.id}`, undefined)).toMatchObject({ type: 'FirewallRuleInUse' });
    expect(await err('POST', '/v2.0/fwaas/firewall_rules', { firewall_rule: { protocol: 'icmp', destination_port: '80' } })).toMatchObject({ type: 'FirewallRuleInvalidICMPParameter' });
    expect(await err('POST', '/v2.0/fwaas/firewall_rules', { firewall_rule: { protocol: 'gre' } })).toMatchObject({ type: 'FirewallRuleInvalidProtocol' });
    expect(await err('POST', '/v2.0/fwaas/firewall_rules', { firewall_rule: { source_ip_address: '2001:db8::/64' } })).toMatchObject({ type: 'FirewallIpAddressConflict' });
    expect(await err('POST', '/v2.0/fwaas/firewall_policies', { firewall_policy: { firewall_rules: [c.id] } }, P2)).toMatchObject({ type: 'FirewallRuleNotFound' });
    expect((await ok('GET', `/v2.0/fwaas/firewall_policies/${pol.id}`)).firewall_policy.firewall_rules).toEqual([b.id, a.id]);
    const rm = await ok('PUT', `/v2.0/fwaas/firewall_policies/${pol.id}/remove_rule`, { firewall_rule_id: b.id });
    expect(rm.firewall_rules).toEqual([a.id]);
  });

  it('a group takes router-interface ports of its project only, each in one group; status follows', async () => {
    const own = await routerWithInterface(P1, '10.61.0.0/24');
    const other = await routerWithInterface(P2, '10.62.0.0/24');
    const pol = (await ok('POST', '/v2.0/fwaas/firewall_policies', { firewall_policy: { name: 'empty' } })).firewall_policy;
    const err = async (ports: string[]) => (await api('POST', '/v2.0/fwaas/firewall_groups', { firewall_group: { ingress_firewall_policy_id: pol.id, ports } })).body.NeutronError;
    expect(await err([own.vm])).toMatchObject({ type: 'FirewallGroupPortInvalid' });
    expect(await err([other.iface])).toMatchObject({ type: 'FirewallGroupPortInvalidProject' });
    const g = (await ok('POST', '/v2.0/fwaas/firewall_groups', { firewall_group: { name: 'edge', ingress_firewall_policy_id: pol.id, egress_firewall_policy_id: pol.id, ports: [own.iface] } })).firewall_group;
    expect(g).toMatchObject({ name: 'edge', status: 'PENDING_CREATE', ports: [own.iface], admin_state_up: true });
    expect(await err([own.iface])).toMatchObject({ type: 'FirewallGroupPortInUse' });
    expect((await api('DELETE', `/v2.0/fwaas/firewall_policies/${pol.id}`)).body.NeutronError.type).toBe('FirewallPolicyInUse');
    expect((await ok('PUT', `/v2.0/fwaas/firewall_groups/${g.id}`, { firewall_group: { admin_state_up: false } })).firewall_group.status).toBe('DOWN');
    expect((await ok('PUT', `/v2.0/fwaas/firewall_groups/${g.id}`, { firewall_group: { ports: [] } })).firewall_group.status).toBe('INACTIVE');
    expect((await api('DELETE', `/v2.0/fwaas/firewall_groups/${g.id}`)).status).toBe(204);
    expect((await api('GET', `/v2.0/fwaas/firewall_groups/${g.id}`)).status).toBe(404);
  });
  it('v1 (/v2.0/fw): the same rules and policies shown the v1 way; a firewall on its routers, one per tenant, a router in one firewall; v1\'s errors', async () => {
    const P3 = member('fw-p3');
    const ext = (await ok('GET', '/v2.0/extensions')).extensions.map((e: { alias: string }) => e.alias);
    expect(ext).toEqual(expect.arrayContaining(['fwaas', 'fwaasrouterinsertion']));
    const one = await routerWithInterface(P3, '10.64.0.0/24');
    const two = await routerWithInterface(P3, '10.65.0.0/24');
    const mk = async (body: object) => (await ok('POST', '/v2.0/fw/firewall_rules', { firewall_rule: { protocol: 'tcp', action: 'allow', ...body } }, P3)).firewall_rule;
    const web = await mk({ destination_port: '80' });
    expect(web).toEqual({
      id: web.id, tenant_id: 'fw-p3', project_id: 'fw-p3', name: '', description: '', shared: false, protocol: 'tcp', ip_version: 4, source_ip_address: null,
      destination_ip_address: null, source_port: null, destination_port: '80', action: 'allow', enabled: true, firewall_policy_id: null, position: null,
    });
    const ssh = await mk({ destination_port: '22', action: 'deny' });
    const pol = (await ok('POST', '/v2.0/fw/firewall_policies', { firewall_policy: { name: 'edge', firewall_rules: [web.id] } }, P3)).firewall_policy;
    expect(pol).toEqual({ id: pol.id, tenant_id: 'fw-p3', project_id: 'fw-p3', name: 'edge', description: '', shared: false, audited: false, firewall_rules: [web.id], firewall_list: [] });
    const ins = await ok('PUT', `/v2.0/fw/firewall_policies/${pol.id}/insert_rule`, { firewall_rule_id: ssh.id, insert_before: web.id }, P3);
    expect(ins.firewall_rules).toEqual([ssh.id, web.id]);
    expect((await ok('GET', `/v2.0/fw/firewall_rules/${web.id}`, undefined, P3)).firewall_rule).toMatchObject({ firewall_policy_id: pol.id, position: 2 });
    // the same objects through v2
    expect((await ok('GET', `/v2.0/fwaas/firewall_rules/${web.id}`, undefined, P3)).firewall_rule.firewall_policy_id).toEqual([pol.id]);

    const err = async (m: string, url: string, body: unknown) => (await api(m, url, body, P3)).body.NeutronError;
    // v1: a rule belongs to one policy
    expect(await err('POST', '/v2.0/fw/firewall_policies', { firewall_policy: { name: 'again', firewall_rules: [web.id] } }))
      .toEqual({ type: 'FirewallRuleInUse', message: `Firewall Rule ${web.id} is being used.`, detail: '' });
    expect(await err('POST', '/v2.0/fw/firewalls', { firewall: { name: 'x' } })).toMatchObject({ type: 'HTTPBadRequest', message: "Failed to parse request. Required attribute 'firewall_policy_id' not specified" });

    // no router_ids: every router of the tenant
    const fw = (await ok('POST', '/v2.0/fw/firewalls', { firewall: { name: 'fw1', firewall_policy_id: pol.id } }, P3)).firewall;
    expect(fw).toEqual({
      id: fw.id, tenant_id: 'fw-p3', project_id: 'fw-p3', name: 'fw1', description: '', admin_state_up: true, status: 'PENDING_CREATE',
      firewall_policy_id: pol.id, router_ids: [one.router.id, two.router.id].sort(),
    });
    expect((await ok('GET', `/v2.0/fw/firewall_policies/${pol.id}`, undefined, P3)).firewall_policy.firewall_list).toEqual([fw.id]);
    // one firewall per tenant (the seed's quota), v2 does not list v1 firewalls, the policy is in use
    expect(await err('POST', '/v2.0/fw/firewalls', { firewall: { firewall_policy_id: pol.id, router_ids: [] } })).toEqual({ type: 'OverQuota', message: "Quota exceeded for resources: ['firewall'].", detail: '' });
    expect((await ok('GET', '/v2.0/fwaas/firewall_groups', undefined, P3)).firewall_groups.map((g: { name: string }) => g.name)).toEqual(['default']);
    expect(await err('DELETE', `/v2.0/fw/firewall_policies/${pol.id}`, undefined)).toEqual({ type: 'FirewallPolicyInUse', message: `Firewall Policy ${pol.id} is being used.`, detail: '' });
    expect(await err('PUT', `/v2.0/fw/firewall_policies/${pol.id}/remove_rule`, { firewall_rule_id: '0b2e8a6e-5a5c-4c3f-9d2d-2f3b1a7c9e11' }))
      .toMatchObject({ type: 'FirewallRuleNotFound', message: 'Firewall Rule 0b2e8a6e-5a5c-4c3f-9d2d-2f3b1a7c9e11 could not be found.' });
    // a router in one firewall only: another tenant's admin-made firewall cannot take it
    const admin = { 'X-Project-Id': 'fw-admin', 'X-Roles': 'admin' };
    const shared = (await ok('POST', '/v2.0/fw/firewall_policies', { firewall_policy: { name: 'open', shared: true } }, admin)).firewall_policy;
    const taken = (await api('POST', '/v2.0/fw/firewalls', { firewall: { firewall_policy_id: shared.id, router_ids: [one.router.id] } }, admin)).body.NeutronError;
    expect(taken).toEqual({ type: 'FirewallRouterInUse', message: `Router(s) ['${one.router.id}'] provided already associated with other Firewall(s). `, detail: '' });
    expect((await api('GET', `/v2.0/fw/firewalls/${fw.id}`, undefined, P1)).body.NeutronError).toMatchObject({ type: 'FirewallNotFound', message: `Firewall ${fw.id} could not be found.` });
    // nothing was left behind by the refusals
    expect((await ok('GET', '/v2.0/fw/firewalls', undefined, admin)).firewalls.map((f: { id: string }) => f.id)).toEqual([fw.id]);
    expect((await api('DELETE', `/v2.0/fw/firewalls/${fw.id}`, undefined, P3)).status).toBe(204);
    expect((await ok('GET', `/v2.0/fw/firewall_policies/${pol.id}`, undefined, P3)).firewall_policy.firewall_list).toEqual([]);
  });
});

const openstackPath = openstackCli('the FWaaS CLI end-to-end test');
let plugin = false;
try {
  execFileSync('/usr/bin/python3', ['-c', 'import neutronclient.osc.v2.fwaas'], { stdio: 'ignore' });
  plugin = true;
} catch {
  console.warn('python3-neutronclient not installed: skipping the FWaaS CLI end-to-end test');
}
const describeWithCli = openstackPath && plugin ? describe : describe.skip;

describeWithCli('FWaaS v2: openstack firewall group ... against the gateway', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    fx = await SuiteFixture.start();
  });
  afterAll(async () => {
    await fx?.stop();
  });
  const os = (...args: string[]) => openstack(fx.suite.apiUrl, ...args);
  const json = async (...args: string[]) => JSON.parse(await os(...args, '-f', 'json'));

  it('rules, a policy with insert/remove, a group on a router interface, as a new user would', async () => {
    await json('network', 'create', 'fw-net');
    await json('subnet', 'create', '--network', 'fw-net', '--subnet-range', '10.63.0.0/24', 'fw-sub');
    await json('router', 'create', 'fw-router');
    await os('router', 'add', 'subnet', 'fw-router', 'fw-sub');
    const iface = (await json('port', 'list', '--device-owner', 'network:router_interface'))[0];

    const web = await json('firewall', 'group', 'rule', 'create', '--name', 'web', '--protocol', 'tcp', '--destination-port', '80', '--action', 'allow');
    expect(web).toMatchObject({ Name: 'web', Protocol: 'tcp', 'Destination Port': '80', Action: 'allow', Enabled: true });
    web.id = web.ID;
    const block = await json('firewall', 'group', 'rule', 'create', '--name', 'block', '--protocol', 'tcp', '--destination-port', '80', '--action', 'deny');
    const pol = await json('firewall', 'group', 'policy', 'create', '--firewall-rule', 'web', 'edge');
    expect(pol['Firewall Rules']).toEqual([web.id]);
    await os('firewall', 'group', 'policy', 'add', 'rule', '--insert-before', 'web', 'edge', 'block');
    expect((await json('firewall', 'group', 'policy', 'show', 'edge'))['Firewall Rules']).toEqual([block.ID, web.id]);
    await os('firewall', 'group', 'policy', 'remove', 'rule', 'edge', 'block');
    expect((await json('firewall', 'group', 'policy', 'show', 'edge'))['Firewall Rules']).toEqual([web.id]);

    const g = await json('firewall', 'group', 'create', '--name', 'fw1', '--ingress-firewall-policy', 'edge', '--egress-firewall-policy', 'edge', '--port', iface.ID);
    expect(g).toMatchObject({ Name: 'fw1', Ports: [iface.ID], Status: 'PENDING_CREATE' });
    const names = (await json('firewall', 'group', 'list')).map((x: { Name: string }) => x.Name).sort();
    expect(names).toEqual(['default', 'fw1']);
    await os('firewall', 'group', 'set', '--disable', 'fw1');
    expect((await json('firewall', 'group', 'show', 'fw1')).Status).toBe('DOWN');
    await expect(os('firewall', 'group', 'rule', 'delete', 'web')).rejects.toThrow(/is being used/);
    await os('firewall', 'group', 'delete', 'fw1');
    await os('firewall', 'group', 'policy', 'delete', 'edge');
    await os('firewall', 'group', 'rule', 'delete', 'web', 'block');
    expect((await json('firewall', 'group', 'rule', 'list')).map((r: { Name: string }) => r.Name).sort()).toEqual(['default egress ipv4', 'default egress ipv6', 'default ingress ipv4', 'default ingress ipv6']);
  });
  it('v1 through the legacy neutron CLI: firewall-rule-create, firewall-policy-create / insert-rule, firewall-create --router, the list summary', async () => {
    const n = (...args: string[]) => neutron(fx.suite.apiUrl, ...args);
    const nj = async (...args: string[]) => {
      const out = await n(...args, '-f', 'json');
      return JSON.parse(out.slice(out.search(/[[{]/)));
    };
    await json('network', 'create', 'fw1-net');
    await json('subnet', 'create', '--network', 'fw1-net', '--subnet-range', '10.66.0.0/24', 'fw1-sub');
    const router = await json('router', 'create', 'fw1-router');
    await os('router', 'add', 'subnet', 'fw1-router', 'fw1-sub');
    const http = await nj('firewall-rule-create', '--name', 'http', '--protocol', 'tcp', '--destination-port', '80', '--action', 'allow');
    expect(http).toMatchObject({ name: 'http', protocol: 'tcp', destination_port: '80', action: 'allow', enabled: true, ip_version: 4, firewall_policy_id: null });
    const any = await nj('firewall-rule-create', '--name', 'no-ping', '--protocol', 'icmp', '--action', 'deny');
    const pol = await nj('firewall-policy-create', '--firewall-rules', http.id, 'web-policy');
    expect(pol).toMatchObject({ name: 'web-policy', firewall_rules: [http.id], audited: false });
    await n('firewall-policy-insert-rule', '--insert-before', 'http', 'web-policy', 'no-ping');
    expect((await nj('firewall-policy-show', 'web-policy')).firewall_rules).toEqual([any.id, http.id]);
    // the seed's list format: "<PROTOCOL>,\n source: <ip>(<port>),\n dest: <ip>(<port>),\n <action>"
    const list = await nj('firewall-rule-list');
    expect(list.find((r: { name: string }) => r.name === 'http')).toMatchObject({ firewall_policy_id: pol.id, summary: 'TCP,\n source: none(none),\n dest: none(80),\n allow' });
    const fw = await nj('firewall-create', '--name', 'fw1', '--router', 'fw1-router', 'web-policy');
    expect(fw).toMatchObject({ name: 'fw1', firewall_policy_id: pol.id, router_ids: [router.id], admin_state_up: true });
    expect(['PENDING_CREATE', 'ACTIVE']).toContain(fw.status);
    expect((await nj('firewall-list')).map((f: { name: string }) => f.name)).toEqual(['fw1']);
    await expect(n('firewall-policy-delete', 'web-policy')).rejects.toThrow(/Firewall Policy .* is being used/);
    await n('firewall-policy-remove-rule', 'web-policy', 'no-ping');
    expect((await nj('firewall-rule-show', 'no-ping')).firewall_policy_id).toBeNull();
    await n('firewall-delete', 'fw1');
    await n('firewall-policy-delete', 'web-policy');
    await n('firewall-rule-delete', 'http');
    await n('firewall-rule-delete', 'no-ping');
    expect(await nj('firewall-list')).toEqual([]);
  });
});
