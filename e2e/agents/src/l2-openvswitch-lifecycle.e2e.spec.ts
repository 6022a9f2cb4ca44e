import * as fs from 'node:fs';
import { OvsDaemons } from '@neutrino/dataplane';
import { TestbedFixture, suiteAgents, testbedSkipReason, which } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';
import { until } from './agents-fixture';

const skip = testbedSkipReason() ?? (which('ovs-vswitchd') ? null : 'Open vSwitch (openvswitch-switch) is missing');
if (skip) console.warn(`openvswitch lifecycle end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;
jest.setTimeout(120_000);

/** The l2-agent's flow cookie (services/l2-agent/src/desired/ovs-desired.ts). */
const OURS = '0x6e7472696e6f';

/**
 * Issue 12, done-when 4 and 5, on computes running the openvswitch mechanism (VXLAN networks,
 * instances with static addresses): what survives and what is repaired when OVS is disturbed, and
 * which flows a host has for the networks it serves — and only for those.
 */
describeRoot('openvswitch l2-agent: flows per network, vswitchd restarts, foreign flows', () => {
  let fx: SuiteFixture;
  let bed: TestbedFixture;
  const api = async (method: string, url: string, body?: unknown) => {
    const r = await fx.api(method, url, body);
    if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const nets: Record<string, { id: string; vni: number }> = {};

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    bed = await TestbedFixture.create({
      apiUrl: fx.suite.apiUrl,
      mechanism: 'openvswitch',
      agents: suiteAgents(fx.nats.url, fx.dataDir, () => ['l2-agent'], { NEUTRINO_LOG_LEVEL: 'info', NEUTRINO_AGENT_REPORT_INTERVAL_MS: '1000', NEUTRINO_AGENT_RESYNC_INTERVAL_MS: '2000' }),
    });
    for (const [name, cidr] of [['blue', '10.81.0.0/24'], ['green', '10.82.0.0/24']]) {
      const n = (await api('POST', '/v2.0/networks', { network: { name } })).network;
      await api('POST', '/v2.0/subnets', { subnet: { network_id: n.id, cidr, ip_version: 4, enable_dhcp: false } });
      nets[name] = { id: n.id, vni: n['provider:segmentation_id'] };
    }
    const sg = (await api('GET', '/v2.0/security-groups?name=default')).security_groups[0].id;
    await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'icmp' } });
    for (const [vm, net, host] of [['a', 'blue', 'compute1'], ['b', 'blue', 'compute2'], ['c', 'green', 'compute1']] as const) {
      const inst = await bed.boot(vm, { networkId: nets[net].id, host, dhcp: false });
      await until(`${vm} ACTIVE`, async () => (await api('GET', `/v2.0/ports/${inst.portId}`)).port.status === 'ACTIVE', 30_000);
    }
  });
  afterAll(async () => {
    await bed?.dispose();
    await fx?.stop();
  });

  const rd = (host: string) => bed.host(host).ovsRunDir!;
  const flows = async (host: string, bridge: string): Promise<string[]> => {
    const r = await bed.execHost(host, ['ovs-ofctl', '--no-stats', 'dump-flows', `unix:${rd(host)}/${bridge}.mgmt`]);
    if (r.code !== 0) throw new Error(`dump-flows ${bridge} on ${host}: ${r.stderr}`);
    return r.stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('NXST_FLOW') && !l.startsWith('OFPST_FLOW')).sort();
  };
  const ours = async (host: string, bridge: string) => (await flows(host, bridge)).filter((l) => l.includes(`cookie=${OURS}`) && !l.includes('hard_timeout=300,')); // learned MACs come and go
  const tun = (vni: number) => `tun_id=0x${vni.toString(16)}`;
  const setTunnel = (vni: number) => `set_tunnel:0x${vni.toString(16)}`;
  const ping = (from: string, to: string) => bed.exec(from, ['ping', '-c', '1', '-W', '1', to]).then((r) => r.code === 0);
  const ip = (vm: string) => bed.instance(vm).fixedIps[0].ip_address;
  const log = (host: string) => fs.readFileSync(`${bed.dir.dir}/logs/${host}.l2-agent.log`, 'utf8');

  it('a host has flows only for the networks it serves: green on compute1, not on compute2', async () => {
    await until('a pings b over VXLAN', () => ping('a', ip('b')), 30_000);
    const tun1 = (await ours('compute1', 'br-tun')).join('\n');
    const tun2 = (await ours('compute2', 'br-tun')).join('\n');
    expect(tun1).toContain(tun(nets.green.vni));
    expect(tun1).toContain(tun(nets.blue.vni));
    expect(tun2).toContain(tun(nets.blue.vni));
    expect(tun2).not.toContain(tun(nets.green.vni));
    // compute2 has no green port, so nobody floods green to it (l2population): compute1's green flood entry has no tunnel port
    expect(tun1).not.toMatch(new RegExp(`${setTunnel(nets.green.vni)}`));
    expect(tun1).toMatch(new RegExp(setTunnel(nets.blue.vni)));
  });

  it('br-tun answers ARP for a remote instance itself (the ARP responder, from the l2population entries)', async () => {
    const target = `unix:${rd('compute1')}/br-tun.mgmt`;
    const responder = async () => {
      const r = await bed.execHost('compute1', ['ovs-ofctl', 'dump-flows', target, 'table=21']);
      const line = r.stdout.split('\n').find((l) => l.includes(`arp_tpa=${ip('b')} `) || l.includes(`arp_tpa=${ip('b')},`));
      return line ? Number(/n_packets=(\d+)/.exec(line)![1]) : undefined;
    };
    const before = await responder();
    expect(before).toBeDefined();
    await bed.exec('a', ['ip', 'neigh', 'flush', 'dev', 'eth0']);
    const arping = await bed.exec('a', ['arping', '-c', '1', '-w', '2', '-I', 'eth0', ip('b')]);
    expect(arping.stdout.toLowerCase()).toContain(bed.instance('b').mac!.toLowerCase());
    expect((await responder())!).toBeGreaterThan(before!);
  });

  it('a flow added by hand with another cookie survives the resync; one with ours is removed', async () => {
    const target = `unix:${rd('compute1')}/br-int.mgmt`;
    expect((await bed.execHost('compute1', ['ovs-ofctl', 'add-flow', target, 'cookie=0x99,table=0,priority=50,ip,nw_dst=10.81.0.250 actions=drop'])).code).toBe(0);
    expect((await bed.execHost('compute1', ['ovs-ofctl', 'add-flow', target, `cookie=${OURS},table=0,priority=51,ip,nw_dst=10.81.0.251 actions=drop`])).code).toBe(0);
    await until('our stray flow removed by the resync', async () => !(await flows('compute1', 'br-int')).some((l) => l.includes('10.81.0.251')), 15_000);
    expect((await flows('compute1', 'br-int')).some((l) => l.includes('cookie=0x99') && l.includes('10.81.0.250'))).toBe(true);
  });

  it('after an ovs-vswitchd restart the agent puts back exactly the flows that were lost, and no more', async () => {
    const bridges = ['br-int', 'br-tun'];
    const before = Object.fromEntries(await Promise.all(bridges.map(async (b) => [b, await ours('compute1', b)] as const)));
    const h = bed.host('compute1');
    const daemons = new OvsDaemons({ runDir: h.ovsRunDir!, netns: h.netns });
    const logAt = log('compute1').length;
    await daemons.restartVswitchd();
    await until('flows back as they were', async () => {
      for (const b of bridges) if (JSON.stringify(await ours('compute1', b)) !== JSON.stringify(before[b])) return false;
      return true;
    }, 30_000);
    await until('a pings b again', () => ping('a', ip('b')), 15_000);
    // the repair put back the lost flows; the resyncs after it change nothing
    const lines = () => log('compute1').slice(logAt).split('\n').filter((l) => l.includes('"changes":')).map((l) => JSON.parse(l) as { changes: number; reason: string });
    await until('a quiet resync after the repair', async () => {
      const l = lines();
      const repair = l.findIndex((x) => x.changes > 0);
      return repair >= 0 && l.slice(repair + 1).some((x) => x.changes === 0);
    }, 15_000);
    const lost = before['br-int'].length + before['br-tun'].length;
    const repaired = lines().reduce((n, x) => n + x.changes, 0);
    expect(repaired).toBeGreaterThanOrEqual(lost);
  });

  it('the last port of a network leaving a host removes its local VLAN, its flows and the other hosts\' flood entries toward it', async () => {
    const d = await bed.boot('d', { networkId: nets.green.id, host: 'compute2', dhcp: false });
    await until('d ACTIVE', async () => (await api('GET', `/v2.0/ports/${d.portId}`)).port.status === 'ACTIVE', 30_000);
    await until('c pings d over VXLAN', () => ping('c', ip('d')), 30_000);
    await until('compute2 floods green to compute1', async () => (await ours('compute2', 'br-tun')).some((l) => l.includes(setTunnel(nets.green.vni))), 15_000);
    const localVlan = /mod_vlan_vid:(\d+)/.exec((await ours('compute1', 'br-tun')).find((l) => l.includes(tun(nets.green.vni)))!)![1];
    await bed.destroy('c');
    await until('compute1 has no green flows', async () => !(await ours('compute1', 'br-tun')).some((l) => l.includes(tun(nets.green.vni))), 15_000);
    const left = [...(await ours('compute1', 'br-tun')), ...(await ours('compute1', 'br-int'))];
    expect(left.filter((l) => new RegExp(`(dl_vlan=|mod_vlan_vid:)${localVlan}\\b`).test(l))).toEqual([]);
    const tags = (await bed.execHost('compute1', ['ovs-vsctl', `--db=unix:${rd('compute1')}/db.sock`, '--format=json', '--columns=name,tag', 'list', 'Port'])).stdout;
    expect(JSON.parse(tags).data.filter((row: unknown[]) => row[1] === Number(localVlan))).toEqual([]);
    await until('compute2 no longer floods green to compute1', async () => !(await ours('compute2', 'br-tun')).some((l) => l.includes(setTunnel(nets.green.vni))), 15_000);
  });
});
