import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { TestbedFixture, suiteAgents, testbedSkipReason, type HostInfo } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';
import { until } from './agents-fixture';
import { heldFrom, whoami, whoamiServer } from './l3-world';
import { serveTcp } from './tcp-probe';

const skip = testbedSkipReason();
if (skip) console.warn(`FWaaS end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;

/**
 * Issue 11 (firewall half) on the real kernel: a firewall group on a router's interface, the
 * fwaas-agent beside the l3-agent on network1, the internet namespace reaching an instance's
 * floating IP through the router's chains.
 */
describeRoot('FWaaS v2 on the namespace test bed', () => {
  let fx: SuiteFixture;
  let bed: TestbedFixture;
  let router: any;
  let fip: string;
  let iface: string;
  let vm1: ReturnType<TestbedFixture['instance']>;
  const api = async (method: string, url: string, body?: unknown) => {
    const r = await fx.api(method, url, body);
    if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const internet = () => bed.plan.internet.netns;
  const reach = (port: number) => whoami(internet(), fip, port);
  const qrouter = () => `${bed.plan.hosts.find((h) => h.name === 'network1')!.netnsPrefix}qrouter-${router.id}`;
  const filterRules = () => execFileSync('ip', ['netns', 'exec', qrouter(), 'iptables-save', '-t', 'filter'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('-A'));
  const firewallLines = () => filterRules().filter((l) => l.includes('iv4') || l.includes('ov4') || l.includes('fwaas-defau'));
  /** spec/fwaas.md §5: a firewall whose one policy allows TCP 80, on `dev` (its port's qr-, or v1's qr-+ for every interface) */
  const golden80 = (id: string, dev: string) => {
    const [i, o] = [`neutron-l3-agent-iv4${id.slice(0, 8)}`, `neutron-l3-agent-ov4${id.slice(0, 8)}`];
    return [
      `-A neutron-l3-agent-FORWARD -o ${dev} -j ${i}`, `-A neutron-l3-agent-FORWARD -i ${dev} -j ${o}`,
      `-A neutron-l3-agent-FORWARD -o ${dev} -j neutron-l3-agent-fwaas-defau`, `-A neutron-l3-agent-FORWARD -i ${dev} -j neutron-l3-agent-fwaas-defau`,
      '-A neutron-l3-agent-fwaas-defau -j DROP',
      ...[i, o].flatMap((c) => [`-A ${c} -m state --state INVALID -j DROP`, `-A ${c} -m state --state RELATED,ESTABLISHED -j ACCEPT`, `-A ${c} -p tcp -m tcp --dport 80 -j ACCEPT`]),
    ];
  };
  const active = (g: string) => until(`group ${g} ACTIVE`, async () => (await api('GET', `/v2.0/fwaas/firewall_groups/${g}`)).firewall_group.status === 'ACTIVE', 20_000);
  const rule = async (body: object) => (await api('POST', '/v2.0/fwaas/firewall_rules', { firewall_rule: { protocol: 'tcp', action: 'allow', ...body } })).firewall_rule.id as string;

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    const perHost = (h: HostInfo) => (h.network ? ['l2-agent', 'l3-agent', 'fwaas-agent'] : ['l2-agent']);
    bed = await TestbedFixture.create({
      apiUrl: fx.suite.apiUrl,
      agents: suiteAgents(fx.nats.url, fx.dataDir, perHost, { NEUTRINO_LOG_LEVEL: 'info', NEUTRINO_AGENT_RESYNC_INTERVAL_MS: '2000' }),
    });
    await until('an alive L3 agent', async () => (await api('GET', '/v2.0/agents?agent_type=L3%20agent')).agents?.some((a: { alive: boolean }) => a.alive));
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).network;
    await api('POST', '/v2.0/subnets', {
      subnet: { network_id: ext.id, ip_version: 4, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.200' }] },
    });
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'tenant' } })).network;
    const subnet = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.44.0.0/24', enable_dhcp: false } })).subnet;
    router = (await api('POST', '/v2.0/routers', { router: { name: 'r1', external_gateway_info: { network_id: ext.id } } })).router;
    iface = (await api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id })).port_id;
    const sg = (await api('GET', '/v2.0/security-groups?name=default')).security_groups[0].id;
    for (const port of [80, 81, 8080]) {
      await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: port, port_range_max: port } });
    }
    await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'icmp' } });
    vm1 = await bed.boot('vm1', { networkId: net.id, host: 'compute1', dhcp: false });
    fip = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm1.portId } })).floatingip.floating_ip_address;
    whoamiServer(vm1.netns, '0.0.0.0', 80, 'vm1', 400);
    whoamiServer(vm1.netns, '0.0.0.0', 81, 'vm1', 400);
    whoamiServer(vm1.netns, '0.0.0.0', 82, 'vm1', 400);
    serveTcp(bed, 'vm1', 8080, 400);
    await until('the floating IP from the internet', async () => (await reach(80)) || undefined, 40_000);
  }, 180_000);
  afterAll(async () => {
    await bed?.dispose();
    await fx?.stop();
  });

  let group: string;
  let allow80: string;
  let policy: string;

  it('with an allow rule for TCP 80 only 80 passes; security groups keep working beside it; the chains are the golden form', async () => {
    expect(await reach(81)).toBe('vm1 203.0.113.1');
    expect(await reach(82)).toBe(''); // the security group has no rule for 82
    allow80 = await rule({ destination_port: '80' });
    policy = (await api('POST', '/v2.0/fwaas/firewall_policies', { firewall_policy: { name: 'web', firewall_rules: [allow80] } })).firewall_policy.id;
    group = (await api('POST', '/v2.0/fwaas/firewall_groups', { firewall_group: { name: 'edge', ingress_firewall_policy_id: policy, egress_firewall_policy_id: policy, ports: [iface] } })).firewall_group.id;
    await active(group);
    expect(await reach(80)).toBe('vm1 203.0.113.1');
    expect(await reach(81)).toBe('');
    expect(await reach(82)).toBe('');
    expect(firewallLines()).toEqual(golden80(group, `qr-${iface.slice(0, 11)}`));
    // the l3-agent's own rules stay beside them
    expect(filterRules()).toContain('-A FORWARD -j neutron-l3-agent-FORWARD');
    expect(filterRules()).toContain('-A neutron-filter-top -j neutron-l3-agent-local');
  });

  it('a deny inserted before the allow blocks; a disabled one has no effect; removing it restores', async () => {
    const deny = await rule({ destination_port: '80', action: 'deny', enabled: false });
    await api('PUT', `/v2.0/fwaas/firewall_policies/${policy}/insert_rule`, { firewall_rule_id: deny, insert_before: allow80 });
    await active(group);
    expect(await reach(80)).toBe('vm1 203.0.113.1');
    await api('PUT', `/v2.0/fwaas/firewall_rules/${deny}`, { firewall_rule: { enabled: true } });
    await until('80 blocked by the deny', async () => (await reach(80)) === '', 15_000);
    await api('PUT', `/v2.0/fwaas/firewall_policies/${policy}/remove_rule`, { firewall_rule_id: deny });
    await until('80 allowed again', async () => (await reach(80)) === 'vm1 203.0.113.1', 15_000);
  });

  it('an established connection is cut when its allowing rule goes', async () => {
    const allow8080 = await rule({ destination_port: '8080' });
    await api('PUT', `/v2.0/fwaas/firewall_policies/${policy}/insert_rule`, { firewall_rule_id: allow8080, insert_after: allow80 });
    await active(group);
    const held = heldFrom(internet(), fip, 8080);
    try {
      expect(await held.connected()).toBe(true);
      expect(await held.roundTrip()).toBe(true);
      await api('PUT', `/v2.0/fwaas/firewall_policies/${policy}/remove_rule`, { firewall_rule_id: allow8080 });
      await active(group);
      expect(await held.roundTrip()).toBe(false);
    } finally {
      held.close();
    }
  });

  it('restarting the fwaas-agent, then the l3-agent, during a ping loses nothing and applies zero changes', async () => {
    const icmp = await rule({ protocol: 'icmp' });
    await api('PUT', `/v2.0/fwaas/firewall_policies/${policy}/insert_rule`, { firewall_rule_id: icmp });
    await active(group);
    await until('ping through the firewall', async () => (await bed.execInternet(['ping', '-c', '1', '-W', '1', fip])).code === 0, 15_000);
    const ping = bed.execInternet(['ping', '-c', '30', '-i', '0.2', '-W', '2', fip], { timeoutMs: 30_000 });
    const agent = bed.agents.find((a) => a.host === 'network1' && a.name === 'fwaas-agent')!;
    const before = agent.process.pid;
    agent.process.signal('SIGTERM');
    await until('fwaas-agent restarted', async () => agent.process.pid !== before && agent.process.running);
    const r = await ping;
    expect(r.stdout).toMatch(/30 packets transmitted, 30 received, 0% packet loss/);
    await until('the restarted agent reconciled', async () => /"reason":"start","changes":0/.test(fs.readFileSync(`${bed.dir.dir}/logs/network1.fwaas-agent.log`, 'utf8')), 15_000);

    // and the l3-agent beside it: its resync leaves the firewall's chains alone, its restart changes nothing
    const chains = filterRules().filter((l) => l.includes('iv4') || l.includes('ov4') || l.includes('fwaas-defau'));
    const l3 = bed.agents.find((a) => a.host === 'network1' && a.name === 'l3-agent')!;
    const l3Log = `${bed.dir.dir}/logs/network1.l3-agent.log`;
    const logAt = fs.statSync(l3Log).size;
    const ping2 = bed.execInternet(['ping', '-c', '30', '-i', '0.2', '-W', '2', fip], { timeoutMs: 30_000 });
    const l3Before = l3.process.pid;
    l3.process.signal('SIGTERM');
    await until('l3-agent restarted', async () => l3.process.pid !== l3Before && l3.process.running);
    expect((await ping2).stdout).toMatch(/30 packets transmitted, 30 received, 0% packet loss/);
    const start = await until('the restarted l3-agent reconciled', async () => fs.readFileSync(l3Log, 'utf8').slice(logAt).split('\n').find((l) => l.includes('"reason":"start"')), 15_000);
    expect(JSON.parse(start).changes).toBe(0);
    expect(filterRules().filter((l) => l.includes('iv4') || l.includes('ov4') || l.includes('fwaas-defau'))).toEqual(chains);
  });

  it('admin-down keeps the default drop; an empty policy drops everything forwarded; removing the group restores plain routing', async () => {
    await api('PUT', `/v2.0/fwaas/firewall_groups/${group}`, { firewall_group: { admin_state_up: false } });
    await until('admin-down drops 80', async () => (await reach(80)) === '', 15_000);
    expect(filterRules().some((l) => l.includes('iv4'))).toBe(false);
    const empty = (await api('POST', '/v2.0/fwaas/firewall_policies', { firewall_policy: { name: 'empty' } })).firewall_policy.id;
    await api('PUT', `/v2.0/fwaas/firewall_groups/${group}`, { firewall_group: { admin_state_up: true, ingress_firewall_policy_id: empty, egress_firewall_policy_id: empty } });
    await active(group);
    expect(await reach(80)).toBe('');
    expect((await bed.execInternet(['ping', '-c', '1', '-W', '1', fip])).code).not.toBe(0);
    await api('DELETE', `/v2.0/fwaas/firewall_groups/${group}`);
    await until('plain routing again', async () => (await reach(81)) === 'vm1 203.0.113.1', 15_000);
    expect(await reach(80)).toBe('vm1 203.0.113.1');
    expect(filterRules().filter((l) => l.includes('fwaas') || l.includes('iv4') || l.includes('ov4'))).toEqual([]);
  });

  it('v1 (/v2.0/fw): a firewall on the router filters every qr- interface with the seed\'s golden chains; insert_before a deny blocks; deleting it restores routing', async () => {
    const v1 = async (method: string, url: string, body?: unknown) => api(method, `/v2.0/fw${url}`, body);
    const allow = (await v1('POST', '/firewall_rules', { firewall_rule: { protocol: 'tcp', destination_port: '80', action: 'allow' } })).firewall_rule.id;
    const pol = (await v1('POST', '/firewall_policies', { firewall_policy: { name: 'v1-web', firewall_rules: [allow] } })).firewall_policy.id;
    const fw = (await v1('POST', '/firewalls', { firewall: { name: 'v1', firewall_policy_id: pol, router_ids: [router.id] } })).firewall.id;
    await until('v1 firewall ACTIVE', async () => (await v1('GET', `/firewalls/${fw}`)).firewall.status === 'ACTIVE', 20_000);
    expect(await reach(80)).toBe('vm1 203.0.113.1');
    expect(await reach(81)).toBe('');
    expect(firewallLines()).toEqual(golden80(fw, 'qr-+'));
    const deny = (await v1('POST', '/firewall_rules', { firewall_rule: { protocol: 'tcp', destination_port: '80', action: 'deny' } })).firewall_rule.id;
    await v1('PUT', `/firewall_policies/${pol}/insert_rule`, { firewall_rule_id: deny, insert_before: allow });
    await until('80 blocked by the v1 deny', async () => (await reach(80)) === '', 15_000);
    await v1('DELETE', `/firewalls/${fw}`);
    await until('plain routing after the v1 firewall', async () => (await reach(81)) === 'vm1 203.0.113.1', 15_000);
    expect(await reach(80)).toBe('vm1 203.0.113.1');
    expect(filterRules().filter((l) => l.includes('fwaas') || l.includes('iv4') || l.includes('ov4'))).toEqual([]);
  });
});
