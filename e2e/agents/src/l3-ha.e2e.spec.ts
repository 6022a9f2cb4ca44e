import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { testbedSkipReason } from '@neutrino/testbed';
import { until } from './agents-fixture';
import { startL3World, whoami, whoamiServer } from './l3-world';

const skip = testbedSkipReason();
if (skip) console.warn(`l3 HA end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;

/** Issue 5, done-when 4: an HA router on network1 + network2 (router events from the log, ports through the API). */
describeRoot('HA router on two network hosts', () => {
  let w: Awaited<ReturnType<typeof startL3World>>;
  const ROUTER = randomUUID();
  const FIP_IP = '203.0.113.60';
  const states = async () => {
    const out: Record<string, string> = {};
    for (const e of await w.fx.store.readSubject(`evt.router.${ROUTER}`)) {
      if (e.type === 'router.ha_state_reported') {
        const d = e.data as { host: string; ha_state: string };
        out[d.host] = d.ha_state;
      }
    }
    return out;
  };
  const append = (aggregate: string, id: string, type: string, data: unknown) =>
    w.fx.store.append([{ type, aggregate: { type: aggregate, id }, actor: { user_id: 'e2e', project_id: 'admin', roles: ['admin'] }, request_id: null, causation_id: null, data }]);

  beforeAll(async () => {
    w = await startL3World([{ name: 'network1', network: true }, { name: 'network2', network: true }, { name: 'compute1' }]);
    const post = async (kind: string, body: Record<string, unknown>) => {
      const r = await w.fx.api('POST', `/v2.0/${kind}s`, { [kind]: body });
      if (r.status !== 201) throw new Error(`POST ${kind}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body[kind];
    };
    const ext = await post('network', { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' });
    const extSub = await post('subnet', { network_id: ext.id, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', ip_version: 4, enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.199' }] });
    const net = await post('network', { name: 'tenant' });
    const sub = await post('subnet', { network_id: net.id, cidr: '10.20.1.0/24', ip_version: 4, enable_dhcp: false });
    const haNet = await post('network', { name: 'HA network tenant admin' });
    const haSub = await post('subnet', { network_id: haNet.id, cidr: '169.254.192.0/18', gateway_ip: null, ip_version: 4, enable_dhcp: false });
    const port = (network: string, subnet: string, ip: string, owner: string, host: string) =>
      post('port', { network_id: network, device_owner: owner, device_id: ROUTER, 'binding:host_id': host, fixed_ips: [{ subnet_id: subnet, ip_address: ip }] });
    await port(ext.id, extSub.id, '203.0.113.20', 'network:router_gateway', 'network1');
    await port(net.id, sub.id, '10.20.1.1', 'network:router_interface', 'network1');
    await port(haNet.id, haSub.id, '169.254.192.1', 'network:router_ha_interface', 'network1');
    await port(haNet.id, haSub.id, '169.254.192.2', 'network:router_ha_interface', 'network2');
    await append('router', ROUTER, 'router.created', {
      router: {
        id: ROUTER, name: 'ha1', description: '', tenant_id: 'admin', project_id: 'admin', admin_state_up: true, status: 'ACTIVE', routes: [], distributed: false, ha: true, tags: [],
        external_gateway_info: { network_id: ext.id, enable_snat: true, external_fixed_ips: [{ subnet_id: extSub.id, ip_address: '203.0.113.20' }] },
      },
    });
    await append('router', ROUTER, 'router.scheduled', { router_id: ROUTER, hosts: ['network1', 'network2'] });
    const vm = await w.bed.boot('vm1', { networkId: net.id, host: 'compute1', dhcp: false, port: { port_security_enabled: false } });
    await append('floatingip', randomUUID(), 'floatingip.created', {
      floatingip: { id: randomUUID(), description: '', tenant_id: 'admin', project_id: 'admin', floating_network_id: ext.id, floating_ip_address: FIP_IP, port_id: vm.portId, fixed_ip_address: vm.fixedIps[0].ip_address, router_id: ROUTER, status: 'DOWN', tags: [] },
    });
    whoamiServer(w.bed.instance('vm1').netns, '0.0.0.0', 7000, 'vm1');
  }, 120_000);
  afterAll(async () => {
    await w?.stop();
  });

  it('one member active, one standby; the floating IP answers; killing the active keepalived moves it, the ping resumes within 10 s', async () => {
    const s = await until('one active, one standby', async () => {
      const st = await states();
      return Object.values(st).sort().join() === 'active,standby' && st;
    }, 40_000).catch((err) => (w.logs('l3-agent'), Promise.reject(err)));
    const active = Object.keys(s).find((h) => s[h] === 'active')!;
    const standby = Object.keys(s).find((h) => s[h] === 'standby')!;
    await until('the floating IP answers', async () => (await whoami(w.bed.plan.internet.netns, FIP_IP, 7000)) || undefined, 30_000);

    const pidFile = path.join(w.fx.dataDir, 'l3', active, 'ha_confs', ROUTER, 'keepalived.pid');
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    const ping = w.bed.execInternet(['ping', '-c', '150', '-i', '0.1', '-W', '1', '-D', '-O', FIP_IP], { timeoutMs: 40_000 });
    await new Promise((r) => setTimeout(r, 1000));
    const killedAt = Date.now();
    process.kill(pid, 'SIGTERM');
    await until('the standby becomes active', async () => (await states())[standby] === 'active', 20_000);
    const reportedMs = Date.now() - killedAt;
    const out = (await ping).stdout;
    // longest run of lost replies, at 10 per second
    const seqs = [...out.matchAll(/icmp_seq=(\d+) ttl/g)].map((m) => Number(m[1]));
    let gap = 0;
    for (let i = 1; i < seqs.length; i++) gap = Math.max(gap, seqs[i] - seqs[i - 1] - 1);
    console.log(`HA failover: ${gap} replies lost in a row (~${gap * 100} ms); new active reported ${reportedMs} ms after the kill`);
    expect(gap * 100).toBeLessThan(10_000);
    expect(seqs.length).toBeGreaterThan(50);
    // the killed member's keepalived is started again by its agent and comes back as the standby (on a loaded CI machine this
    // took longer than the 15 s of the ping once, and longer than 15 + 20 s once more: no bound is asserted on it, only that it comes
    // back as the standby; the time is printed, and the l3-agents' logs on a timeout)
    const back = Date.now();
    await until('the old active reports standby', async () => (await states())[active] === 'standby', 60_000).catch((err) => (w.logs('l3-agent'), Promise.reject(err)));
    console.log(`HA failover: the killed member reported standby again ${Date.now() - back} ms after the ping ended`);
  });
});
