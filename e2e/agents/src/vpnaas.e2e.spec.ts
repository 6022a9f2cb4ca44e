import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { testbedSkipReason, type TestbedFixture } from '@neutrino/testbed';
import type { SuiteFixture } from '@neutrino/testing-suite';
import { until } from './agents-fixture';
import { startL3World, whoami, whoamiServer } from './l3-world';

const skip = testbedSkipReason();
if (skip) console.warn(`VPNaaS end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;

const V = '/v2.0/vpn';

/**
 * Whether this kernel does ESP (CONFIG_INET_ESP): without it charon cannot install SAs in the kernel,
 * and the test bed's routers use strongSwan's userspace IPsec (NEUTRINO_STRONGSWAN_IPSEC=libipsec).
 */
function kernelEsp(): boolean {
  try {
    const config = execFileSync('zcat', ['/proc/config.gz'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    return /^CONFIG_INET_ESP=[ym]/m.test(config);
  } catch {
    return true;
  }
}
const BACKEND: 'kernel' | 'libipsec' = (process.env.NEUTRINO_STRONGSWAN_IPSEC as 'kernel' | 'libipsec' | undefined) ?? (kernelEsp() ? 'kernel' : 'libipsec');
const EAST_CIDR = '10.61.0.0/24';
const WEST_CIDR = '10.62.0.0/24';

/**
 * Issue 11 (VPN half) on the real kernel: two routers on network1 with their gateways on the test
 * bed's external network, a tenant subnet and an instance behind each (compute1, compute2), a
 * site-to-site IPsec tunnel between them (one strongSwan per router in its qrouter- namespace).
 */
describeRoot('VPNaaS site-to-site on the namespace test bed', () => {
  let fx: SuiteFixture;
  let bed: TestbedFixture;
  let logs: (filter?: string) => void;
  let stop: () => Promise<void>;
  const site: Record<'east' | 'west', { router: any; subnet: any; gw: string; vm: ReturnType<TestbedFixture['instance']>; service: string; conn?: string }> = {} as never;
  let ike: string;
  let ipsec: string;
  const api = async (method: string, url: string, body?: unknown) => {
    const r = await fx.api(method, url, body);
    if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const ns = (s: 'east' | 'west') => `${bed.host('network1').netnsPrefix}qrouter-${site[s].router.id}`;
  const ipn = (s: 'east' | 'west', ...args: string[]) => execFileSync('ip', ['-n', ns(s), ...args], { encoding: 'utf8' });
  const swanctl = (s: 'east' | 'west') =>
    execFileSync('swanctl', ['--list-sas', '--uri', `unix://${fx.dataDir}/l3/network1/ipsec/${site[s].router.id}/run/charon.vici`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const connStatus = async (id: string) => (await api('GET', `${V}/ipsec-site-connections/${id}`)).ipsec_site_connection.status as string;
  const l3log = () => fs.readFileSync(`${bed.dir.dir}/logs/network1.l3-agent.log`, 'utf8');
  const connect = async (from: 'east' | 'west', psk = 'neutrino-s3cret') => {
    const to = from === 'east' ? 'west' : 'east';
    const c = (await api('POST', `${V}/ipsec-site-connections`, {
      ipsec_site_connection: {
        name: `${from}-to-${to}`, vpnservice_id: site[from].service, ikepolicy_id: ike, ipsecpolicy_id: ipsec,
        peer_address: site[to].gw, peer_id: site[to].gw, peer_cidrs: [site[to].subnet.cidr], psk,
      },
    })).ipsec_site_connection;
    expect(c.status).toBe('PENDING_CREATE');
    site[from].conn = c.id;
    return c.id as string;
  };

  beforeAll(async () => {
    if (BACKEND === 'libipsec') {
      console.warn('this kernel has no ESP (CONFIG_INET_ESP): the routers use strongSwan\'s libipsec');
      if (!fs.existsSync('/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so')) throw new Error('this kernel has no ESP and strongSwan\'s kernel-libipsec plugin is not installed: apt-get install libcharon-extra-plugins');
    }
    ({ fx, bed, logs, stop } = await startL3World(undefined, { NEUTRINO_STRONGSWAN_IPSEC: BACKEND }));
    await until('an alive L3 agent', async () => (await api('GET', '/v2.0/agents?agent_type=L3%20agent')).agents?.some((a: { alive: boolean }) => a.alive));
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).network;
    await api('POST', '/v2.0/subnets', {
      subnet: { network_id: ext.id, ip_version: 4, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.200' }] },
    });
    const sg = (await api('GET', '/v2.0/security-groups?name=default')).security_groups[0].id;
    for (const rule of [{ protocol: 'icmp' }, { protocol: 'tcp', port_range_min: 7000, port_range_max: 7000 }]) {
      await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', ...rule } });
    }
    ike = (await api('POST', `${V}/ikepolicies`, { ikepolicy: { name: 'ike1' } })).ikepolicy.id;
    ipsec = (await api('POST', `${V}/ipsecpolicies`, { ipsecpolicy: { name: 'ipsec1' } })).ipsecpolicy.id;
    for (const [s, cidr, host] of [['east', EAST_CIDR, 'compute1'], ['west', WEST_CIDR, 'compute2']] as const) {
      const net = (await api('POST', '/v2.0/networks', { network: { name: s } })).network;
      const subnet = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr, enable_dhcp: false } })).subnet;
      const router = (await api('POST', '/v2.0/routers', { router: { name: `r-${s}`, external_gateway_info: { network_id: ext.id } } })).router;
      await api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id });
      const vm = await bed.boot(`vm-${s}`, { networkId: net.id, host, dhcp: false });
      const service = (await api('POST', `${V}/vpnservices`, { vpnservice: { name: `vpn-${s}`, router_id: router.id, subnet_id: subnet.id } })).vpnservice;
      expect(service).toMatchObject({ status: 'PENDING_CREATE', external_v4_ip: router.external_gateway_info.external_fixed_ips[0].ip_address });
      site[s] = { router, subnet, gw: router.external_gateway_info.external_fixed_ips[0].ip_address, vm, service: service.id };
    }
    whoamiServer(site.west.vm.netns, '0.0.0.0', 7000, 'vm-west', 400);
    whoamiServer(site.east.vm.netns, '0.0.0.0', 7000, 'vm-east', 400);
  }, 180_000);

  afterAll(async () => {
    await stop?.();
  });

  /** On a failure: the l3-agent's and both charons' logs (and copies in VPN_DEBUG_DIR when set). */
  const fail = (what: string) => {
    logs('l3-agent');
    if (process.env.VPN_DEBUG_DIR) fs.copyFileSync(`${bed.dir.dir}/logs/network1.l3-agent.log`, `${process.env.VPN_DEBUG_DIR}/l3-agent.log`);
    for (const s of ['east', 'west'] as const) {
      const f = `${fx.dataDir}/l3/network1/ipsec/${site[s].router.id}/charon.log`;
      if (fs.existsSync(f)) console.error(`--- charon ${s}\n${fs.readFileSync(f, 'utf8').slice(-3000)}`);
      if (process.env.VPN_DEBUG_DIR && fs.existsSync(f)) fs.copyFileSync(f, `${process.env.VPN_DEBUG_DIR}/charon-${s}.log`);
    }
    return what;
  };

  it('a connection each way: both ACTIVE, the instances reach each other by fixed IP through the tunnel and see each other\'s own address', async () => {
    const east = await connect('east');
    const west = await connect('west');
    try {
      await until('both connections ACTIVE', async () => (await connStatus(east)) === 'ACTIVE' && (await connStatus(west)) === 'ACTIVE', 60_000);
    } catch (err) {
      throw new Error(fail((err as Error).message));
    }
    for (const s of ['east', 'west'] as const) expect((await api('GET', `${V}/vpnservices/${site[s].service}`)).vpnservice.status).toBe('ACTIVE');
    const listed = (await api('GET', `${V}/ipsec-site-connections`)).ipsec_site_connections;
    expect(listed.map((c: { status: string }) => c.status)).toEqual(['ACTIVE', 'ACTIVE']);
    if (process.env.VPN_DEBUG_DIR) {
      for (const x of ['east', 'west'] as const) {
        fs.copyFileSync(`${fx.dataDir}/l3/network1/ipsec/${site[x].router.id}/charon.log`, `${process.env.VPN_DEBUG_DIR}/charon-${x}.log`);
        fs.writeFileSync(`${process.env.VPN_DEBUG_DIR}/kernel-${x}.txt`, [ipn(x, 'route', 'show', 'table', '220'), ipn(x, 'rule'), ipn(x, 'link'), ipn(x, 'xfrm', 'policy'), ipn(x, 'xfrm', 'state'), swanctl(x)].join('\n----\n'));
      }
    }
    // the far side sees the instance's own address: the tunnel carries it, no SNAT to the router's gateway
    expect(await whoami(site.east.vm.netns, site.west.vm.fixedIps[0].ip_address, 7000)).toBe(`vm-west ${site.east.vm.fixedIps[0].ip_address}`);
    expect(await whoami(site.west.vm.netns, site.east.vm.fixedIps[0].ip_address, 7000)).toBe(`vm-east ${site.west.vm.fixedIps[0].ip_address}`);
    // and it is ESP between the two gateways: the SAs count the packets
    if (BACKEND === 'kernel') expect(ipn('east', 'xfrm', 'state')).toMatch(new RegExp(`src ${site.east.gw} dst ${site.west.gw}\\s+proto esp spi 0x[0-9a-f]+ reqid \\d+ mode tunnel`));
  });

  it('the router namespaces hold the spec\'s kernel state: XFRM policies (kernel ESP) or the ipsec0 device (libipsec), table-220 routes, the NAT exemption', async () => {
    for (const [s, o] of [['east', 'west'], ['west', 'east']] as const) {
      const local = site[s].subnet.cidr;
      const peer = site[o].subnet.cidr;
      const qr = site[s].subnet.gateway_ip;
      const dotted = (x: string) => x.replace(/\./g, '\\.');
      expect(ipn(s, 'rule')).toMatch(/^220:\s+from all lookup 220/m);
      if (BACKEND === 'kernel') {
        const policies = ipn(s, 'xfrm', 'policy');
        for (const [dir, src, dst, tsrc, tdst] of [['out', local, peer, site[s].gw, site[o].gw], ['in', peer, local, site[o].gw, site[s].gw], ['fwd', peer, local, site[o].gw, site[s].gw]]) {
          expect(policies).toMatch(new RegExp(`src ${src} dst ${dst}\\s*\\n\\s+dir ${dir} priority \\d+[^\\n]*\\n\\s+tmpl src ${tsrc} dst ${tdst}\\s*\\n\\s+proto esp reqid \\d+ mode tunnel`));
        }
        expect(ipn(s, 'route', 'show', 'table', '220')).toMatch(new RegExp(`^${dotted(peer)} via ${dotted(site[o].gw)} dev qg-[0-9a-f-]+ proto static src ${dotted(qr)}`, 'm'));
      } else {
        // userspace ESP: charon's TUN device carries the tunnel, the kernel has no IPsec state of it
        expect(ipn(s, 'link', 'show', 'ipsec0')).toMatch(/ipsec0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP>/);
        expect(ipn(s, 'route', 'show', 'table', '220')).toMatch(new RegExp(`^${dotted(peer)} dev ipsec0 proto static src ${dotted(qr)}`, 'm'));
        expect(ipn(s, 'xfrm', 'state')).toBe('');
      }
      // the NAT exemption ahead of the SNAT
      const post = execFileSync('ip', ['netns', 'exec', ns(s), 'iptables-save', '-t', 'nat'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('-A neutron-l3-agent-POSTROUTING'));
      expect(post[0]).toBe(`-A neutron-l3-agent-POSTROUTING -s ${local} -d ${peer} -m policy --dir out --pol ipsec -j ACCEPT`);
    }
  });

  it('an l3-agent restart during a ping through the tunnel loses no packet and applies zero changes; the statuses stay', async () => {
    const starts = () => l3log().match(/"reason":"start"[^\n]*/g) ?? [];
    const before = starts().length;
    const ping = bed.exec('vm-east', ['ping', '-c', '40', '-i', '0.2', '-W', '2', site.west.vm.fixedIps[0].ip_address], { timeoutMs: 30_000 });
    const agent = bed.agents.find((a) => a.host === 'network1' && a.name === 'l3-agent')!;
    const pid = agent.process.pid;
    const seq = (await api('GET', `${V}/ipsec-site-connections/${site.east.conn}`)).ipsec_site_connection;
    agent.process.signal('SIGTERM');
    await until('l3-agent restarted', async () => agent.process.pid !== pid && agent.process.running);
    const r = await ping;
    expect(r.stdout).toMatch(/40 packets transmitted, 40 received, 0% packet loss/);
    await until('the restarted agent reconciled', async () => starts().length > before, 20_000);
    expect(starts().at(-1)).toMatch(/"changes":0/);
    expect(await connStatus(site.east.conn!)).toBe('ACTIVE');
    expect(await connStatus(site.west.conn!)).toBe('ACTIVE');
    expect(seq.status).toBe('ACTIVE');
  });

  it('deleting a connection tears its tunnel down: the policies and SAs go, the far side goes DOWN', async () => {
    const id = site.east.conn!;
    await api('DELETE', `${V}/ipsec-site-connections/${id}`);
    expect((await fx.api('GET', `${V}/ipsec-site-connections/${id}`)).status).toBe(404);
    const local = site.east.subnet.cidr;
    const peer = site.west.subnet.cidr;
    await until('east\'s policies gone', async () => !ipn('east', 'xfrm', 'policy').includes(`src ${local} dst ${peer}`), 20_000);
    await until('east\'s SAs gone', async () => !ipn('east', 'xfrm', 'state').includes('proto esp') && !(swanctl('east').includes(id)), 20_000);
    await until('east\'s route to the peer gone', async () => !ipn('east', 'route', 'show', 'table', '220').includes(peer), 20_000);
    await until('west DOWN', async () => (await connStatus(site.west.conn!)) === 'DOWN', 40_000);
    expect(await whoami(site.east.vm.netns, site.west.vm.fixedIps[0].ip_address, 7000)).not.toBe(`vm-west ${site.east.vm.fixedIps[0].ip_address}`);
  });

  it('a wrong PSK on one side leaves both DOWN, never ACTIVE, with the reason in the l3-agent\'s log', async () => {
    const id = await connect('east', 'not-the-key');
    const west = site.west.conn!;
    await until('east DOWN', async () => (await connStatus(id)) === 'DOWN', 30_000);
    // charon on both sides tries (both are bi-directional, brought up again after 1, 2, 4 … s): neither ever gets ACTIVE
    const deadline = Date.now() + 25_000;
    while (Date.now() < deadline) {
      expect(await connStatus(id)).toBe('DOWN');
      expect(await connStatus(west)).toBe('DOWN');
      await new Promise((r) => setTimeout(r, 500));
    }
    // the reason is in the agent's log (from charon's: the responder cannot decrypt what a wrong key encrypted)
    const said = (c: string) => l3log().split('\n').filter((l) => l.includes(`IPsec site connection ${c} is DOWN:`)).map((l) => JSON.parse(l).reason as string);
    expect(said(id).length).toBeGreaterThan(0);
    expect(said(west).length).toBeGreaterThan(0);
    expect([...said(id), ...said(west)].join('\n')).toMatch(/parsing failed|decrypt|retransmit|giving up|AUTHENTICATION_FAILED/);
    expect(ipn('east', 'xfrm', 'state')).not.toContain('proto esp');
  });
});
