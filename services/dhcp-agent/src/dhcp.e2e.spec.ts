import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestbedFixture, listNetns, suiteAgents, testbedSkipReason, which } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';

const skip = testbedSkipReason() ?? (which('dnsmasq') ? null : 'dnsmasq (dnsmasq-base) is missing') ?? (which('udhcpc') ? null : 'udhcpc is missing');
if (skip) console.warn(`dhcp-agent end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;
jest.setTimeout(120_000);

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Issue 4, done-when 1 by DHCP: the suite, the namespace test bed, an
 * l2-agent on every host and the dhcp-agent on network1, real dnsmasq and
 * udhcpc in the instances.
 */
describeRoot('dhcp-agent on the namespace test bed', () => {
  let fx: SuiteFixture;
  let bed: TestbedFixture;
  const served: string[] = [];

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    chmodSync(fx.dataDir, 0o755); // dnsmasq runs as nobody and reads its files under the data dir
    const perHost = (h: { name: string }) => (h.name === 'network1' ? ['l2-agent', 'dhcp-agent'] : ['l2-agent']);
    bed = await TestbedFixture.create({ apiUrl: fx.suite.apiUrl, agents: suiteAgents(fx.nats.url, fx.dataDir, perHost, { NEUTRINO_API_URL: fx.suite.apiUrl, NEUTRINO_LOG_LEVEL: 'info' }) });
  });

  afterAll(async () => {
    await bed?.dispose();
    await fx?.stop();
  });

  const dhcpPort = (networkId: string) =>
    until(`the DHCP port of ${networkId} ACTIVE`, async () => {
      const [p] = (await fx.api('GET', `/v2.0/ports?network_id=${networkId}&device_owner=network:dhcp`)).body.ports;
      return p?.status === 'ACTIVE' && p;
    });

  async function twoInstancesByDhcp(network: Record<string, any>, cidr: string, names: [string, string]) {
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: network.id, cidr, ip_version: 4, dns_nameservers: ['8.8.8.8'] } });
    const server = await dhcpPort(network.id);
    const t0 = Date.now();
    const vms = [await bed.boot(names[0], { networkId: network.id, host: 'compute1' }), await bed.boot(names[1], { networkId: network.id, host: 'compute2' })];
    for (const vm of vms) {
      const lease = await bed.waitForLease(vm.name, 30_000);
      expect(lease.ip).toBe(vm.fixedIps[0].ip_address);
      expect(lease.mtu).toBe(network.mtu);
      expect(lease.serverId).toBe(server.fixed_ips[0].ip_address);
      expect(lease.dns).toEqual(['8.8.8.8']);
      expect(lease.staticRoutes).toContain(`169.254.169.254/32 ${server.fixed_ips[0].ip_address}`);
    }
    served.push(network.id);
    console.log(`dhcp e2e: ${network['provider:network_type']} network, two instances leased in ${Date.now() - t0} ms (boot included)`);
    const ping = await bed.exec(names[0], ['ping', '-c', '3', '-i', '0.2', '-W', '2', vms[1].fixedIps[0].ip_address]);
    expect(ping.stdout).toMatch(/3 received/);
    return server;
  }

  it('two instances on compute1 and compute2 on a VXLAN network get their API addresses by DHCP and ping each other', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'tenant' } })).body.network;
    const server = await twoInstancesByDhcp(net, '10.60.0.0/24', ['vm1', 'vm2']);
    const qdhcp = `${bed.host('network1').netnsPrefix}qdhcp-${net.id}`;
    expect(await listNetns()).toContain(qdhcp);
    const brq = (await bed.execHost('network1', ['ip', '-o', 'link', 'show', 'master', `brq${net.id.slice(0, 11)}`])).stdout;
    expect(brq).toContain(`tap${server.id.slice(0, 11)}`);
  });

  it('the same on the flat provider network', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'flat', 'provider:network_type': 'flat', 'provider:physical_network': 'physnet1' } })).body.network;
    await twoInstancesByDhcp(net, '10.70.0.0/24', ['flat1', 'flat2']);
  });

  it('a restarted dhcp-agent applies zero changes, keeps every dnsmasq and creates no port', async () => {
    const pidOf = (net: string) => readFileSync(join(fx.dataDir, 'dhcp', net, 'pid'), 'utf8').trim();
    const pids = served.map(pidOf);
    const ports = (await fx.api('GET', '/v2.0/ports?device_owner=network:dhcp')).body.ports.length;
    const agent = bed.agents.find((a) => a.host === 'network1' && a.name === 'dhcp-agent')!;
    const before = agent.process.pid;
    agent.process.signal('SIGTERM');
    await until('the dhcp-agent restarted', async () => agent.process.pid !== before && agent.process.running);
    const log = await until('its start-up reconcile', async () => {
      const text = readFileSync(join(bed.dir.dir, 'logs', 'network1.dhcp-agent.log'), 'utf8');
      return (text.match(/"reason":"start"[^\n]*reconcile: applied/g)?.length ?? 0) >= 2 && text;
    });
    expect(log.match(/"reason":"start"[^\n]*reconcile: applied \d+ changes/g)!.at(-1)).toMatch(/applied 0 changes/);
    expect(served.map(pidOf)).toEqual(pids);
    expect((await fx.api('GET', '/v2.0/ports?device_owner=network:dhcp')).body.ports).toHaveLength(ports);
    const me = await until('the agent listed alive', async () => {
      const a = (await fx.api('GET', '/v2.0/agents')).body.agents.find((x: { binary: string }) => x.binary === 'neutrino-dhcp-agent');
      return a?.alive && a;
    });
    expect(me).toMatchObject({ agent_type: 'DHCP agent', host: 'network1', topic: 'dhcp_agent', configurations: { networks: 2, subnets: 2, dhcp_driver: 'dnsmasq', dhcp_lease_duration: 86400 } });
    expect(me.configurations.ports).toBe(6); // per network: the DHCP port and two instances
  });

  it('deleting the network removes its qdhcp namespace and dnsmasq', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'short-lived' } })).body.network;
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.80.0.0/24', ip_version: 4 } });
    await dhcpPort(net.id);
    const qdhcp = `${bed.host('network1').netnsPrefix}qdhcp-${net.id}`;
    await until('the qdhcp namespace', async () => (await listNetns()).includes(qdhcp));
    expect((await fx.api('DELETE', `/v2.0/networks/${net.id}`)).status).toBe(204);
    await until('the qdhcp namespace gone', async () => !(await listNetns()).includes(qdhcp));
  });
});
