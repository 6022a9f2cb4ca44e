import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestbedFixture, execIn, suiteAgents, testbedSkipReason, which } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';
import { until } from './agents-fixture';

const skip =
  testbedSkipReason() ?? (which('ovs-vswitchd') ? null : 'Open vSwitch (openvswitch-switch) is missing') ?? (which('dnsmasq') ? null : 'dnsmasq (dnsmasq-base) is missing') ?? (which('udhcpc') ? null : 'udhcpc is missing') ?? (which('curl') ? null : 'curl is missing') ?? (which('tcpdump') ? null : 'tcpdump is missing');
if (skip) console.warn(`openvswitch end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;
jest.setTimeout(150_000);

/**
 * Issue 12 (second step): every compute on the openvswitch mechanism (its own ovsdb-server and
 * ovs-vswitchd, netdev datapath), network1 on LinuxBridge with the dhcp-agent; one VXLAN network.
 */
describeRoot('openvswitch l2-agent on the namespace test bed (computes on OVS, VXLAN)', () => {
  let fx: SuiteFixture;
  let bed: TestbedFixture;

  beforeAll(async () => {
    // GRE enabled (ML2 type_drivers; the default is the reference server's, without gre)
    fx = await SuiteFixture.start({ env: { NEUTRINO_TYPE_DRIVERS: 'flat,vlan,vxlan,gre,local' } });
    fs.chmodSync(fx.dataDir, 0o755); // dnsmasq runs as nobody and reads its files under the data dir
    const perHost = (h: { name: string }) => (h.name === 'network1' ? ['l2-agent', 'dhcp-agent'] : ['l2-agent']);
    bed = await TestbedFixture.create({
      apiUrl: fx.suite.apiUrl,
      mechanism: 'openvswitch',
      agents: suiteAgents(fx.nats.url, fx.dataDir, perHost, { NEUTRINO_API_URL: fx.suite.apiUrl, NEUTRINO_LOG_LEVEL: 'info', NEUTRINO_AGENT_REPORT_INTERVAL_MS: '1000', NEUTRINO_AGENT_RESYNC_INTERVAL_MS: '3000' }),
    });
  });

  afterAll(async () => {
    const runDirs = bed?.plan.hosts.map((h) => h.ovsRunDir).filter((d): d is string => !!d) ?? [];
    const pids = runDirs.flatMap((d) => ['ovsdb-server.pid', 'ovs-vswitchd.pid'].map((f) => path.join(d, f))).filter((f) => fs.existsSync(f)).map((f) => Number(fs.readFileSync(f, 'utf8').trim()));
    await bed?.dispose();
    await fx?.stop();
    // the hosts' OVS daemons were stopped by PID
    for (const pid of pids) expect(fs.existsSync(`/proc/${pid}`) ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '').not.toMatch(/ovs/);
  });

  const dumpLogs = () => {
    const dir = `${bed.dir.dir}/logs`;
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) console.error(`--- ${f}\n${fs.readFileSync(path.join(dir, f), 'utf8').slice(-4000)}`);
  };
  const activeSoon = (portId: string) =>
    until(`port ${portId} ACTIVE`, async () => {
      const p = (await fx.api('GET', `/v2.0/ports/${portId}`)).body.port;
      return p.status === 'ACTIVE' && p;
    }, 30_000).catch((err) => {
      dumpLogs();
      throw err;
    });
  /** What OVS on a host has and does (flows with counters, datapath flows, tunnel routes and neighbours), for a failure's report. */
  const dumpOvs = async (host: string) => {
    const rd = bed.host(host).ovsRunDir!;
    const appctl = (cmd: string) => ['ovs-appctl', '-t', `${rd}/ovs-vswitchd.ctl`, cmd];
    for (const argv of [
      ['ovs-vsctl', `--db=unix:${rd}/db.sock`, 'show'], ['ovs-ofctl', 'dump-flows', `unix:${rd}/br-tun.mgmt`], ['ovs-ofctl', 'dump-flows', `unix:${rd}/br-int.mgmt`],
      appctl('dpctl/dump-flows'), appctl('ovs/route/show'), appctl('tnl/neigh/show'), ['ip', 'addr'], ['tail', '-30', `${rd}/ovs-vswitchd.log`],
    ]) {
      const r = await bed.execHost(host, argv);
      console.error(`### ${host}: ${argv.join(' ')}\n${r.stdout}${r.stderr}`);
    }
  };
  const agentLog = (host: string) => fs.readFileSync(`${bed.dir.dir}/logs/${host}.l2-agent.log`, 'utf8');

  it('two instances on compute1 and compute2 (default security group) get DHCP addresses over VXLAN and ping each other; ports bound ovs with the hybrid plug', async () => {
    const agents = await until('three l2-agents alive', async () => {
      const list = (await fx.api('GET', '/v2.0/agents')).body.agents?.filter((a: { binary: string }) => a.binary !== 'neutrino-dhcp-agent');
      return list?.length === 3 && list.every((a: { alive: boolean }) => a.alive) && list;
    });
    const byHost = Object.fromEntries(agents.map((a: { host: string; agent_type: string; binary: string }) => [a.host, `${a.agent_type}/${a.binary}`]));
    expect(byHost).toEqual({
      compute1: 'Open vSwitch agent/neutrino-openvswitch-agent',
      compute2: 'Open vSwitch agent/neutrino-openvswitch-agent',
      network1: 'Linux bridge agent/neutrino-linuxbridge-agent',
    });

    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'ovs-tenant' } })).body.network;
    expect(net['provider:network_type']).toBe('vxlan');
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.90.0.0/24', ip_version: 4 } });
    const vm1 = await bed.boot('vm1', { networkId: net.id, host: 'compute1' });
    const vm2 = await bed.boot('vm2', { networkId: net.id, host: 'compute2' });
    const p1 = await activeSoon(vm1.portId!);
    await activeSoon(vm2.portId!);
    expect(p1).toMatchObject({ 'binding:host_id': 'compute1', 'binding:vif_type': 'ovs', 'binding:vif_details': { ovs_hybrid_plug: true, port_filter: true } });

    const [l1, l2] = await Promise.all([bed.waitForLease('vm1', 60_000), bed.waitForLease('vm2', 60_000)]).catch(async (err) => {
      await dumpOvs('compute1');
      dumpLogs();
      throw err;
    });
    expect(l1.ip).toBe(vm1.fixedIps[0].ip_address);
    expect(l2.ip).toBe(vm2.fixedIps[0].ip_address);
    const r = await bed.exec('vm1', ['ping', '-c', '3', '-i', '0.2', '-W', '3', l2.ip]);
    expect(r.stdout).toMatch(/3 received/);
    // TCP too (its checksums survive the userspace datapath: the test bed computes them on send)
    await bed.serveHttp('vm2');
    const http = await until('HTTP from vm1 to vm2', async () => {
      const out = await bed.exec('vm1', ['curl', '-s', '-m', '3', `http://${l2.ip}/`]);
      return out.code === 0 && out.stdout;
    }, 15_000);
    expect(http.trim()).toBe('vm2');
    await bed.stopHttp('vm2');

    // ovs-vsctl show on compute1: br-int and br-tun (secure), the patch pair, qvo tagged, the tunnels to compute2 and network1
    const runDir = bed.host('compute1').ovsRunDir!;
    const show = (await bed.execHost('compute1', ['ovs-vsctl', `--db=unix:${runDir}/db.sock`, 'show'])).stdout;
    const bridge = (name: string) => show.slice(show.indexOf(`Bridge ${name}`)).split(/\n\s{4}Bridge /)[0];
    expect(bridge('br-int')).toMatch(/fail_mode: secure/);
    expect(bridge('br-int')).toMatch(/Port patch-tun\n\s+Interface patch-tun\n\s+type: patch\n\s+options: \{peer=patch-int\}/);
    expect(bridge('br-int')).toMatch(new RegExp(`Port qvo${vm1.portId!.slice(0, 11)}\\n\\s+tag: 1\\n\\s+Interface qvo${vm1.portId!.slice(0, 11)}`));
    expect(bridge('br-tun')).toMatch(/Port patch-int\n\s+Interface patch-int\n\s+type: patch\n\s+options: \{peer=patch-tun\}/);
    expect(bridge('br-tun')).toMatch(/Port vxlan-ac120066\n\s+Interface vxlan-ac120066\n\s+type: vxlan\n\s+options: \{.*in_key=flow.*remote_ip="172\.18\.0\.102"/);
    expect(bridge('br-tun')).toMatch(/Port vxlan-ac120064\n/);
    // the tap is in its qbr, qvb too
    const qbr = (await bed.execHost('compute1', ['ip', '-o', 'link', 'show', 'master', `qbr${vm1.portId!.slice(0, 11)}`])).stdout;
    expect(qbr).toMatch(new RegExp(`tap${vm1.portId!.slice(0, 11)}`));
    expect(qbr).toMatch(new RegExp(`qvb${vm1.portId!.slice(0, 11)}`));
    // br-tun carries the network's VNI ↔ local VLAN 1 and vm2's MAC behind compute2's tunnel
    const flows = (await bed.execHost('compute1', ['ovs-ofctl', '--names', 'dump-flows', `unix:${runDir}/br-tun.mgmt`])).stdout;
    const vni = `0x${Number(net['provider:segmentation_id']).toString(16)}`;
    expect(flows).toMatch(new RegExp(`table=4,.*tun_id=${vni} actions=mod_vlan_vid:1,resubmit\\(,10\\)`));
    expect(flows).toMatch(new RegExp(`table=20,.*dl_vlan=1,dl_dst=${vm2.mac} actions=strip_vlan,set_tunnel:${vni},output:"?vxlan-ac120066"?`));
  });

  it('security groups apply on the qbr side: an instance whose group has no ingress rule is not reachable until one allows ICMP', async () => {
    const net = bed.instance('vm1').networkId;
    const sg = (await fx.api('POST', '/v2.0/security-groups', { security_group: { name: 'closed' } })).body.security_group;
    const vm3 = await bed.boot('vm3', { networkId: net, host: 'compute2', port: { security_groups: [sg.id] } });
    await activeSoon(vm3.portId!);
    const lease = await bed.waitForLease('vm3', 60_000);
    const ping = () => bed.exec('vm1', ['ping', '-c', '2', '-i', '0.2', '-W', '1', lease.ip]);
    expect((await ping()).stdout).toMatch(/ 0 received/);
    const chains = (await bed.execHost('compute2', ['iptables-save', '-t', 'filter'])).stdout;
    expect(chains).toContain(`-A neutron-openvswi-FORWARD -m physdev --physdev-out tap${vm3.portId!.slice(0, 11)} --physdev-is-bridged -j neutron-openvswi-sg-chain`);
    expect(chains).toContain(`:neutron-openvswi-i${vm3.portId!.slice(0, 10)}`);
    expect(chains).not.toContain('neutron-linuxbri-');
    await fx.api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg.id, direction: 'ingress', ethertype: 'IPv4', protocol: 'icmp' } });
    await until('ICMP allowed to vm3', async () => / [12] received/.test((await ping()).stdout), 20_000);
  });

  it('repairs OVS drift (a qvo port and a flood flow deleted by hand) and unwires a deleted instance', async () => {
    const rd = bed.host('compute1').ovsRunDir!;
    const vm1 = bed.instance('vm1');
    const qvo = `qvo${vm1.portId!.slice(0, 11)}`;
    const vsctl = (...args: string[]) => bed.execHost('compute1', ['ovs-vsctl', `--db=unix:${rd}/db.sock`, ...args]);
    const tunFlows = async () => (await bed.execHost('compute1', ['ovs-ofctl', 'dump-flows', `unix:${rd}/br-tun.mgmt`, 'table=22'])).stdout;
    expect(await tunFlows()).toMatch(/priority=1,dl_vlan=1 /);
    expect((await vsctl('del-port', 'br-int', qvo)).code).toBe(0);
    expect((await bed.execHost('compute1', ['ovs-ofctl', '--strict', 'del-flows', `unix:${rd}/br-tun.mgmt`, 'table=22,priority=1,dl_vlan=1'])).code).toBe(0);
    await until('qvo and the flood flow back', async () => (await vsctl('get', 'Port', qvo, 'tag')).stdout.trim() === '1' && /priority=1,dl_vlan=1 /.test(await tunFlows()), 20_000);
    expect((await bed.exec('vm1', ['ping', '-c', '2', '-i', '0.2', '-W', '3', bed.instance('vm2').fixedIps[0].ip_address])).stdout).toMatch(/2 received/);

    const vm3 = bed.instance('vm3');
    await bed.destroy('vm3');
    const rd2 = bed.host('compute2').ovsRunDir!;
    const id = vm3.portId!.slice(0, 11);
    await until('vm3 unwired on compute2', async () => {
      const ports = (await bed.execHost('compute2', ['ovs-vsctl', `--db=unix:${rd2}/db.sock`, 'list-ports', 'br-int'])).stdout;
      const links = (await bed.execHost('compute2', ['ip', '-o', 'link'])).stdout;
      const chains = (await bed.execHost('compute2', ['iptables-save', '-t', 'filter'])).stdout;
      return !ports.includes(`qvo${id}`) && !links.includes(`qbr${id}`) && !links.includes(`qvb${id}`) && !chains.includes(vm3.portId!.slice(0, 10));
    });
  });

  /** Frames on the fabric's physnet1 bridge while `traffic` runs (tcpdump -e -n in the fabric namespace, bounded by count and time). */
  const captureOnPhysnet = async (filter: string, traffic: () => Promise<unknown>): Promise<string> => {
    const plan = bed.plan;
    const bridge = plan.fabric.physnetBridges.physnet1;
    const capture = execIn(plan.fabric.netns, ['tcpdump', '-e', '-n', '-l', '-c', '6', '-i', bridge, ...filter.split(' ')], { timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 1500)); // tcpdump is listening
    await traffic();
    const r = await capture;
    return r.stdout;
  };
  /** ping and HTTP (TCP) from one instance to another's address. */
  const reach = async (from: string, to: string, ip: string) => {
    const r = await bed.exec(from, ['ping', '-c', '3', '-i', '0.2', '-W', '3', ip]);
    expect(r.stdout).toMatch(/3 received/);
    console.log(`openvswitch e2e: ping ${from} → ${to}: ${/rtt (.*)/.exec(r.stdout)?.[1] ?? r.stdout}`);
    await bed.serveHttp(to);
    const http = await until(`HTTP from ${from} to ${to}`, async () => {
      const out = await bed.exec(from, ['curl', '-s', '-m', '3', `http://${ip}/`]);
      return out.code === 0 && out.stdout;
    }, 15_000);
    expect(http.trim()).toBe(to);
    await bed.stopHttp(to);
  };

  it('a provider VLAN network (physnet1, segmentation id 1042) carries traffic between compute1 and compute2 as 802.1Q frames with VLAN id 1042 on the physical network', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'ovs-vlan', 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 1042 } })).body.network;
    expect(net).toMatchObject({ 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 1042, mtu: 1500 });
    // network1 is a LinuxBridge host here, which cannot serve VLAN (no 8021q): no DHCP on this network, the instances get their fixed IPs
    // statically (DHCP on a VLAN network from an openvswitch network1: l2-openvswitch-network.e2e.spec.ts)
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.91.0.0/24', ip_version: 4, enable_dhcp: false } });
    const a = await bed.boot('vmv1', { networkId: net.id, host: 'compute1', dhcp: false });
    const b = await bed.boot('vmv2', { networkId: net.id, host: 'compute2', dhcp: false });
    const pa = await activeSoon(a.portId!);
    await activeSoon(b.portId!);
    expect(pa).toMatchObject({ 'binding:vif_type': 'ovs', 'binding:vif_details': { ovs_hybrid_plug: true, port_filter: true } });
    const ipB = b.fixedIps[0].ip_address;

    const frames = await captureOnPhysnet('vlan 1042 and icmp', async () => {
      await reach('vmv1', 'vmv2', ipB).catch(async (err) => {
        await dumpOvs('compute1');
        throw err;
      });
    });
    // the echo request from vmv1's MAC, tagged with the network's segmentation id, and the reply
    expect(frames).toMatch(new RegExp(`${a.mac} > ${b.mac}, ethertype 802\\.1Q \\(0x8100\\), length \\d+: vlan 1042, p 0, ethertype IPv4 \\(0x0800\\),.* ${a.fixedIps[0].ip_address.replace(/\./g, '\\.')} > ${ipB.replace(/\./g, '\\.')}: ICMP echo request`));
    expect(frames).toMatch(new RegExp(`${b.mac} > ${a.mac}, ethertype 802\\.1Q \\(0x8100\\), length \\d+: vlan 1042, .*ICMP echo reply`));

    // compute1: br-eth2 holds eth2 and phy-br-eth2; br-int has int-br-eth2 and the qvo on the network's local VLAN
    const rd = bed.host('compute1').ovsRunDir!;
    const show = (await bed.execHost('compute1', ['ovs-vsctl', `--db=unix:${rd}/db.sock`, 'show'])).stdout;
    const bridge = (name: string) => show.slice(show.indexOf(`Bridge ${name}`)).split(/\n\s{4}Bridge /)[0];
    expect(bridge('br-eth2')).toMatch(/Port phy-br-eth2\n\s+Interface phy-br-eth2\n\s+type: patch\n\s+options: \{peer=int-br-eth2\}/);
    // br-eth2 may be the last bridge of the show output (the order of bridges is not fixed): its last line has no newline
    expect(bridge('br-eth2')).toMatch(/Port eth2\n\s+Interface eth2(\n|$)/);
    expect(bridge('br-int')).toMatch(/Port int-br-eth2\n\s+Interface int-br-eth2\n\s+type: patch\n\s+options: \{peer=phy-br-eth2\}/);
    const tag = Number((await bed.execHost('compute1', ['ovs-vsctl', `--db=unix:${rd}/db.sock`, 'get', 'Port', `qvo${a.portId!.slice(0, 11)}`, 'tag'])).stdout.trim());
    const phyFlows = (await bed.execHost('compute1', ['ovs-ofctl', '--names', 'dump-flows', `unix:${rd}/br-eth2.mgmt`])).stdout;
    expect(phyFlows).toMatch(new RegExp(`priority=4,in_port="?phy-br-eth2"?,dl_vlan=${tag} actions=mod_vlan_vid:1042,NORMAL`));
    const intFlows = (await bed.execHost('compute1', ['ovs-ofctl', '--names', 'dump-flows', `unix:${rd}/br-int.mgmt`])).stdout;
    expect(intFlows).toMatch(new RegExp(`priority=3,in_port="?int-br-eth2"?,dl_vlan=1042 actions=mod_vlan_vid:${tag},NORMAL`));
  });

  it('a flat network on physnet1 carries untagged frames between compute1 and compute2; the LinuxBridge network1 serves its DHCP over the same wire', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'ovs-flat', 'provider:network_type': 'flat', 'provider:physical_network': 'physnet1' } })).body.network;
    expect(net).toMatchObject({ 'provider:network_type': 'flat', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': null });
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.92.0.0/24', ip_version: 4 } });
    const a = await bed.boot('vmf1', { networkId: net.id, host: 'compute1' });
    const b = await bed.boot('vmf2', { networkId: net.id, host: 'compute2' });
    await activeSoon(a.portId!);
    await activeSoon(b.portId!);
    const [la, lb] = await Promise.all([bed.waitForLease('vmf1', 60_000), bed.waitForLease('vmf2', 60_000)]).catch(async (err) => {
      await dumpOvs('compute1');
      dumpLogs();
      throw err;
    });
    expect(la.ip).toBe(a.fixedIps[0].ip_address);
    expect(lb.ip).toBe(b.fixedIps[0].ip_address);
    const frames = await captureOnPhysnet('icmp', () => reach('vmf1', 'vmf2', lb.ip));
    expect(frames).toMatch(new RegExp(`${a.mac} > ${b.mac}, ethertype IPv4 \\(0x0800\\), length \\d+: .*ICMP echo request`));
    expect(frames).not.toMatch(/802\.1Q/);
  });

  it('a GRE network carries traffic between compute1 and compute2 through gre-<hex ip> ports on br-tun (GRE packets with the network\'s key on the underlay)', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'ovs-gre', 'provider:network_type': 'gre', 'provider:segmentation_id': 4660 } })).body.network;
    expect(net).toMatchObject({ 'provider:network_type': 'gre', 'provider:physical_network': null, 'provider:segmentation_id': 4660, mtu: 1458 });
    // a tenant GRE network gets its key from NEUTRINO_GRE_RANGES
    const tenant = await fx.api('POST', '/v2.0/networks', { network: { name: 'ovs-gre-tenant', 'provider:network_type': 'gre' } });
    expect(tenant.body.network).toMatchObject({ 'provider:network_type': 'gre', 'provider:segmentation_id': 1 });
    await fx.api('DELETE', `/v2.0/networks/${tenant.body.network.id}`);
    // network1 is LinuxBridge here, which has no GRE: no DHCP on this network, static addresses
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.93.0.0/24', ip_version: 4, enable_dhcp: false } });
    const a = await bed.boot('vmg1', { networkId: net.id, host: 'compute1', dhcp: false });
    const b = await bed.boot('vmg2', { networkId: net.id, host: 'compute2', dhcp: false });
    await activeSoon(a.portId!);
    await activeSoon(b.portId!);
    const plan = bed.plan;
    const underlay = execIn(plan.fabric.netns, ['tcpdump', '-n', '-l', '-c', '4', '-i', plan.fabric.underlayBridge, 'ip proto 47 and ip[22:2] = 0x6558 and ip[40:2] = 0x0800 and ip[51] = 1'], { timeoutMs: 20_000 }); // GRE (with a key: 8 bytes) carrying Ethernet (0x6558) with IPv4 ICMP
    await new Promise((r) => setTimeout(r, 1500));
    await reach('vmg1', 'vmg2', b.fixedIps[0].ip_address).catch(async (err) => {
      await dumpOvs('compute1');
      throw err;
    });
    const gre = (await underlay).stdout;
    expect(gre).toMatch(/172\.18\.0\.101 > 172\.18\.0\.102: GREv0, key=0x1234, .*ICMP echo request/);
    expect(gre).toMatch(/172\.18\.0\.102 > 172\.18\.0\.101: GREv0, key=0x1234, .*ICMP echo reply/);
    const rd = bed.host('compute1').ovsRunDir!;
    const show = (await bed.execHost('compute1', ['ovs-vsctl', `--db=unix:${rd}/db.sock`, 'show'])).stdout;
    expect(show).toMatch(/Port gre-ac120066\n\s+Interface gre-ac120066\n\s+type: gre\n\s+options: \{df_default="true", in_key=flow, local_ip="172\.18\.0\.101", out_key=flow, remote_ip="172\.18\.0\.102"\}/);
    const flows = (await bed.execHost('compute1', ['ovs-ofctl', '--names', 'dump-flows', `unix:${rd}/br-tun.mgmt`, 'table=3'])).stdout;
    expect(flows).toMatch(/table=3,.*priority=1,tun_id=0x1234 actions=mod_vlan_vid:\d+,resubmit\(,10\)/);
    // the LinuxBridge network1 says why it cannot serve GRE
    const lb = (await fx.api('GET', '/v2.0/agents?host=network1&binary=neutrino-linuxbridge-agent')).body.agents[0];
    expect(lb.configurations.unsupported_network_types.gre).toMatch(/GRE networks are not served by the LinuxBridge mechanism/);
  });

  it('restarting the openvswitch l2-agent plans zero changes and keeps the ping', async () => {
    const agent = bed.agents.find((a) => a.host === 'compute1' && a.name === 'l2-agent')!;
    const starts = (agentLog('compute1').match(/"reason":"start"/g) ?? []).length;
    const before = agent.process.pid;
    agent.process.signal('SIGTERM');
    await until('compute1 l2-agent restarted', async () => agent.process.pid !== before && agent.process.running);
    const line = await until('restarted agent reconciled', async () => {
      const lines = agentLog('compute1').split('\n').filter((l) => l.includes('"reason":"start"'));
      return lines.length > starts && lines[lines.length - 1];
    }, 30_000);
    expect(line).toMatch(/"changes":0,"sideplane":0/);
    // the full observe that follows a start (and every resync) finds nothing to change either
    const resync = await until('a resync after the restart', async () => {
      const lines = agentLog('compute1').split('\n');
      const at = lines.lastIndexOf(line);
      return lines.slice(at + 1).find((l) => l.includes('"reason":"resync"'));
    }, 15_000);
    expect(resync).toMatch(/"changes":0,"sideplane":0/);
    const r = await bed.exec('vm1', ['ping', '-c', '3', '-i', '0.2', '-W', '3', bed.instance('vm2').fixedIps[0].ip_address]);
    expect(r.stdout).toMatch(/3 received/);
  });
});
