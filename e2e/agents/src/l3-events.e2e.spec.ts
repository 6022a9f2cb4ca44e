import { randomUUID } from 'node:crypto';
import { testbedSkipReason } from '@neutrino/testbed';
import { until } from './agents-fixture';
import { heldFrom, startL3World, whoami, whoamiServer } from './l3-world';
import { serveTcp } from './tcp-probe';

const skip = testbedSkipReason();
if (skip) console.warn(`l3 end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;

/**
 * Issue 5, done-when 1, 2, 5 on the namespace test bed, with the routers and
 * floating IPs appended to the log as the API will append them (networks,
 * subnets and ports go through the API): a legacy router on network1.
 */
describeRoot('l3-agent on the namespace test bed (router events from the log)', () => {
  let w: Awaited<ReturnType<typeof startL3World>>;
  const ROUTER = randomUUID();
  const FIP = randomUUID();
  const FIP_IP = '203.0.113.50';
  const GW_IP = '203.0.113.10';
  const REMOTE = '198.51.100.1';
  const ids: Record<string, string> = {};
  const figures: Record<string, number> = {};
  let gwInfo: Record<string, unknown>;

  const append = (aggregate: string, id: string, type: string, data: unknown) =>
    w.fx.store.append([{ type, aggregate: { type: aggregate, id }, actor: { user_id: 'e2e', project_id: 'admin', roles: ['admin'] }, request_id: null, causation_id: null, data }]);
  const qrouter = () => `${w.bed.host('network1').netnsPrefix}qrouter-${ROUTER}`;
  const netns = (vm: string) => w.bed.instance(vm).netns;
  const ip = (vm: string) => w.bed.instance(vm).fixedIps[0].ip_address;
  const internet = () => w.bed.plan.internet.netns;
  const inRouter = (argv: string[]) => w.bed.execHost('network1', ['ip', 'netns', 'exec', qrouter(), ...argv]);
  const fipStatus = async () => {
    const evs = await w.fx.store.readSubject(`evt.floatingip.${FIP}`);
    return evs.map((e) => (e.data as { changes?: { status?: string } }).changes?.status).filter(Boolean).pop();
  };

  beforeAll(async () => {
    w = await startL3World();
    const post = async (kind: string, body: Record<string, unknown>) => {
      const r = await w.fx.api('POST', `/v2.0/${kind}s`, { [kind]: body });
      if (r.status !== 201) throw new Error(`POST ${kind}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body[kind];
    };
    const ext = await post('network', { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' });
    const extSub = await post('subnet', { network_id: ext.id, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', ip_version: 4, enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.199' }] });
    const a = await post('network', { name: 'tenant-a' });
    const subA = await post('subnet', { network_id: a.id, cidr: '10.10.1.0/24', ip_version: 4, enable_dhcp: false });
    const b = await post('network', { name: 'tenant-b' });
    const subB = await post('subnet', { network_id: b.id, cidr: '10.10.2.0/24', ip_version: 4, enable_dhcp: false });
    Object.assign(ids, { ext: ext.id, extSub: extSub.id, a: a.id, b: b.id });
    const routerPort = (network: string, subnet: string, ipAddress: string, owner: string) =>
      post('port', { network_id: network, device_owner: owner, device_id: ROUTER, 'binding:host_id': 'network1', fixed_ips: [{ subnet_id: subnet, ip_address: ipAddress }] });
    const gw = await routerPort(ext.id, extSub.id, GW_IP, 'network:router_gateway');
    const ifA = await routerPort(a.id, subA.id, '10.10.1.1', 'network:router_interface');
    const ifB = await routerPort(b.id, subB.id, '10.10.2.1', 'network:router_interface');
    Object.assign(ids, { gw: gw.id, ifA: ifA.id, ifB: ifB.id });
    gwInfo = { network_id: ext.id, enable_snat: true, external_fixed_ips: [{ subnet_id: extSub.id, ip_address: GW_IP }] };
    await append('router', ROUTER, 'router.created', {
      router: { id: ROUTER, name: 'r1', description: '', tenant_id: 'admin', project_id: 'admin', admin_state_up: true, status: 'ACTIVE', external_gateway_info: gwInfo, routes: [], distributed: false, ha: false, tags: [] },
    });
    await append('router', ROUTER, 'router.scheduled', { router_id: ROUTER, hosts: ['network1'] });
    const boot = (name: string, network: string, host: string) => w.bed.boot(name, { networkId: network, host, dhcp: false, port: { port_security_enabled: false } });
    await boot('vm1', a.id, 'compute1');
    await boot('vm2', a.id, 'compute2');
    await boot('vm3', b.id, 'compute1');
    whoamiServer(internet(), REMOTE, 8080, 'internet');
    for (const vm of ['vm1', 'vm2', 'vm3']) {
      whoamiServer(netns(vm), '0.0.0.0', 7000, vm);
      serveTcp(w.bed, vm, 7001, 170);
    }
  }, 120_000);
  afterAll(async () => {
    console.log(`l3 figures (ms): ${JSON.stringify(figures)}`);
    await w?.stop();
  });

  it('wires the router: its ports ACTIVE, an instance reaches the internet namespace, which sees the gateway address (SNAT)', async () => {
    const t0 = Date.now();
    await until('router ports ACTIVE', async () => {
      const ports = await Promise.all([ids.gw, ids.ifA, ids.ifB].map(async (id) => (await w.fx.api('GET', `/v2.0/ports/${id}`)).body.port));
      return ports.every((p) => p.status === 'ACTIVE');
    }, 30_000).catch((err) => (w.logs('network1'), Promise.reject(err)));
    const seen = await until('vm1 reaches the internet', async () => (await whoami(netns('vm1'), REMOTE, 8080)) || undefined, 30_000);
    figures['router → reachable'] = Date.now() - t0;
    expect(seen).toBe(`internet ${GW_IP}`);
    const addr = (await inRouter(['ip', '-o', '-4', 'addr'])).stdout;
    expect(addr).toMatch(new RegExp(`inet ${GW_IP.replace(/\./g, '\\.')}/24 brd 203\\.0\\.113\\.255 scope global qg-${ids.gw.slice(0, 11)}`));
    expect(addr).toContain(`inet 10.10.1.1/24 brd 10.10.1.255 scope global qr-${ids.ifA.slice(0, 11)}`);
    expect((await inRouter(['ip', 'route', 'show', 'default'])).stdout).toContain(`default via 203.0.113.1 dev qg-${ids.gw.slice(0, 11)}`);
    expect((await inRouter(['sysctl', '-n', 'net.ipv4.ip_forward'])).stdout.trim()).toBe('1');
  });

  it('routes between two tenant subnets of the router without NAT', async () => {
    expect((await w.bed.exec('vm1', ['ping', '-c', '3', '-i', '0.2', '-W', '2', ip('vm3')])).stdout).toMatch(/3 received/);
    expect(await whoami(netns('vm1'), ip('vm3'), 7000)).toBe(`vm3 ${ip('vm1')}`);
  });

  it('a floating IP makes the instance reachable from the internet, which sees the floating IP as its source; status ACTIVE', async () => {
    const t0 = Date.now();
    await append('floatingip', FIP, 'floatingip.created', {
      floatingip: { id: FIP, description: '', tenant_id: 'admin', project_id: 'admin', floating_network_id: ids.ext, floating_ip_address: FIP_IP, port_id: w.bed.instance('vm1').portId, fixed_ip_address: ip('vm1'), router_id: ROUTER, status: 'DOWN', tags: [] },
    });
    const seen = await until('the floating IP reaches vm1', async () => (await whoami(internet(), FIP_IP, 7000)) || undefined);
    figures['floating IP associate → reachable'] = Date.now() - t0;
    expect(seen).toBe('vm1 203.0.113.1');
    expect(await whoami(netns('vm1'), REMOTE, 8080)).toBe(`internet ${FIP_IP}`);
    expect(await whoami(netns('vm2'), REMOTE, 8080)).toBe(`internet ${GW_IP}`); // its neighbour still leaves by the router's address
    await until('floating IP ACTIVE', async () => (await fipStatus()) === 'ACTIVE');
    const nat = (await inRouter(['iptables-save', '-t', 'nat'])).stdout;
    expect(nat).toContain(`-A neutron-l3-agent-PREROUTING -d ${FIP_IP}/32 -j DNAT --to-destination ${ip('vm1')}`);
    expect(nat).toContain(`-A neutron-l3-agent-float-snat -s ${ip('vm1')}/32 -j SNAT --to-source ${FIP_IP}`);
  });

  it('moving the floating IP moves the traffic (and ends the old connection); disassociating ends it, an open connection too', async () => {
    const held = heldFrom(internet(), FIP_IP, 7001);
    expect(await held.connected()).toBe(true);
    expect(await held.roundTrip()).toBe(true);
    const t0 = Date.now();
    await append('floatingip', FIP, 'floatingip.updated', { changes: { port_id: w.bed.instance('vm2').portId, fixed_ip_address: ip('vm2') } });
    await until('the floating IP reaches vm2', async () => (await whoami(internet(), FIP_IP, 7000)).startsWith('vm2'));
    figures['floating IP move → reachable'] = Date.now() - t0;
    expect(await whoami(netns('vm2'), REMOTE, 8080)).toBe(`internet ${FIP_IP}`);
    expect(await held.roundTrip()).toBe(false);
    held.close();

    const held2 = heldFrom(internet(), FIP_IP, 7001);
    expect(await held2.connected()).toBe(true);
    expect(await held2.roundTrip()).toBe(true);
    await append('floatingip', FIP, 'floatingip.updated', { changes: { port_id: null, fixed_ip_address: null, router_id: null } });
    await until('the floating IP is gone', async () => (await whoami(internet(), FIP_IP, 7000)) === '');
    expect(await held2.roundTrip()).toBe(false);
    held2.close();
    await until('floating IP DOWN', async () => (await fipStatus()) === 'DOWN');
    expect((await inRouter(['ip', '-o', '-4', 'addr'])).stdout).not.toContain(FIP_IP);
  });

  it('enable_snat=false stops SNAT (the internet cannot answer a tenant address); true brings it back', async () => {
    await append('router', ROUTER, 'router.updated', { changes: { external_gateway_info: { ...gwInfo, enable_snat: false } } });
    await until('SNAT off', async () => (await whoami(netns('vm1'), REMOTE, 8080)) === '');
    const snat = (await inRouter(['iptables-save', '-t', 'nat'])).stdout.split('\n').filter((l) => l.startsWith('-A neutron-l3-agent-snat'));
    expect(snat).toEqual(['-A neutron-l3-agent-snat -j neutron-l3-agent-float-snat']);
    await append('router', ROUTER, 'router.updated', { changes: { external_gateway_info: gwInfo } });
    expect(await until('SNAT on', async () => (await whoami(netns('vm1'), REMOTE, 8080)) || undefined)).toBe(`internet ${GW_IP}`);
  });

  it('restarting the l3-agent with traffic flowing loses no packet and applies zero changes', async () => {
    const agent = w.bed.agents.find((a) => a.host === 'network1' && a.name === 'l3-agent')!;
    const ping = w.bed.exec('vm1', ['ping', '-c', '40', '-i', '0.1', '-W', '1', REMOTE], { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 500));
    const before = agent.process.pid;
    agent.process.signal('SIGTERM');
    await until('l3-agent restarted', async () => agent.process.pid !== before && agent.process.running);
    const logFile = `${w.bed.dir.dir}/logs/network1.l3-agent.log`;
    const fs = await import('node:fs');
    const startLine = await until('the restarted agent reconciled', async () => {
      const lines = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('"reason":"start"'));
      return lines.length >= 2 && lines[lines.length - 1];
    });
    expect(JSON.parse(startLine.replace(/^! /, ''))).toMatchObject({ changes: 0 });
    expect((await ping).stdout).toMatch(/40 received/);
  });

  it('deleting the router removes its namespace, devices and rules', async () => {
    const ns = qrouter();
    await append('router', ROUTER, 'router.deleted', { router_id: ROUTER });
    await until('qrouter- gone', async () => !(await w.bed.execHost('network1', ['ip', 'netns', 'list'])).stdout.includes(ns));
    for (const id of [ids.gw, ids.ifA, ids.ifB]) {
      expect((await w.bed.execHost('network1', ['ip', 'link', 'show', `tap${id.slice(0, 11)}`])).code).not.toBe(0);
    }
    expect((await w.bed.execHost('network1', ['iptables-save'])).stdout).not.toContain('neutron-l3-agent');
  });
});
