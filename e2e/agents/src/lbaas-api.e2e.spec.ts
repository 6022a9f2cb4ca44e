import * as fs from 'node:fs';
import { TestbedFixture, suiteAgents, testbedSkipReason, type HostInfo } from '@neutrino/testbed';
import { SuiteFixture, neutron, openstackCli } from '@neutrino/testing-suite';
import { until } from './agents-fixture';
import { holdTcp, httpCounts, memberServers, stopAll, type Served } from './lbaas-world';

const skip = testbedSkipReason();
if (skip) console.warn(`load-balancing end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;
const cli = !skip && openstackCli('the LBaaS v1 neutron CLI case');

/**
 * Issue 10 on the namespace test bed, through the LBaaS v2 API (Octavia's
 * paths): a load balancer on a tenant subnet, HAProxy in its qlbaas-
 * namespace on network1, members on instances of compute1 and compute2, a
 * client instance, a floating IP on the VIP from the "internet".
 */
describeRoot('load balancing on the namespace test bed', () => {
  let fx: SuiteFixture;
  let bed: TestbedFixture;
  const servers: Record<string, Served> = {};
  const ips: Record<string, string> = {};
  let subnetId = '';
  let extId = '';
  let lb: any;
  let pool: any;
  const members: Record<string, string> = {};
  const api = (method: string, url: string, body?: unknown) => fx.api(method, url, body);
  const lbaas = (method: string, path: string, body?: unknown) => api(method, `/v2/lbaas${path}`, body);
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await lbaas(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const lbStatus = async () => (await ok('GET', `/loadbalancers/${lb.id}`)).loadbalancer.provisioning_status;
  const active = () => until('the load balancer ACTIVE', async () => (await lbStatus()) === 'ACTIVE', 30_000);
  const client = () => bed.instance('client').netns;
  const spread = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).sort());
  const logs = (filter = '') => {
    const dir = `${bed.dir.dir}/logs`;
    for (const f of fs.readdirSync(dir).filter((x) => x.includes(filter))) console.error(`--- ${f}\n${fs.readFileSync(`${dir}/${f}`, 'utf8').slice(-3000)}`);
  };

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    const perHost = (h: HostInfo) => (h.network ? ['l2-agent', 'l3-agent', 'lbaas-agent'] : ['l2-agent']);
    bed = await TestbedFixture.create({
      apiUrl: fx.suite.apiUrl,
      agents: suiteAgents(fx.nats.url, fx.dataDir, perHost, { NEUTRINO_LOG_LEVEL: 'info', NEUTRINO_LBAAS_HEALTH_POLL_MS: '500' }),
    });
    await until('an alive lbaas agent', async () => (await api('GET', '/v2.0/agents?agent_type=Loadbalancerv2%20agent')).body.agents?.some((a: { alive: boolean }) => a.alive), 30_000);
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).body.network;
    extId = ext.id;
    await api('POST', '/v2.0/subnets', {
      subnet: { network_id: ext.id, ip_version: 4, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.200' }] },
    });
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'web' } })).body.network;
    subnetId = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.30.0.0/24', enable_dhcp: false } })).body.subnet.id;
    const router = (await api('POST', '/v2.0/routers', { router: { name: 'r1', external_gateway_info: { network_id: ext.id } } })).body.router;
    await api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnetId });
    const sg = (await api('GET', '/v2.0/security-groups?name=default')).body.security_groups[0].id;
    for (const port of [80, 2222, 8080])
      await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: port, port_range_max: port } });
    for (const [vm, host] of [['web1', 'compute1'], ['web2', 'compute2'], ['web3', 'compute1'], ['client', 'compute2']] as const) {
      const inst = await bed.boot(vm, { networkId: net.id, host, dhcp: false });
      ips[vm] = inst.fixedIps[0].ip_address;
      if (vm !== 'client') servers[vm] = memberServers(inst.netns, vm);
    }
  });
  afterAll(async () => {
    stopAll();
    await bed?.dispose();
    await fx?.stop();
  });

  it('spreads 300 requests through the VIP over three members on two hosts (round robin, each within ±10 %)', async () => {
    lb = (await ok('POST', '/loadbalancers', { loadbalancer: { name: 'lb1', vip_subnet_id: subnetId } })).loadbalancer;
    expect(lb).toMatchObject({ provisioning_status: 'PENDING_CREATE', vip_subnet_id: subnetId });
    await active();
    const listener = (await ok('POST', '/listeners', { listener: { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80, name: 'http' } })).listener;
    await active();
    pool = (await ok('POST', '/pools', { pool: { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', name: 'web' } })).pool;
    await active();
    for (const vm of ['web1', 'web2', 'web3']) {
      members[vm] = (await ok('POST', `/pools/${pool.id}/members`, { member: { address: ips[vm], protocol_port: 80, subnet_id: subnetId } })).member.id;
      await active();
    }
    const ns = `${bed.host('network1').netnsPrefix}qlbaas-${lb.id}`;
    expect((await bed.execHost('network1', ['ip', 'netns', 'list'])).stdout).toContain(ns);
    const url = `http://${lb.vip_address}/`;
    await until('the VIP answers', async () => (await httpCounts(client(), url, 1)).error === undefined, 20_000);
    const counts = await httpCounts(client(), url, 300);
    expect(Object.keys(counts).sort()).toEqual(['web1', 'web2', 'web3']);
    for (const vm of ['web1', 'web2', 'web3']) expect(Math.abs(counts[vm] - 100)).toBeLessThanOrEqual(10);
    const tree = (await ok('GET', `/loadbalancers/${lb.id}/status`)).statuses.loadbalancer;
    expect(tree.provisioning_status).toBe('ACTIVE');
    expect(tree.listeners[0].pools[0].members).toHaveLength(3);
  });

  it('with SOURCE_IP persistence one client always reaches the same member', async () => {
    await ok('PUT', `/pools/${pool.id}`, { pool: { session_persistence: { type: 'SOURCE_IP' } } });
    await active();
    const counts = await httpCounts(client(), `http://${lb.vip_address}/`, 30);
    expect(Object.values(counts)).toEqual([30]);
    expect(Object.keys(counts)[0]).toMatch(/^web[123]$/);
    await ok('PUT', `/pools/${pool.id}`, { pool: { session_persistence: null } });
    await active();
  });

  it('a TCP listener on a second port of the VIP with LEAST_CONNECTIONS sends a new connection to the idle member', async () => {
    const tcp = (await ok('POST', '/listeners', { listener: { loadbalancer_id: lb.id, protocol: 'TCP', protocol_port: 8080, name: 'tcp' } })).listener;
    await active();
    const tpool = (await ok('POST', '/pools', { pool: { listener_id: tcp.id, protocol: 'TCP', lb_algorithm: 'LEAST_CONNECTIONS' } })).pool;
    await active();
    for (const vm of ['web1', 'web2', 'web3']) {
      await ok('POST', `/pools/${tpool.id}/members`, { member: { address: ips[vm], protocol_port: 2222 } });
      await active();
    }
    const held = [holdTcp(client(), lb.vip_address, 8080)];
    await until('the TCP listener answers', async () => (await held[0].name()) !== '', 20_000);
    held.push(holdTcp(client(), lb.vip_address, 8080));
    const busy = [await held[0].name(), await held[1].name()];
    expect(new Set(busy).size).toBe(2);
    const fresh = holdTcp(client(), lb.vip_address, 8080);
    const idle = ['web1', 'web2', 'web3'].find((vm) => !busy.includes(vm));
    expect(await fresh.name()).toBe(idle);
    for (const h of [...held, fresh]) h.close();
  });

  it('a health monitor takes a stopped member out (OFFLINE, pool DEGRADED) within delay × max_retries + 2 s and back ONLINE; an admin-down member gets no traffic', async () => {
    await ok('POST', '/healthmonitors', { healthmonitor: { pool_id: pool.id, type: 'HTTP', delay: 2, timeout: 1, max_retries: 2, max_retries_down: 2, url_path: '/' } });
    await active();
    const memberStatus = async (vm: string) => (await ok('GET', `/pools/${pool.id}/members/${members[vm]}`)).member.operating_status;
    await until('all members ONLINE', async () => (await Promise.all(['web1', 'web2', 'web3'].map(memberStatus))).every((s) => s === 'ONLINE'), 20_000);
    servers.web3.stop();
    const stoppedAt = Date.now();
    await until('web3 OFFLINE', async () => (await memberStatus('web3')) === 'OFFLINE', 20_000);
    const took = Date.now() - stoppedAt;
    console.log(`member OFFLINE ${took} ms after its server stopped (delay 2 s × max_retries_down 2 + 2 s = 6,000 ms allowed)`);
    expect(took).toBeLessThanOrEqual(2000 * 2 + 2000);
    expect((await ok('GET', `/pools/${pool.id}`)).pool.operating_status).toBe('DEGRADED');
    const without = await httpCounts(client(), `http://${lb.vip_address}/`, 30);
    expect(spread(without)).toEqual(spread({ web1: 15, web2: 15 }));
    const inst = bed.instance('web3');
    servers.web3 = memberServers(inst.netns, 'web3');
    await until('web3 ONLINE again', async () => (await memberStatus('web3')) === 'ONLINE', 20_000);
    expect((await ok('GET', `/pools/${pool.id}`)).pool.operating_status).toBe('ONLINE');

    await ok('PUT', `/pools/${pool.id}/members/${members.web2}`, { member: { admin_state_up: false } });
    await active();
    const counts = await httpCounts(client(), `http://${lb.vip_address}/`, 30);
    expect(counts.web2).toBeUndefined();
    expect((counts.web1 ?? 0) + (counts.web3 ?? 0)).toBe(30);
    await ok('PUT', `/pools/${pool.id}/members/${members.web2}`, { member: { admin_state_up: true } });
    await active();
  });

  it('the VIP answers the internet through a floating IP on its port', async () => {
    const fip = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: extId, port_id: lb.vip_port_id } })).body.floatingip;
    expect(fip.fixed_ip_address).toBe(lb.vip_address);
    const counts = await until('the VIP through the floating IP', async () => {
      const c = await httpCounts(bed.plan.internet.netns, `http://${fip.floating_ip_address}/`, 6);
      return c.error === undefined && c;
    }, 30_000).catch((err) => {
      // once in a CI run the floating IP never reached the VIP: what the l3-agent did, and the router's NAT, for the next time
      logs('l3-agent');
      return Promise.reject(err);
    });
    expect(Object.keys(counts).every((k) => /^web[123]$/.test(k))).toBe(true);
    await api('DELETE', `/v2.0/floatingips/${fip.id}`);
  });

  it('restarting the lbaas-agent while a client streams requests loses none and changes nothing; a pool change reloads HAProxy without resetting a held connection', async () => {
    const agent = bed.agents.find((a) => a.host === 'network1' && a.name === 'lbaas-agent')!;
    const stream = httpCounts(client(), `http://${lb.vip_address}/`, 400);
    const before = agent.process.pid;
    agent.process.signal('SIGTERM');
    await until('lbaas-agent restarted', async () => agent.process.pid !== before && agent.process.running, 20_000);
    const counts = await stream;
    expect(counts.error).toBeUndefined();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(400);
    await until('the restarted agent reconciled', async () => /"reason":"start","changes":0/.test(fs.readFileSync(`${bed.dir.dir}/logs/network1.lbaas-agent.log`, 'utf8')), 20_000).catch((e) => {
      logs('lbaas-agent');
      throw e;
    });

    const held = holdTcp(client(), lb.vip_address, 8080);
    expect(await held.name()).toMatch(/^web[123]$/);
    expect(await held.roundTrip()).toBe(true);
    await ok('PUT', `/pools/${pool.id}`, { pool: { lb_algorithm: 'SOURCE_IP' } });
    await active();
    expect(await held.roundTrip()).toBe(true);
    held.close();
  });

  it('a cascade delete removes the namespace, HAProxy, its files and the VIP port', async () => {
    const ns = `${bed.host('network1').netnsPrefix}qlbaas-${lb.id}`;
    const pidFile = `${fx.dataDir}/lbaas/v2/${lb.id}/pid`;
    expect(fs.existsSync(pidFile)).toBe(true);
    const haproxyPid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    expect((await lbaas('DELETE', `/loadbalancers/${lb.id}?cascade=true`)).status).toBe(204);
    await until('the load balancer gone', async () => (await lbaas('GET', `/loadbalancers/${lb.id}`)).status === 404, 30_000);
    expect((await bed.execHost('network1', ['ip', 'netns', 'list'])).stdout).not.toContain(ns);
    expect(fs.existsSync(`${fx.dataDir}/lbaas/v2/${lb.id}`)).toBe(false);
    // gone, or a zombie nobody reaped yet (the daemonized master's parent is PID 1): no command line either way
    const cmdline = () => (fs.existsSync(`/proc/${haproxyPid}`) ? fs.readFileSync(`/proc/${haproxyPid}/cmdline`, 'utf8') : '');
    expect(cmdline()).toBe('');
    expect((await api('GET', `/v2.0/ports/${lb.vip_port_id}`)).status).toBe(404);
  });
  /**
   * The seed book's v1 workflow with the real `neutron lb-*` CLI (python3-neutronclient):
   * pool → members → monitor → VIP, on the same agent and dataplane (one namespace
   * qlbaas-<pool_id>), then taken apart in the order Kilo demands.
   */
  (cli ? it : it.skip)('LBaaS v1 through the neutron CLI: pool → members → monitor → VIP balances, marks a stopped member INACTIVE, reports stats, and comes apart in order', async () => {
    const n = (...args: string[]) => neutron(fx.suite.apiUrl, ...args);
    const nj = async (...args: string[]) => {
      const out = await n(...args, '-f', 'json');
      return JSON.parse(out.slice(out.indexOf('{')));
    };
    const v1 = async (method: string, path: string, body?: unknown) => api(method, `/v2.0/lb${path}`, body);
    const poolStatus = async () => (await v1('GET', `/pools/${pool1.id}`)).body.pool.status;
    const pool1 = await nj('lb-pool-create', '--name', 'web-v1', '--lb-method', 'ROUND_ROBIN', '--protocol', 'HTTP', '--subnet-id', subnetId);
    expect(pool1).toMatchObject({ name: 'web-v1', status: 'PENDING_CREATE', lb_method: 'ROUND_ROBIN', protocol: 'HTTP', provider: 'haproxy', subnet_id: subnetId });
    const memberIds: Record<string, string> = {};
    for (const vm of ['web1', 'web2', 'web3']) memberIds[vm] = (await nj('lb-member-create', '--address', ips[vm], '--protocol-port', '80', 'web-v1')).id;
    const hm = await nj('lb-healthmonitor-create', '--type', 'HTTP', '--delay', '2', '--timeout', '1', '--max-retries', '2');
    expect(hm).toMatchObject({ type: 'HTTP', delay: 2, timeout: 1, max_retries: 2, url_path: '/', http_method: 'GET', expected_codes: '200' });
    expect(await n('lb-healthmonitor-associate', hm.id, 'web-v1')).toContain(`Associated health monitor ${hm.id}`);
    // Kilo's refusals, in Neutron's error body
    const badHm = await v1('POST', '/health_monitors', { health_monitor: { type: 'TCP', delay: 1, timeout: 2, max_retries: 2 } });
    expect(badHm.status).toBe(400);
    expect(badHm.body.NeutronError).toMatchObject({ type: 'DelayOrTimeoutInvalid', message: 'Delay must be greater than or equal to timeout' });
    const mismatch = await v1('POST', '/vips', { vip: { name: 'x', subnet_id: subnetId, protocol: 'TCP', protocol_port: 80, pool_id: pool1.id } });
    expect(mismatch.body.NeutronError).toMatchObject({ type: 'ProtocolMismatch', message: 'Protocol TCP does not match pool protocol HTTP' });
    // the refused VIP left no port (its address was taken and given back)
    expect((await api('GET', '/v2.0/ports?device_owner=neutron:LOADBALANCER')).body.ports).toEqual([]);
    expect(await poolStatus()).toBe('PENDING_CREATE');

    const vip = await nj('lb-vip-create', '--name', 'vip-v1', '--protocol-port', '80', '--protocol', 'HTTP', '--subnet-id', subnetId, 'web-v1');
    expect(vip).toMatchObject({ name: 'vip-v1', pool_id: pool1.id, protocol: 'HTTP', protocol_port: 80, connection_limit: -1, subnet_id: subnetId });
    expect((await api('GET', `/v2.0/ports/${vip.port_id}`)).body.port).toMatchObject({ name: `vip-${vip.id}`, device_owner: 'neutron:LOADBALANCER', device_id: pool1.id });
    const again = await v1('POST', '/vips', { vip: { name: 'x', subnet_id: subnetId, protocol: 'HTTP', protocol_port: 81, pool_id: pool1.id } });
    expect(again.status).toBe(409);
    expect(again.body.NeutronError).toMatchObject({ type: 'VipExists', message: `Another Vip already exists for pool ${pool1.id}` });
    await until('the v1 pool ACTIVE', async () => (await poolStatus()) === 'ACTIVE', 30_000);
    const ns = `${bed.host('network1').netnsPrefix}qlbaas-${pool1.id}`;
    expect((await bed.execHost('network1', ['ip', 'netns', 'list'])).stdout).toContain(ns);
    const url = `http://${vip.address}/`;
    await until('the v1 VIP answers', async () => (await httpCounts(client(), url, 1)).error === undefined, 20_000);
    const counts = await httpCounts(client(), url, 300);
    expect(Object.keys(counts).sort()).toEqual(['web1', 'web2', 'web3']);
    for (const vm of ['web1', 'web2', 'web3']) expect(Math.abs(counts[vm] - 100)).toBeLessThanOrEqual(10);
    // the same objects through v2 (a v1 pool with its VIP is one load balancer with one listener)
    const asV2 = (await lbaas('GET', `/loadbalancers/${pool1.id}`)).body.loadbalancer;
    expect(asV2).toMatchObject({ vip_address: vip.address, vip_port_id: vip.port_id, listeners: [{ id: vip.id }], pools: [{ id: pool1.id }] });

    const memberStatus = async (vm: string) => (await v1('GET', `/members/${memberIds[vm]}`)).body.member.status;
    await until('v1 members ACTIVE', async () => (await Promise.all(['web1', 'web2', 'web3'].map(memberStatus))).every((st) => st === 'ACTIVE'), 20_000);
    servers.web3.stop();
    await until('web3 INACTIVE', async () => (await memberStatus('web3')) === 'INACTIVE', 20_000);
    servers.web3 = memberServers(bed.instance('web3').netns, 'web3');
    await until('web3 ACTIVE again', async () => (await memberStatus('web3')) === 'ACTIVE', 20_000);

    const stats = await until('pool stats counted', async () => {
      const st = await nj('lb-pool-stats', 'web-v1');
      return st.total_connections >= 300 && st;
    }, 20_000);
    expect(stats.bytes_out).toBeGreaterThan(0);
    const agentId = (await api('GET', '/v2.0/agents?agent_type=Loadbalancerv2%20agent')).body.agents[0].id;
    expect(await n('lb-pool-list-on-agent', agentId)).toContain(pool1.id);
    // v1 lists follow Neutron's list rules: filters, fields, an unknown filter refused
    expect((await v1('GET', `/members?pool_id=${pool1.id}&address=${ips.web2}&fields=id`)).body).toEqual({ members: [{ id: memberIds.web2 }] });
    expect((await v1('GET', '/pools?foo=bar')).body.NeutronError).toMatchObject({ type: 'HTTPBadRequest', message: "['foo'] is invalid attribute for filtering" });

    // apart in Kilo's order: the pool is in use while it has its VIP, the monitor while it serves the pool
    const inUse = await v1('DELETE', `/pools/${pool1.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.NeutronError).toMatchObject({ type: 'PoolInUse', message: `Pool ${pool1.id} is still in use` });
    expect((await v1('DELETE', `/health_monitors/${hm.id}`)).body.NeutronError).toMatchObject({ type: 'HealthMonitorInUse' });
    await n('lb-vip-delete', vip.id);
    await until('the v1 namespace gone with the VIP', async () => !(await bed.execHost('network1', ['ip', 'netns', 'list'])).stdout.includes(ns), 30_000);
    expect((await api('GET', `/v2.0/ports/${vip.port_id}`)).status).toBe(404);
    await until('the pool waiting for a VIP again', async () => (await poolStatus()) === 'PENDING_CREATE', 10_000);
    await n('lb-healthmonitor-disassociate', hm.id, 'web-v1');
    await n('lb-healthmonitor-delete', hm.id);
    await n('lb-member-delete', memberIds.web1);
    await n('lb-pool-delete', 'web-v1');
    await until('the v1 pool gone', async () => (await v1('GET', `/pools/${pool1.id}`)).status === 404, 30_000);
    expect((await v1('GET', '/members')).body.members).toEqual([]);
    expect((await v1('GET', '/health_monitors')).body.health_monitors).toEqual([]);
  });
});
