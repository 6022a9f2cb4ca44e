import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { testbedSkipReason } from '@neutrino/testbed';
import { until } from './agents-fixture';
import { startL3World } from './l3-world';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '../../../tools/cli/bin/neutrino.js');
const skip = testbedSkipReason();
if (skip) console.warn(`event contract (agents) end-to-end test skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;

/**
 * The events the host agents append (their registrations, port status) match their documented schemas too: a router with a
 * gateway, an interface and a floating IP to an instance on the test bed, then
 * `neutrino events check` over the whole log.
 */
describeRoot('the event log as a public contract, with the agents', () => {
  let w: Awaited<ReturnType<typeof startL3World>>;
  beforeAll(async () => {
    w = await startL3World();
  }, 300_000);
  afterAll(async () => {
    await w?.stop();
  });

  it('every event of a run with the l2- and l3-agents matches its JSON Schema', async () => {
    const ok = async (method: string, url: string, body?: unknown) => {
      const r = await w.fx.api(method, url, body);
      if (r.status < 200 || r.status > 299) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const ext = (await ok('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).network;
    await ok('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', ip_version: 4, enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.199' }] } });
    const net = (await ok('POST', '/v2.0/networks', { network: { name: 'ev-tenant' } })).network;
    const sub = (await ok('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.66.1.0/24', ip_version: 4, enable_dhcp: false } })).subnet;
    const router = (await ok('POST', '/v2.0/routers', { router: { name: 'ev-r', external_gateway_info: { network_id: ext.id } } })).router;
    await ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id });
    const vm = await w.bed.boot('ev-vm', { networkId: net.id, host: 'compute1', dhcp: false });
    await ok('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.portId } });
    await until('the instance port ACTIVE', async () => (await ok('GET', `/v2.0/ports/${vm.portId}`)).port.status === 'ACTIVE', 120_000);
    const env = { ...process.env, NEUTRINO_NATS_URL: w.fx.nats.url };
    // every alive agent has applied the log (and appended what it reports)
    await run(process.execPath, [CLI, 'wait', '--timeout', '120'], { env });

    const { stdout } = await run(process.execPath, [CLI, 'events', 'check', '--json'], { env, maxBuffer: 64 * 1024 * 1024 });
    const report = JSON.parse(stdout);
    console.log(`events check: ${report.checked} events of ${Object.keys(report.types).length} types: ${JSON.stringify(report.types)}`);
    expect(report.problems).toEqual([]);
    expect(Object.keys(report.types)).toEqual(expect.arrayContaining(['agent.registered', 'floatingip.created', 'port.floatingip_associated', 'port.updated']));
    const byAgents: string[] = [];
    await w.fx.store.replay({ fromSeq: 1 }, (e) => void (e.actor.user_id?.startsWith('agent:') && byAgents.push(e.type)));
    expect(byAgents).toEqual(expect.arrayContaining(['agent.registered', 'port.updated']));
  }, 300_000);
});
