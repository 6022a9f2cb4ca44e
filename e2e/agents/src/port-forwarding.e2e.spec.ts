import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { TestbedFixture, testbedSkipReason } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';
import { until } from './agents-fixture';
import { startL3World, whoami } from './l3-world';

const skip = testbedSkipReason();
if (skip) console.warn(`port forwarding end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;

/**
 * Issue 13 on the real kernel: a floating IP's port 2222 forwarded to an instance's port 22
 * through its router (Neutron's l3 agent port_forwarding extension's chains), reachable from the
 * internet while the forwarding stands, not after; an l3-agent restart changes nothing.
 */
describeRoot('floating IP port forwarding on the namespace test bed', () => {
  let fx: SuiteFixture;
  let bed: TestbedFixture;
  let stop: () => Promise<void>;
  let logs: (filter?: string) => void;
  let router: any;
  let fip: any;
  let vm: ReturnType<TestbedFixture['instance']>;
  const servers: ChildProcess[] = [];
  const vmIp = () => vm.fixedIps[0].ip_address;
  const api = (method: string, url: string, body?: unknown) => fx.api(method, url, body);
  const qrouter = () => `${bed.host('network1').netnsPrefix}qrouter-${router.id}`;
  const nat = () => execFileSync('ip', ['netns', 'exec', qrouter(), 'iptables-save', '-t', 'nat'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('-A'));
  const pfRules = () => nat().filter((l) => /fip-pf|neutron-l3-agent-pf-/.test(l));
  const gatewayAddresses = () => execFileSync('ip', ['netns', 'exec', qrouter(), 'ip', '-4', '-o', 'addr', 'show'], { encoding: 'utf8' });
  /** A TCP server in a namespace answering `<name> <peer>`; killed by its PID at the end. */
  const serve = (netns: string, port: number, name: string) => {
    const code = `
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', ${port})); s.listen(16)
while True:
    c, a = s.accept()
    try: c.sendall(('${name} ' + a[0] + '\\n').encode())
    finally: c.close()
`;
    servers.push(spawn('ip', ['netns', 'exec', netns, 'timeout', '300', 'python3', '-c', code], { stdio: 'ignore' }));
  };

  beforeAll(async () => {
    ({ fx, bed, stop, logs } = await startL3World());
    await until('an alive L3 agent', async () => (await api('GET', '/v2.0/agents?agent_type=L3%20agent')).body.agents?.some((a: { alive: boolean }) => a.alive), 60_000);
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).body.network;
    await api('POST', '/v2.0/subnets', {
      subnet: { network_id: ext.id, ip_version: 4, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.200' }] },
    });
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'pf-tenant' } })).body.network;
    const subnet = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.45.0.0/24', enable_dhcp: false } })).body.subnet;
    router = (await api('POST', '/v2.0/routers', { router: { name: 'pf-r', external_gateway_info: { network_id: ext.id } } })).body.router;
    expect((await api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id })).status).toBe(200);
    const sg = (await api('GET', '/v2.0/security-groups?name=default')).body.security_groups[0].id;
    await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 25 } });
    vm = await bed.boot('vm1', { networkId: net.id, host: 'compute1', dhcp: false });
    fip = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } })).body.floatingip;
    serve(vm.netns, 22, 'vm1');
  }, 180_000);
  afterAll(async () => {
    for (const s of servers) if (s.pid && s.exitCode === null) process.kill(s.pid, 'SIGKILL');
    await stop?.();
  });

  it('forwards the floating IP\'s port 2222 to the instance\'s port 22, in Neutron\'s chains', async () => {
    expect(await whoami(bed.plan.internet.netns, fip.floating_ip_address, 2222)).toBe('');
    const made = await api('POST', `/v2.0/floatingips/${fip.id}/port_forwardings`, {
      port_forwarding: { protocol: 'tcp', internal_ip_address: vmIp(), internal_port: 22, external_port: 2222, internal_port_id: vm.portId },
    });
    expect(made.status).toBe(201);
    const pf = made.body.port_forwarding;
    const seen = await until('the forwarded port from the internet', async () => (await whoami(bed.plan.internet.netns, fip.floating_ip_address, 2222)) || undefined, 30_000).catch((e) => {
      logs('l3-agent');
      throw e;
    });
    // DNAT only: the instance sees the internet's own address
    expect(seen).toBe('vm1 203.0.113.1');
    // the golden form (port_forwarding.py: _install_default_rules, _get_fip_rules)
    const chain = `neutron-l3-agent-pf-${pf.id.slice(0, 8)}`;
    expect(pfRules()).toEqual([
      '-A neutron-l3-agent-PREROUTING -j neutron-l3-agent-fip-pf',
      `-A neutron-l3-agent-fip-pf -j ${chain}`,
      `-A ${chain} -d ${fip.floating_ip_address}/32 -p tcp -m tcp --dport 2222 -j DNAT --to-destination ${vmIp()}:22`,
    ]);
    expect(gatewayAddresses()).toContain(`${fip.floating_ip_address}/32`);
    // only the forwarded port: the instance's port 22 is not the floating IP's
    expect(await whoami(bed.plan.internet.netns, fip.floating_ip_address, 22)).toBe('');
    await until('floating IP ACTIVE', async () => (await api('GET', `/v2.0/floatingips/${fip.id}`)).body.floatingip.status === 'ACTIVE', 20_000);
  });

  it('forwards an N-N port range with Neutron\'s offset mapping (3024:3025 → 24:25, so 3024 reaches 24)', async () => {
    serve(vm.netns, 24, 'vm1:24');
    const made = await api('POST', `/v2.0/floatingips/${fip.id}/port_forwardings`, {
      port_forwarding: { protocol: 'tcp', internal_ip_address: vmIp(), internal_port_range: '24:25', external_port_range: '3024:3025', internal_port_id: vm.portId },
    });
    expect(made.status).toBe(201);
    const chain = `neutron-l3-agent-pf-${made.body.port_forwarding.id.slice(0, 8)}`;
    await until('the range forwarded', async () => (await whoami(bed.plan.internet.netns, fip.floating_ip_address, 3024)) === 'vm1:24 203.0.113.1', 30_000);
    expect(pfRules()).toContain(`-A ${chain} -d ${fip.floating_ip_address}/32 -p tcp -m tcp --dport 3024:3025 -j DNAT --to-destination ${vmIp()}:24-25/3024`);
    expect((await api('DELETE', `/v2.0/floatingips/${fip.id}/port_forwardings/${made.body.port_forwarding.id}`)).status).toBe(204);
    await until('the range chain gone', async () => !pfRules().some((l) => l.includes(chain)), 15_000);
  });

  it('restarting the l3-agent changes nothing and the forwarding keeps working', async () => {
    const l3 = bed.agents.find((a) => a.host === 'network1' && a.name === 'l3-agent')!;
    const l3Log = `${bed.dir.dir}/logs/network1.l3-agent.log`;
    const logAt = fs.readFileSync(l3Log, 'utf8').length;
    const before = l3.process.pid;
    l3.process.signal('SIGTERM');
    await until('l3-agent restarted', async () => l3.process.pid !== before && l3.process.running, 30_000);
    const start = await until('the restarted l3-agent reconciled', async () => fs.readFileSync(l3Log, 'utf8').slice(logAt).split('\n').find((l) => l.includes('"reason":"start"')), 30_000);
    expect(start).toContain('"changes":0');
    expect(await whoami(bed.plan.internet.netns, fip.floating_ip_address, 2222)).toBe('vm1 203.0.113.1');
  });

  it('an update moves the external port; after the delete the port is closed and the chains are gone', async () => {
    const [pf] = (await api('GET', `/v2.0/floatingips/${fip.id}/port_forwardings`)).body.port_forwardings;
    expect((await api('PUT', `/v2.0/floatingips/${fip.id}/port_forwardings/${pf.id}`, { port_forwarding: { external_port: 2200 } })).status).toBe(200);
    await until('the new external port', async () => (await whoami(bed.plan.internet.netns, fip.floating_ip_address, 2200)) === 'vm1 203.0.113.1', 30_000);
    expect(await whoami(bed.plan.internet.netns, fip.floating_ip_address, 2222)).toBe('');
    expect((await api('DELETE', `/v2.0/floatingips/${fip.id}/port_forwardings/${pf.id}`)).status).toBe(204);
    await until('closed after the delete', async () => (await whoami(bed.plan.internet.netns, fip.floating_ip_address, 2200)) === '', 30_000);
    await until('the chains gone', async () => pfRules().length === 0, 15_000);
    expect(gatewayAddresses()).not.toContain(`${fip.floating_ip_address}/32`);
    expect((await api('GET', `/v2.0/floatingips/${fip.id}`)).body.floatingip.router_id).toBeNull();
  });
});
