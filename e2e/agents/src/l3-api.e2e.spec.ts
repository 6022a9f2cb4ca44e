import * as fs from 'node:fs';
import { TestbedFixture, suiteAgents, testbedSkipReason, type HostInfo } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';
import { until } from './agents-fixture';
import { whoami, whoamiServer } from './l3-world';

const skip = testbedSkipReason();
if (skip) console.warn(`l3 API end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;

/** Issue 5 through the API: routers, gateway, SNAT, floating IPs and metadata through the router, on the real kernel. */
describeRoot('routers and floating IPs through the API on the namespace test bed', () => {
  let fx: SuiteFixture;
  let bed: TestbedFixture;
  let router: any;
  let vm1: ReturnType<TestbedFixture['instance']>;
  const api = (method: string, url: string, body?: unknown) => fx.api(method, url, body);

  beforeAll(async () => {
    fx = await SuiteFixture.start({ metadata: true });
    const perHost = (h: HostInfo) => (h.network ? ['l2-agent', 'l3-agent', 'metadata-agent'] : ['l2-agent']);
    bed = await TestbedFixture.create({
      apiUrl: fx.suite.apiUrl,
      metadataUrl: fx.suite.metadataUrl,
      agents: suiteAgents(fx.nats.url, fx.dataDir, perHost, { NEUTRINO_METADATA_URL: fx.suite.metadataUrl!, NEUTRINO_LOG_LEVEL: 'info' }),
    });
    await until('an alive L3 agent', async () => (await api('GET', '/v2.0/agents?agent_type=L3%20agent')).body.agents?.some((a: { alive: boolean }) => a.alive));
  });
  afterAll(async () => {
    await bed?.dispose();
    await fx?.stop();
  });

  it('an instance behind a router reaches the internet, which sees the router\'s gateway address', async () => {
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).body.network;
    await api('POST', '/v2.0/subnets', {
      subnet: { network_id: ext.id, ip_version: 4, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.200' }] },
    });
    const extSub = await api('GET', `/v2.0/subnets?network_id=${ext.id}`);
    expect(extSub.body.subnets).toHaveLength(1);
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'tenant' } })).body.network;
    const subnet = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.40.0.0/24', enable_dhcp: false } })).body.subnet;
    const created = await api('POST', '/v2.0/routers', { router: { name: 'r1', external_gateway_info: { network_id: ext.id } } });
    expect(created.body).toHaveProperty('router');
    router = created.body.router;
    const added = await api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id });
    expect(added.status).toBe(200);
    const hosting = (await api('GET', `/v2.0/routers/${router.id}/l3-agents`)).body.agents;
    expect(hosting.map((a: { host: string }) => a.host)).toEqual(['network1']);

    const sg = (await api('GET', '/v2.0/security-groups?name=default')).body.security_groups[0].id;
    await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 2222, port_range_max: 2222 } });
    vm1 = await bed.boot('vm1', { networkId: net.id, host: 'compute1', dhcp: false, metadata: { userData: '#!/bin/sh\necho hello from vm1\n' } });
    whoamiServer(bed.plan.internet.netns, '0.0.0.0', 8080, 'internet');
    const gw = router.external_gateway_info.external_fixed_ips[0].ip_address;
    const seen = await until('the internet through the router', async () => (await whoami(vm1.netns, '203.0.113.1', 8080)) || undefined, 30_000);
    expect(seen).toBe(`internet ${gw}`);
  });

  it('a floating IP makes the instance reachable from the internet and is its source address there', async () => {
    const fip = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: router.external_gateway_info.network_id, port_id: vm1.portId } })).body.floatingip;
    expect(fip.router_id).toBe(router.id);
    whoamiServer(vm1.netns, '0.0.0.0', 2222, 'vm1');
    const inbound = await until('the floating IP from the internet', async () => (await whoami(bed.plan.internet.netns, fip.floating_ip_address, 2222)) || undefined, 30_000);
    expect(inbound).toBe('vm1 203.0.113.1');
    expect(await whoami(vm1.netns, '203.0.113.1', 8080)).toBe(`internet ${fip.floating_ip_address}`);
    await until('floating IP ACTIVE', async () => (await api('GET', `/v2.0/floatingips/${fip.id}`)).body.floatingip.status === 'ACTIVE');

    expect((await api('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: null } })).status).toBe(200);
    await until('unreachable after disassociation', async () => (await whoami(bed.plan.internet.netns, fip.floating_ip_address, 2222)) === '', 15_000);
  });

  it('serves the instance its own metadata through the router', async () => {
    const fetchInVm = async (path: string) =>
      (await bed.exec('vm1', ['python3', '-c', `import urllib.request;print(urllib.request.urlopen('http://169.254.169.254${path}', timeout=3).read().decode())`])).stdout;
    const meta = await until('meta_data.json through the router', async () => {
      const text = await fetchInVm('/openstack/latest/meta_data.json').catch(() => '');
      return text.includes('"uuid"') && JSON.parse(text);
    }, 30_000);
    expect(meta.uuid).toBe(vm1.deviceId);
    expect(meta.name).toBe('vm1');
    expect(await fetchInVm('/openstack/latest/user_data')).toContain('hello from vm1');
  });

  it('restarting the l3-agent and the metadata agent with traffic running loses nothing and applies zero changes', async () => {
    const sg = (await api('GET', '/v2.0/security-groups?name=default')).body.security_groups[0].id;
    await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'icmp' } });
    const fip = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: router.external_gateway_info.network_id, port_id: vm1.portId } })).body.floatingip;
    await until('floating IP reachable', async () => (await bed.execInternet(['ping', '-c', '1', '-W', '1', fip.floating_ip_address])).code === 0, 20_000);
    const ping = bed.execInternet(['ping', '-c', '40', '-i', '0.2', '-W', '2', fip.floating_ip_address], { timeoutMs: 30_000 });
    for (const agent of bed.agents.filter((a) => a.host === 'network1' && (a.name === 'l3-agent' || a.name === 'metadata-agent'))) {
      const before = agent.process.pid;
      agent.process.signal('SIGTERM');
      await until(`${agent.name} restarted`, async () => agent.process.pid !== before && agent.process.running);
    }
    const r = await ping;
    expect(r.stdout).toMatch(/40 packets transmitted, 40 received, 0% packet loss/);
    const log = fs.readFileSync(`${bed.dir.dir}/logs/network1.l3-agent.log`, 'utf8');
    expect(log.match(/"reason":"start","changes":0/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
    const meta = await bed.exec('vm1', ['python3', '-c', "import urllib.request;print(urllib.request.urlopen('http://169.254.169.254/openstack/latest/meta_data.json', timeout=3).read().decode())"]);
    expect(JSON.parse(meta.stdout).uuid).toBe(vm1.deviceId);
  });

  it('deleting the router removes its namespace, devices and rules on the host', async () => {
    for (const f of (await api('GET', '/v2.0/floatingips')).body.floatingips) await api('DELETE', `/v2.0/floatingips/${f.id}`);
    const ports = (await api('GET', `/v2.0/ports?device_id=${router.id}&device_owner=network:router_interface`)).body.ports;
    for (const p of ports) await api('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { port_id: p.id });
    expect((await api('DELETE', `/v2.0/routers/${router.id}`)).status).toBe(204);
    const ns = `${bed.host('network1').netnsPrefix}qrouter-${router.id}`;
    await until('qrouter namespace gone', async () => !(await bed.execHost('network1', ['ip', 'netns', 'list'])).stdout.includes(ns), 15_000);
  });
});
