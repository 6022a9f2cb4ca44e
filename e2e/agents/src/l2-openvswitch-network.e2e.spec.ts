import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestbedFixture, suiteAgents, testbedSkipReason, which, type HostInfo } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';
import { until } from './agents-fixture';
import { httpCounts, memberServers, stopAll } from './lbaas-world';
import { whoami, whoamiServer } from './l3-world';

const skip =
  testbedSkipReason() ?? (which('ovs-vswitchd') ? null : 'Open vSwitch (openvswitch-switch) is missing') ?? (which('dnsmasq') ? null : 'dnsmasq (dnsmasq-base) is missing') ?? (which('udhcpc') ? null : 'udhcpc is missing') ?? (which('curl') ? null : 'curl is missing');
if (skip) console.warn(`openvswitch network-node end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;
jest.setTimeout(150_000);

/**
 * Issue 12 (step 3): every host on the openvswitch mechanism — network1 too, with the dhcp-agent,
 * the l3-agent, the metadata agent and the lbaas-agent unchanged: their taps (the DHCP port's `tap…`
 * peer of qdhcp-'s `ns-…`, the taps of qrouter-'s `qr-`/`qg-`, a VIP's peer of qlbaas-'s `ns-…`) are access ports of br-int, put there by
 * network1's l2-agent (no qbr: these ports are trusted), the external network through br-ex.
 */
describeRoot('openvswitch on every host: DHCP, metadata and routers on an OVS network node', () => {
  let fx: SuiteFixture;
  let bed: TestbedFixture;
  const api = (method: string, url: string, body?: unknown) => fx.api(method, url, body);

  beforeAll(async () => {
    fx = await SuiteFixture.start({ metadata: true });
    fs.chmodSync(fx.dataDir, 0o755); // dnsmasq runs as nobody and reads its files under the data dir
    const perHost = (h: HostInfo) => (h.network ? ['l2-agent', 'dhcp-agent', 'l3-agent', 'metadata-agent', 'lbaas-agent'] : ['l2-agent']);
    bed = await TestbedFixture.create({
      apiUrl: fx.suite.apiUrl,
      metadataUrl: fx.suite.metadataUrl,
      mechanism: 'openvswitch',
      networkMechanism: 'openvswitch',
      agents: suiteAgents(fx.nats.url, fx.dataDir, perHost, {
        NEUTRINO_API_URL: fx.suite.apiUrl, NEUTRINO_METADATA_URL: fx.suite.metadataUrl!, NEUTRINO_LOG_LEVEL: 'info', NEUTRINO_AGENT_REPORT_INTERVAL_MS: '1000', NEUTRINO_AGENT_RESYNC_INTERVAL_MS: '3000',
      }),
    });
  });

  afterAll(async () => {
    stopAll();
    const runDirs = bed?.plan.hosts.map((h) => h.ovsRunDir).filter((d): d is string => !!d) ?? [];
    const pids = runDirs.flatMap((d) => ['ovsdb-server.pid', 'ovs-vswitchd.pid'].map((f) => path.join(d, f))).filter((f) => fs.existsSync(f)).map((f) => Number(fs.readFileSync(f, 'utf8').trim()));
    await bed?.dispose();
    await fx?.stop();
    expect(pids).toHaveLength(6);
    for (const pid of pids) expect(fs.existsSync(`/proc/${pid}`) ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '').not.toMatch(/ovs/);
  });

  const dumpLogs = () => {
    const dir = `${bed.dir.dir}/logs`;
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) console.error(`--- ${f}\n${fs.readFileSync(path.join(dir, f), 'utf8').slice(-4000)}`);
  };
  const dumpOvs = async (host: string) => {
    const rd = bed.host(host).ovsRunDir!;
    for (const argv of [['ovs-vsctl', `--db=unix:${rd}/db.sock`, 'show'], ['ovs-ofctl', 'dump-flows', `unix:${rd}/br-int.mgmt`], ['ovs-ofctl', 'dump-flows', `unix:${rd}/br-tun.mgmt`], ['tail', '-20', `${rd}/ovs-vswitchd.log`]]) {
      const r = await bed.execHost(host, argv);
      console.error(`### ${host}: ${argv.join(' ')}\n${r.stdout}${r.stderr}`);
    }
  };
  const leases = (...names: string[]) =>
    Promise.all(names.map((n) => bed.waitForLease(n, 60_000))).catch(async (err) => {
      await dumpOvs('network1');
      dumpLogs();
      throw err;
    });
  const vsctlShow = async (host: string) => (await bed.execHost(host, ['ovs-vsctl', `--db=unix:${bed.host(host).ovsRunDir!}/db.sock`, 'show'])).stdout;
  const bridgeOf = (show: string, name: string) => show.slice(show.indexOf(`Bridge ${name}`)).split(/\n\s{4}Bridge /)[0];
  const dhcpPort = async (networkId: string) =>
    until(`the DHCP port of ${networkId} ACTIVE`, async () => {
      const p = (await api('GET', `/v2.0/ports?network_id=${networkId}&device_owner=network:dhcp`)).body.ports?.[0];
      return p?.status === 'ACTIVE' && p;
    }, 30_000);
  const curl = async (instance: string, url: string) => {
    const r = await until(`${instance}: ${url}`, async () => {
      const out = await bed.exec(instance, ['curl', '-s', '-m', '5', '-w', '\n%{http_code}', url], { timeoutMs: 10_000 });
      return out.code === 0 && !out.stdout.endsWith('\n000') && out;
    }, 30_000).catch((err) => {
      dumpLogs();
      throw err;
    });
    const nl = r.stdout.lastIndexOf('\n');
    return { status: Number(r.stdout.slice(nl + 1)), body: r.stdout.slice(0, nl) };
  };

  it('every l2-agent is an Open vSwitch agent; instances on a VXLAN network get DHCP leases from network1\'s qdhcp- (its tap on br-int) and read their metadata', async () => {
    const agents = await until('three alive Open vSwitch agents', async () => {
      const list = (await api('GET', '/v2.0/agents?agent_type=Open%20vSwitch%20agent')).body.agents;
      return list?.length === 3 && list.every((a: { alive: boolean }) => a.alive) && list;
    });
    expect(agents.map((a: { host: string }) => a.host).sort()).toEqual(['compute1', 'compute2', 'network1']);
    expect(agents.find((a: { host: string }) => a.host === 'network1').configurations.bridge_mappings).toEqual({ physnet1: 'br-eth2', public: 'br-ex' });

    const net = (await api('POST', '/v2.0/networks', { network: { name: 'ovs-dhcp' } })).body.network;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.94.0.0/24', ip_version: 4 } });
    const vm1 = await bed.boot('vm1', { networkId: net.id, host: 'compute1', metadata: { userData: '#!/bin/sh\necho vm1\n' } });
    const vm2 = await bed.boot('vm2', { networkId: net.id, host: 'compute2' });
    const [l1, l2] = await leases('vm1', 'vm2');
    expect(l1.ip).toBe(vm1.fixedIps[0].ip_address);
    expect(l2.ip).toBe(vm2.fixedIps[0].ip_address);
    expect((await bed.exec('vm1', ['ping', '-c', '3', '-i', '0.2', '-W', '3', l2.ip])).stdout).toMatch(/3 received/);

    const dhcp = await dhcpPort(net.id);
    expect(dhcp).toMatchObject({ 'binding:host_id': 'network1', 'binding:vif_type': 'ovs' });
    const show = await vsctlShow('network1');
    expect(bridgeOf(show, 'br-int')).toMatch(new RegExp(`Port tap${dhcp.id.slice(0, 11)}\\n\\s+tag: \\d+\\n\\s+Interface tap${dhcp.id.slice(0, 11)}(\\n|$)`));
    expect(bridgeOf(show, 'br-tun')).toMatch(/Port vxlan-ac120065\n/);
    // straight on br-int: no qbr for the DHCP port, and its namespace end sends with finished checksums (netdev datapath)
    expect((await bed.execHost('network1', ['ip', '-o', 'link'])).stdout).not.toContain(`qbr${dhcp.id.slice(0, 11)}`);
    const qdhcp = `${bed.host('network1').netnsPrefix}qdhcp-${net.id}`;
    expect((await bed.execHost('network1', ['ip', 'netns', 'exec', qdhcp, 'ethtool', '-k', `ns-${dhcp.id.slice(0, 11)}`])).stdout).toMatch(/^tx-checksumming: off/m);
    expect(bridgeOf(show, 'br-ex')).toMatch(/Port eth3\n/);

    const md = await curl('vm1', 'http://169.254.169.254/latest/meta-data/instance-id');
    expect(md).toEqual({ status: 200, body: vm1.deviceId });
    expect(await curl('vm1', 'http://169.254.169.254/openstack/latest/user_data')).toEqual({ status: 200, body: '#!/bin/sh\necho vm1\n' });
  });

  it('a provider VLAN network gets its DHCP from network1 over physnet1 (br-eth2 on every host)', async () => {
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'ovs-vlan-dhcp', 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 1043 } })).body.network;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.95.0.0/24', ip_version: 4 } });
    const a = await bed.boot('vmv1', { networkId: net.id, host: 'compute1' });
    const b = await bed.boot('vmv2', { networkId: net.id, host: 'compute2' });
    const [la, lb] = await leases('vmv1', 'vmv2');
    expect(la.ip).toBe(a.fixedIps[0].ip_address);
    expect(lb.ip).toBe(b.fixedIps[0].ip_address);
    expect((await bed.exec('vmv1', ['ping', '-c', '3', '-i', '0.2', '-W', '3', lb.ip])).stdout).toMatch(/3 received/);
    const dhcp = await dhcpPort(net.id);
    const show = await vsctlShow('network1');
    expect(bridgeOf(show, 'br-int')).toMatch(new RegExp(`Port tap${dhcp.id.slice(0, 11)}\\n\\s+tag: \\d+`));
    expect(bridgeOf(show, 'br-int')).toMatch(/Port int-br-eth2\n/);
  });

  it('a router on network1 with SNAT and a floating IP: qr-/qg- taps on br-int, the external network through br-ex', async () => {
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).body.network;
    await api('POST', '/v2.0/subnets', {
      subnet: { network_id: ext.id, ip_version: 4, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.200' }] },
    });
    const net = bed.instance('vm1').networkId;
    const subnet = (await api('GET', `/v2.0/subnets?network_id=${net}`)).body.subnets[0];
    const router = (await api('POST', '/v2.0/routers', { router: { name: 'r1', external_gateway_info: { network_id: ext.id } } })).body.router;
    expect((await api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id })).status).toBe(200);
    await until('an l3-agent hosts r1', async () => (await api('GET', `/v2.0/routers/${router.id}/l3-agents`)).body.agents?.length === 1);

    const vm1 = bed.instance('vm1');
    whoamiServer(bed.plan.internet.netns, '0.0.0.0', 8080, 'internet');
    const gw = router.external_gateway_info.external_fixed_ips[0].ip_address;
    const seen = await until('the internet through the router (SNAT)', async () => (await whoami(vm1.netns, '203.0.113.1', 8080)) || undefined, 40_000).catch(async (err) => {
      await dumpOvs('network1');
      dumpLogs();
      throw err;
    });
    expect(seen).toBe(`internet ${gw}`);

    const sg = (await api('GET', '/v2.0/security-groups?name=default')).body.security_groups[0].id;
    await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 2222, port_range_max: 2222 } });
    const fip = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm1.portId } })).body.floatingip;
    whoamiServer(vm1.netns, '0.0.0.0', 2222, 'vm1');
    const inbound = await until('the floating IP from the internet', async () => (await whoami(bed.plan.internet.netns, fip.floating_ip_address, 2222)) || undefined, 30_000);
    expect(inbound).toBe('vm1 203.0.113.1');
    expect(await whoami(vm1.netns, '203.0.113.1', 8080)).toBe(`internet ${fip.floating_ip_address}`);

    const ports = (await api('GET', `/v2.0/ports?device_id=${router.id}`)).body.ports as Array<{ id: string; device_owner: string }>;
    const qr = ports.find((p) => p.device_owner === 'network:router_interface')!;
    const qg = ports.find((p) => p.device_owner === 'network:router_gateway')!;
    const show = await vsctlShow('network1');
    expect(bridgeOf(show, 'br-int')).toMatch(new RegExp(`Port tap${qr.id.slice(0, 11)}\\n\\s+tag: \\d+`));
    expect(bridgeOf(show, 'br-int')).toMatch(new RegExp(`Port tap${qg.id.slice(0, 11)}\\n\\s+tag: \\d+`));
    expect(bridgeOf(show, 'br-int')).toMatch(/Port int-br-ex\n\s+Interface int-br-ex\n\s+type: patch\n\s+options: \{peer=phy-br-ex\}/);
    expect(bridgeOf(show, 'br-ex')).toMatch(/Port phy-br-ex\n/);
    const qrouter = `${bed.host('network1').netnsPrefix}qrouter-${router.id}`;
    const inside = (await bed.execHost('network1', ['ip', 'netns', 'exec', qrouter, 'ip', '-o', 'link'])).stdout;
    expect(inside).toContain(`qr-${qr.id.slice(0, 11)}`);
    expect(inside).toContain(`qg-${qg.id.slice(0, 11)}`);
  });

  it('a load balancer on network1: its VIP port\'s tap on br-int, HTTP through the VIP spread over members on both computes', async () => {
    const net = bed.instance('vm1').networkId;
    const subnet = (await api('GET', `/v2.0/subnets?network_id=${net}`)).body.subnets[0];
    const sg = (await api('GET', '/v2.0/security-groups?name=default')).body.security_groups[0].id;
    await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 80, port_range_max: 80 } });
    for (const vm of ['vm1', 'vm2']) memberServers(bed.instance(vm).netns, vm, 80, 2223);
    const lbaas = async (method: string, path: string, body?: unknown) => {
      const r = await api(method, `/v2/lbaas${path}`, body);
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const lb = (await lbaas('POST', '/loadbalancers', { loadbalancer: { name: 'ovs-lb', vip_subnet_id: subnet.id } })).loadbalancer;
    const active = () => until('the load balancer ACTIVE', async () => (await lbaas('GET', `/loadbalancers/${lb.id}`)).loadbalancer.provisioning_status === 'ACTIVE', 30_000);
    await active();
    const listener = (await lbaas('POST', '/listeners', { listener: { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80 } })).listener;
    await active();
    const pool = (await lbaas('POST', '/pools', { pool: { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } })).pool;
    await active();
    for (const vm of ['vm1', 'vm2']) {
      await lbaas('POST', `/pools/${pool.id}/members`, { member: { address: bed.instance(vm).fixedIps[0].ip_address, protocol_port: 80, subnet_id: subnet.id } });
      await active();
    }
    const url = `http://${lb.vip_address}/`;
    await until('the VIP answers', async () => (await httpCounts(bed.instance('vm2').netns, url, 1)).error === undefined, 30_000).catch(async (err) => {
      await dumpOvs('network1');
      dumpLogs();
      throw err;
    });
    const counts = await httpCounts(bed.instance('vm2').netns, url, 20);
    expect(counts).toEqual({ vm1: 10, vm2: 10 });
    const vip = (await api('GET', `/v2.0/ports/${lb.vip_port_id}`)).body.port;
    expect(vip).toMatchObject({ 'binding:host_id': 'network1', 'binding:vif_type': 'ovs' });
    const show = await vsctlShow('network1');
    expect(bridgeOf(show, 'br-int')).toMatch(new RegExp(`Port tap${vip.id.slice(0, 11)}\\n\\s+tag: \\d+`));
    expect((await bed.execHost('network1', ['ip', '-o', 'link'])).stdout).not.toContain(`qbr${vip.id.slice(0, 11)}`);
  });
});
