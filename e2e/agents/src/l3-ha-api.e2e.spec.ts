import * as fs from 'node:fs';
import * as path from 'node:path';
import { testbedSkipReason } from '@neutrino/testbed';
import { until } from './agents-fixture';
import { startL3World, whoami, whoamiServer } from './l3-world';

const skip = testbedSkipReason();
if (skip) console.warn(`l3 HA API end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;

type Hosting = { host: string; alive: boolean; ha_state: string | null };

/** Issue 5, done-when 4 through the API: an admin's `ha: true` router on network1 + network2, failover seen by ping and by GET l3-agents. */
describeRoot('HA router through the API on two network hosts', () => {
  let w: Awaited<ReturnType<typeof startL3World>>;
  let router: { id: string };
  let fip: string;
  const api = (method: string, url: string, body?: unknown) => w.fx.api(method, url, body);
  const hosting = async (): Promise<Hosting[]> => (await api('GET', `/v2.0/routers/${router.id}/l3-agents`)).body.agents;
  /** host → ha_state, once exactly one alive agent is active and one standby */
  const settled = (what: string, timeoutMs = 40_000) =>
    until(what, async () => {
      const agents = await hosting();
      const states = agents.map((a) => a.ha_state).sort().join();
      return agents.length === 2 && states === 'active,standby' && Object.fromEntries(agents.map((a) => [a.host, a.ha_state as string]));
    }, timeoutMs).catch((err) => (w.logs('l3-agent'), Promise.reject(err)));
  const keepalivedPid = (host: string) => Number(fs.readFileSync(path.join(w.fx.dataDir, 'l3', host, 'ha_confs', router.id, 'keepalived.pid'), 'utf8').trim());

  /** Pings the floating IP 10×/s while `fail` runs; returns the longest run of lost replies in ms. */
  async function failover(fail: () => Promise<void>): Promise<{ gapMs: number; replies: number }> {
    const ping = w.bed.execInternet(['ping', '-c', '250', '-i', '0.1', '-W', '1', '-O', fip], { timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 2000));
    await fail();
    // replies by sequence number (1–250); a loss that never ends counts to the last request
    const seqs = [0, ...[...(await ping).stdout.matchAll(/icmp_seq=(\d+) ttl/g)].map((m) => Number(m[1])), 251];
    let gap = 0;
    for (let i = 1; i < seqs.length; i++) gap = Math.max(gap, seqs[i] - seqs[i - 1] - 1);
    return { gapMs: gap * 100, replies: seqs.length - 2 };
  }

  beforeAll(async () => {
    w = await startL3World([{ name: 'network1', network: true }, { name: 'network2', network: true }, { name: 'compute1' }]);
    await until('two alive L3 agents', async () => (await api('GET', '/v2.0/agents?agent_type=L3%20agent')).body.agents?.filter((a: { alive: boolean }) => a.alive).length === 2);
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).body.network;
    await api('POST', '/v2.0/subnets', {
      subnet: { network_id: ext.id, ip_version: 4, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.200' }] },
    });
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'tenant' } })).body.network;
    const subnet = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.41.0.0/24', enable_dhcp: false } })).body.subnet;
    const created = await api('POST', '/v2.0/routers', { router: { name: 'ha1', ha: true, external_gateway_info: { network_id: ext.id } } });
    expect(created.status).toBe(201);
    router = created.body.router;
    expect(created.body.router.ha).toBe(true);
    expect((await api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id })).status).toBe(200);
    const sg = (await api('GET', '/v2.0/security-groups?name=default')).body.security_groups[0].id;
    for (const rule of [{ protocol: 'icmp' }, { protocol: 'tcp', port_range_min: 2222, port_range_max: 2222 }]) {
      await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', ...rule } });
    }
    const vm = await w.bed.boot('vm1', { networkId: net.id, host: 'compute1', dhcp: false });
    whoamiServer(vm.netns, '0.0.0.0', 2222, 'vm1', 300);
    const made = await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.portId } });
    expect(made.status).toBe(201);
    fip = made.body.floatingip.floating_ip_address;
  }, 150_000);
  afterAll(async () => {
    await w?.stop();
  });

  it('GET l3-agents lists both network hosts, one active and one standby; the floating IP answers', async () => {
    expect((await hosting()).map((a) => a.host).sort()).toEqual(['network1', 'network2']);
    await settled('one active, one standby');
    expect(await until('the floating IP answers', async () => (await whoami(w.bed.plan.internet.netns, fip, 2222)) || undefined, 30_000)).toBe('vm1 203.0.113.1');
  });

  it('killing the active host\'s keepalived moves the traffic to the standby within 10 s; the API shows it active', async () => {
    const before = await settled('one active, one standby');
    const active = Object.keys(before).find((h) => before[h] === 'active')!;
    const standby = Object.keys(before).find((h) => before[h] === 'standby')!;
    let apiMs = 0;
    const { gapMs, replies } = await failover(async () => {
      const killedAt = Date.now();
      process.kill(keepalivedPid(active), 'SIGKILL');
      await until('the API shows the standby active', async () => (await hosting()).find((a) => a.host === standby)?.ha_state === 'active', 20_000);
      apiMs = Date.now() - killedAt;
    });
    const after = await settled('one active, one standby again');
    console.log(`HA failover (keepalived SIGKILLed on ${active}): ping gap ${gapMs} ms; ${standby} shown active by the API ${apiMs} ms after the kill`);
    expect(after).toEqual({ [standby]: 'active', [active]: 'standby' });
    // no split brain: the old member gave the floating IP up
    const addrs = await w.bed.execHost(active, ['ip', '-n', `${w.bed.host(active).netnsPrefix}qrouter-${router.id}`, '-o', '-4', 'addr']);
    expect(addrs.stdout).not.toContain(` ${fip}/32`);
    expect(gapMs).toBeLessThan(10_000);
    expect(replies).toBeGreaterThan(150);
    expect(await whoami(w.bed.plan.internet.netns, fip, 2222)).toBe('vm1 203.0.113.1');
  });

  it('removing the active host (its agents and keepalived stopped, its links down) moves the traffic within 10 s; the API shows the other agent active', async () => {
    const before = await settled('one active, one standby');
    const active = Object.keys(before).find((h) => before[h] === 'active')!;
    const standby = Object.keys(before).find((h) => before[h] === 'standby')!;
    let apiMs = 0;
    const { gapMs, replies } = await failover(async () => {
      const removedAt = Date.now();
      for (const a of w.bed.agents.filter((x) => x.host === active)) a.process.holdRestarts();
      await Promise.all(w.bed.agents.filter((x) => x.host === active).map((a) => a.process.stop(5000)));
      process.kill(keepalivedPid(active), 'SIGKILL');
      for (const dev of ['eth1', 'eth2', 'eth3']) await w.bed.execHost(active, ['ip', 'link', 'set', dev, 'down']);
      await until('the API shows the other agent active', async () => (await hosting()).find((a) => a.host === standby)?.ha_state === 'active', 20_000);
      apiMs = Date.now() - removedAt;
    });
    console.log(`HA failover (host ${active} removed): ping gap ${gapMs} ms; ${standby} shown active by the API ${apiMs} ms after the removal began`);
    expect(gapMs).toBeLessThan(10_000);
    expect(replies).toBeGreaterThan(150);
    expect(await whoami(w.bed.plan.internet.netns, fip, 2222)).toBe('vm1 203.0.113.1');
    const agents = await hosting();
    console.log(`GET l3-agents after the removal: ${agents.map((a) => `${a.host} alive=${a.alive} ${a.ha_state}`).join('; ')}`);
    expect(agents.find((a) => a.host === standby)).toMatchObject({ ha_state: 'active' });
    expect(agents.filter((a) => a.ha_state === 'active')).toHaveLength(1);
  });
});
