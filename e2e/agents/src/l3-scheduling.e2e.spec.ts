import { testbedSkipReason } from '@neutrino/testbed';
import { openstack, openstackCli } from '@neutrino/testing-suite';
import { until } from './agents-fixture';
import { startL3World, whoami, whoamiServer } from './l3-world';

const skip = testbedSkipReason();
if (skip) console.warn(`l3 agent scheduling end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;
const cli = !skip && openstackCli('the l3 agent scheduling CLI case');

/** Agents' down time here: short, so that a frozen l3-agent is dead within seconds (the gateway's sweep runs every half of it). */
const DOWN_MS = '6000';

/**
 * Issue 13: the l3_agent_scheduler writes (POST/DELETE /v2.0/agents/<id>/l3-routers) on two network
 * hosts, and allow_automatic_l3agent_failover (NEUTRINO_ALLOW_AUTOMATIC_L3AGENT_FAILOVER): a legacy
 * router whose l3-agent is dead moves to the other one.
 */
describeRoot('l3 agent scheduling on two network hosts', () => {
  let w: Awaited<ReturnType<typeof startL3World>>;
  let router: { id: string };
  let fip: string;
  let agents: Record<string, string>; // host → L3 agent id
  const api = (method: string, url: string, body?: unknown) => w.fx.api(method, url, body);
  const hosts = async () => ((await api('GET', `/v2.0/routers/${router.id}/l3-agents`)).body.agents as Array<{ host: string }>).map((a) => a.host);
  /** Whether the host has the router's namespace (each host's namespaces carry its prefix). */
  const hasRouter = async (host: string) => (await w.bed.execHost(host, ['ip', 'netns', 'list'])).stdout.includes(`${w.bed.host(host).netnsPrefix}qrouter-${router.id}`);
  const answers = (timeoutMs = 30_000) => until('the floating IP answers', async () => (await whoami(w.bed.plan.internet.netns, fip, 2222)) || undefined, timeoutMs);
  const err = (a: { status: number; body: any }) => ({ status: a.status, type: a.body?.NeutronError?.type, message: a.body?.NeutronError?.message });

  beforeAll(async () => {
    w = await startL3World(
      [{ name: 'network1', network: true }, { name: 'network2', network: true }, { name: 'compute1' }],
      { NEUTRINO_AGENT_DOWN_TIME_MS: DOWN_MS },
      { NEUTRINO_AGENT_DOWN_TIME_MS: DOWN_MS, NEUTRINO_ALLOW_AUTOMATIC_L3AGENT_FAILOVER: 'true' },
    );
    await until('two alive L3 agents', async () => (await api('GET', '/v2.0/agents?agent_type=L3%20agent')).body.agents?.filter((a: { alive: boolean }) => a.alive).length === 2);
    agents = Object.fromEntries((await api('GET', '/v2.0/agents?agent_type=L3%20agent')).body.agents.map((a: { host: string; id: string }) => [a.host, a.id]));
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).body.network;
    await api('POST', '/v2.0/subnets', {
      subnet: { network_id: ext.id, ip_version: 4, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.200' }] },
    });
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'tenant' } })).body.network;
    const subnet = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.43.0.0/24', enable_dhcp: false } })).body.subnet;
    router = (await api('POST', '/v2.0/routers', { router: { name: 'legacy', external_gateway_info: { network_id: ext.id } } })).body.router;
    expect((await api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id })).status).toBe(200);
    const sg = (await api('GET', '/v2.0/security-groups?name=default')).body.security_groups[0].id;
    await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 2222, port_range_max: 2222 } });
    const vm = await w.bed.boot('vm1', { networkId: net.id, host: 'compute1', dhcp: false });
    whoamiServer(vm.netns, '0.0.0.0', 2222, 'vm1', 300);
    fip = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.portId } })).body.floatingip.floating_ip_address;
  }, 150_000);
  afterAll(async () => {
    // a frozen agent (the failover case) must be able to stop
    for (const a of w?.bed.agents ?? []) if (a.process.pid) process.kill(a.process.pid, 'SIGCONT');
    await w?.stop();
  });

  it('moves a legacy router from one l3-agent to the other: removed (nowhere, its namespace gone), added (namespace there, the floating IP answers)', async () => {
    const [from] = await hosts();
    const to = from === 'network1' ? 'network2' : 'network1';
    expect(await answers()).toBe('vm1 203.0.113.1');
    const removed = await api('DELETE', `/v2.0/agents/${agents[from]}/l3-routers/${router.id}`);
    expect(removed.status).toBe(204);
    expect(await hosts()).toEqual([]);
    await until(`the router's namespace gone from ${from}`, async () => !(await hasRouter(from)), 20_000);
    const added = await api('POST', `/v2.0/agents/${agents[to]}/l3-routers`, { router_id: router.id });
    expect({ status: added.status, body: added.body }).toEqual({ status: 201, body: null });
    expect(await hosts()).toEqual([to]);
    await until(`the router's namespace on ${to}`, async () => await hasRouter(to), 20_000);
    expect(await answers()).toBe('vm1 203.0.113.1');
    // the router's ports follow it
    const ports = (await api('GET', `/v2.0/ports?device_id=${router.id}`)).body.ports as Array<{ 'binding:host_id': string }>;
    expect(ports.map((p) => p['binding:host_id'])).toEqual(ports.map(() => to));
    // Zed's refusals: a legacy router on one agent, an unknown router, an agent that is not an L3 agent, a member
    expect(err(await api('POST', `/v2.0/agents/${agents[from]}/l3-routers`, { router_id: router.id }))).toEqual({
      status: 409, type: 'RouterHostedByL3Agent', message: `The router ${router.id} has been already hosted by the L3 Agent ${agents[to]}.`,
    });
    expect(err(await api('POST', `/v2.0/agents/${agents[from]}/l3-routers`, { router_id: 'no-such-router' }))).toMatchObject({ status: 404, type: 'RouterNotFound' });
    const l2 = (await api('GET', '/v2.0/agents?agent_type=Linux%20bridge%20agent')).body.agents[0].id;
    expect(err(await api('POST', `/v2.0/agents/${l2}/l3-routers`, { router_id: router.id }))).toEqual({ status: 404, type: 'InvalidL3Agent', message: `Agent ${l2} is not a L3 Agent or has been disabled` });
    const asMember = await w.fx.api('POST', `/v2.0/agents/${agents[from]}/l3-routers`, { router_id: router.id }, { 'X-Project-Id': 'p1', 'X-Roles': 'member' });
    expect(err(asMember)).toEqual({ status: 403, type: 'PolicyNotAuthorized', message: 'rule:create_l3-router is disallowed by policy' });
    // removing it where it is not is nothing (204)
    expect((await api('DELETE', `/v2.0/agents/${agents[from]}/l3-routers/${router.id}`)).status).toBe(204);
    expect(await hosts()).toEqual([to]);
  });

  (cli ? it : it.skip)('the openstack CLI moves it back: network agent remove router / add router --l3, and lists it with network agent list --router', async () => {
    const [from] = await hosts();
    const to = from === 'network1' ? 'network2' : 'network1';
    await openstack(w.fx.suite.apiUrl, 'network', 'agent', 'remove', 'router', '--l3', agents[from], router.id);
    await openstack(w.fx.suite.apiUrl, 'network', 'agent', 'add', 'router', '--l3', agents[to], router.id);
    expect(await hosts()).toEqual([to]);
    const listed = JSON.parse(await openstack(w.fx.suite.apiUrl, 'network', 'agent', 'list', '--router', router.id, '-f', 'json')) as Array<{ Host: string }>;
    expect(listed.map((a) => a.Host)).toEqual([to]);
    await until(`the router's namespace on ${to}`, async () => await hasRouter(to), 20_000);
    expect(await answers()).toBe('vm1 203.0.113.1');
  });

  it('allow_automatic_l3agent_failover: the l3-agent frozen (dead to the API), the router moves to the other host; thawed, the old host removes its copy', async () => {
    const [from] = await hosts();
    const to = from === 'network1' ? 'network2' : 'network1';
    const agent = w.bed.agents.find((a) => a.host === from && a.name === 'l3-agent')!;
    const frozenAt = Date.now();
    process.kill(agent.process.pid!, 'SIGSTOP');
    try {
      await until('the router moved to the alive agent', async () => (await hosts()).join() === to, 40_000);
      console.log(`l3 failover: the router moved ${Date.now() - frozenAt} ms after the agent froze (agent down time ${DOWN_MS} ms)`);
      await until(`the router's namespace on ${to}`, async () => await hasRouter(to), 20_000);
    } finally {
      process.kill(agent.process.pid!, 'SIGCONT');
    }
    await until(`${from} removes its copy once it runs again`, async () => !(await hasRouter(from)), 30_000);
    expect(await answers()).toBe('vm1 203.0.113.1');
  });
});
