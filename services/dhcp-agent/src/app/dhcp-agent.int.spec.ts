import { MemoryDriver, type Change } from '@neutrino/dataplane';
import { createLogger } from '@neutrino/observability';
import { SuiteFixture } from '@neutrino/testing-suite';
import type { DhcpConfig } from '../config/dhcp-config';
import { dhcpDeviceId } from '../desired/device-id';
import { createDhcpAgent, type DhcpAgent } from './dhcp-agent';

jest.setTimeout(90_000);

/** The memory kernel, remembering every change it was asked to apply. */
class RecordingDriver extends MemoryDriver {
  readonly log: Change[] = [];
  override async apply(changes: Change[]) {
    this.log.push(...changes);
    return super.apply(changes);
  }
  count = (kind: Change['kind']) => this.log.filter((c) => c.kind === kind).length;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The agent against the real suite (api-gateway, ipam, nats-server), on the memory driver: no root needed. */
describe('dhcp-agent with the suite', () => {
  let fx: SuiteFixture;
  const driver = new RecordingDriver();
  let agent: DhcpAgent | undefined;
  let cfg: DhcpConfig;
  const logger = createLogger('dhcp-agent-int', 'warn');

  // The bulk create below is five appends in a row; on a loaded 2-core CI machine they span a few
  // hundred ms, so the window the agent coalesces a burst in must be wider than that.
  const startAgent = async () => {
    agent = createDhcpAgent(fx.store, cfg, { logger, dataDir: fx.dataDir, driver, resyncMs: 0, heartbeatTtlMs: 5000, coalesceMs: 1000 });
    await agent.start();
    return agent;
  };
  const dhcpPorts = async (networkId: string) =>
    (await fx.api('GET', `/v2.0/ports?network_id=${networkId}&device_owner=network:dhcp`)).body.ports as Array<Record<string, any>>;
  const dnsmasq = (networkId: string) => driver.kernel.processes.get(`dnsmasq-${networkId}`);
  const hostsFile = (networkId: string) => dnsmasq(networkId)?.files?.find((f) => f.path.endsWith('/host'))?.content ?? '';

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    cfg = { host: 'network1', hostNetns: '', netnsPrefix: '', apiUrl: fx.suite.apiUrl, leaseSeconds: 86400, domain: 'openstacklocal', enableIsolatedMetadata: true, dnsmasqBin: 'dnsmasq', driver: 'memory' };
  });

  afterAll(async () => {
    await agent?.stop();
    await fx?.stop();
  });

  let net: Record<string, any>;
  let subnet: Record<string, any>;

  it('creates its DHCP port through the API and serves the network', async () => {
    net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'tenant' } })).body.network;
    subnet = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.30.0.0/24', ip_version: 4 } })).body.subnet;
    await startAgent();
    const [port] = await until('the DHCP port', async () => (await dhcpPorts(net.id)).length === 1 && dhcpPorts(net.id));
    expect(port).toMatchObject({
      device_owner: 'network:dhcp',
      device_id: dhcpDeviceId('network1', net.id),
      'binding:host_id': 'network1',
      fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.30.0.2' }],
      tenant_id: net.tenant_id,
    });
    await until('dnsmasq', () => dnsmasq(net.id));
    expect(hostsFile(net.id)).toBe(`${port.mac_address},host-10-30-0-2.openstacklocal,10.30.0.2\n`);
    expect(driver.kernel.namespaces.has(`qdhcp-${net.id}`)).toBe(true);
    const agents = (await fx.api('GET', '/v2.0/agents')).body.agents;
    expect(agents.find((a: { binary: string }) => a.binary === 'neutrino-dhcp-agent')).toMatchObject({ agent_type: 'DHCP agent', host: 'network1', topic: 'dhcp_agent' });
  });

  it('restarted, it finds its port in the log, creates nothing and applies zero changes', async () => {
    await agent!.stop();
    const a = await startAgent();
    await new Promise((r) => setTimeout(r, 300));
    await a.settled();
    expect(a.sources.ports.made).toEqual({ create: 0, update: 0, delete: 0 });
    expect(a.changesOfLastReconcile).toBe(0);
    expect(await dhcpPorts(net.id)).toHaveLength(1);
  });

  it('coalesces a burst of new ports into one reload of the same dnsmasq', async () => {
    const pid = dnsmasq(net.id)!.pid;
    const reloads = driver.count('process.reload');
    const bulk = await fx.api('POST', '/v2.0/ports', { ports: [1, 2, 3, 4, 5].map(() => ({ network_id: net.id })) });
    expect(bulk.status).toBe(201);
    const ports: Array<Record<string, any>> = bulk.body.ports;
    const ips = ports.map((p) => p.fixed_ips[0].ip_address);
    await until('all five in the hosts file', () => ips.every((ip) => hostsFile(net.id).includes(`,${ip}\n`)));
    await agent!.settled();
    expect(driver.count('process.reload') - reloads).toBe(1);
    expect(dnsmasq(net.id)!.pid).toBe(pid);
    for (const p of ports) await fx.api('DELETE', `/v2.0/ports/${p.id}`);
  });

  it('adds an address on a new DHCP subnet, and deletes its port when DHCP is off everywhere', async () => {
    const s2 = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.31.0.0/24', ip_version: 4 } })).body.subnet;
    await until('an address on the new subnet', async () => (await dhcpPorts(net.id))[0]?.fixed_ips.length === 2);
    await until('dnsmasq serving both subnets', () => dnsmasq(net.id)?.argv.includes('--dhcp-range=set:tag1,10.31.0.0,static,86400s'));
    await fx.api('PUT', `/v2.0/subnets/${s2.id}`, { subnet: { enable_dhcp: false } });
    await fx.api('PUT', `/v2.0/subnets/${subnet.id}`, { subnet: { enable_dhcp: false } });
    await until('the DHCP port deleted', async () => (await dhcpPorts(net.id)).length === 0);
    await until('dnsmasq stopped and the namespace gone', () => !dnsmasq(net.id) && !driver.kernel.namespaces.has(`qdhcp-${net.id}`));
    expect(agent!.sources.ports.made.delete).toBe(1);
  });

  it('a network deletion takes its DHCP port (the gateway deletes it) and its dataplane', async () => {
    const n2 = (await fx.api('POST', '/v2.0/networks', { network: { name: 'second' } })).body.network;
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: n2.id, cidr: '10.40.0.0/24', ip_version: 4 } });
    await until('dnsmasq of the second network', () => dnsmasq(n2.id));
    expect((await fx.api('DELETE', `/v2.0/networks/${n2.id}`)).status).toBe(204);
    await until('its dataplane gone', () => !dnsmasq(n2.id) && !driver.kernel.namespaces.has(`qdhcp-${n2.id}`));
    await agent!.settled();
    expect(agent!.sources.ports.made.create).toBe(1); // this agent (restarted above) made the second network's port
  });
});
