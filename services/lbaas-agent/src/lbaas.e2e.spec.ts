import { randomUUID } from 'node:crypto';
import { listNetns, suiteAgents, testbedSkipReason, which, TestbedFixture } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';
import type { StoredEvent } from '@neutrino/events';
import { lb, listener, member, monitor, pool } from './__fixtures__/tree';

const skip = testbedSkipReason() ?? (which('haproxy') ? null : 'haproxy is missing');
if (skip) console.warn(`lbaas-agent end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;
jest.setTimeout(180_000);

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `n` requests from the instance, each on a new connection, counted by the answer (the member's name). */
const spread = (vip: string, n: number) => `const http=require('http');const c={};let left=${n};
const one=()=>http.get({host:'${vip}',port:80,path:'/',agent:false},(r)=>{let b='';r.on('data',d=>b+=d);r.on('end',()=>{c[b.trim()]=(c[b.trim()]||0)+1;if(--left)one();else console.log(JSON.stringify(c));});}).on('error',e=>{console.log(JSON.stringify({error:e.message}));process.exit(1);});one();`;

/**
 * Issue 10, done-when 1 without the LBaaS API (the gateway's is built on
 * another branch): the load balancer's events are appended to the log as the
 * gateway would, its VIP port made through the Neutron API; the lbaas-agent
 * on network1 runs HAProxy in qlbaas-<id>, three instances on two compute
 * hosts answer their names, a fourth is the client.
 */
describeRoot('lbaas-agent on the namespace test bed', () => {
  let fx: SuiteFixture;
  let bed: TestbedFixture;

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    const perHost = (h: { name: string }) => (h.name === 'network1' ? ['l2-agent', 'lbaas-agent'] : ['l2-agent']);
    bed = await TestbedFixture.create({ apiUrl: fx.suite.apiUrl, agents: suiteAgents(fx.nats.url, fx.dataDir, perHost, { NEUTRINO_API_URL: fx.suite.apiUrl, NEUTRINO_LOG_LEVEL: 'info', NEUTRINO_LBAAS_HEALTH_POLL_MS: '500' }) });
  });

  afterAll(async () => {
    await bed?.dispose();
    await fx?.stop();
  });

  it('300 requests through the VIP of a ROUND_ROBIN pool of three members spread within ±10 %, and the namespace goes with the load balancer', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'lb-net' } })).body.network;
    const subnet = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.40.0.0/24', ip_version: 4, enable_dhcp: false } })).body.subnet;
    const [sg] = (await fx.api('GET', '/v2.0/security-groups?name=default')).body.security_groups;
    await fx.api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg.id, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 80, port_range_max: 80 } });
    const members = [['web1', 'compute1'], ['web2', 'compute2'], ['web3', 'compute1']];
    const vms = [];
    for (const [name, host] of members) vms.push(await bed.boot(name, { networkId: net.id, host, dhcp: false }));
    const client = await bed.boot('client', { networkId: net.id, host: 'compute2', dhcp: false });
    for (const [name] of members) await bed.serveHttp(name, 80);

    const lbId = randomUUID();
    const vip = (await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, device_owner: 'neutron:LOADBALANCERV2', device_id: lbId, 'binding:host_id': 'network1', fixed_ips: [{ subnet_id: subnet.id }] } })).body.port;
    const vipAddress = vip.fixed_ips[0].ip_address;
    const agg = { type: 'loadbalancer', id: lbId };
    const actor = { user_id: 'admin', project_id: sg.tenant_id, roles: ['admin'] };
    const append = (type: string, data: unknown) => fx.store.append([{ type, aggregate: agg, data, actor, request_id: null, causation_id: null }]);
    const poolId = randomUUID();
    const listenerId = randomUUID();
    await append('loadbalancer.created', { loadbalancer: lb({ id: lbId, vip_address: vipAddress, vip_port_id: vip.id, vip_subnet_id: subnet.id, vip_network_id: net.id, host: 'network1', provisioning_status: 'PENDING_CREATE', config_version: 1 }) });
    await append('listener.created', { listener: listener({ id: listenerId, loadbalancer_id: lbId, default_pool_id: null, provisioning_status: 'PENDING_CREATE' }) });
    await append('pool.created', { pool: pool({ id: poolId, loadbalancer_id: lbId, listener_id: listenerId, provisioning_status: 'PENDING_CREATE', healthmonitor_id: null }) });
    await append('listener.updated', { listener_id: listenerId, changes: { default_pool_id: poolId } });
    for (const vm of vms) await append('member.created', { member: member(randomUUID(), vm.fixedIps[0].ip_address, { pool_id: poolId, provisioning_status: 'PENDING_CREATE' }) });
    const [last] = await append('healthmonitor.created', { healthmonitor: monitor({ id: randomUUID(), pool_id: poolId, delay: 1, timeout: 1, provisioning_status: 'PENDING_CREATE' }) });
    const t0 = Date.now();
    const events = async (): Promise<StoredEvent[]> => fx.store.readSubject(`evt.loadbalancer.${lbId}`);
    await until('provisioned after the last change', async () => (await events()).some((e) => e.seq > last.seq && e.type === 'loadbalancer.provisioned'));
    console.log(`lbaas e2e: load balancer tree provisioned ${Date.now() - t0} ms after its last event`);
    // the members are UP once HAProxy's checks (every 1 s) reached them through the VIP port's security groups
    await until('three members ONLINE', async () => {
      const health = (await events()).filter((e) => e.type === 'loadbalancer.health_reported').map((e) => (e.data as { members: Record<string, string> }).members);
      const now: Record<string, string> = Object.assign({}, ...health);
      return Object.values(now).filter((s) => s === 'ONLINE').length === 3;
    });

    const run = await bed.exec(client.name, [process.execPath, '-e', spread(vipAddress, 300)], { timeoutMs: 60_000 });
    const counts = JSON.parse(run.stdout.trim()) as Record<string, number>;
    console.log(`lbaas e2e: 300 requests through ${vipAddress}: ${JSON.stringify(counts)}`);
    expect(Object.keys(counts).sort()).toEqual(['web1', 'web2', 'web3']);
    for (const n of Object.values(counts)) expect(Math.abs(n - 100)).toBeLessThanOrEqual(10);

    await append('loadbalancer.deleting', { loadbalancer_id: lbId });
    await until('loadbalancer.deleted', async () => (await events()).some((e) => e.type === 'loadbalancer.deleted'));
    expect((await listNetns()).some((n) => n.includes(`qlbaas-${lbId}`))).toBe(false);
  });
});
