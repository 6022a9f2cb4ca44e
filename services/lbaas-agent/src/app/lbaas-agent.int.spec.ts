import { MemoryDriver } from '@neutrino/dataplane';
import { EventStore, type LbStats, type StoredEvent } from '@neutrino/events';
import { createLogger } from '@neutrino/observability';
import { startNats, type NatsServer } from '@neutrino/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LB_ID, MEMBER_IDS, VIP_PORT_ID, lb, listener, member, monitor, pool } from '../__fixtures__/tree';
import type { LbaasConfig } from '../config/lbaas-config';
import { createLbaasAgent, type LbaasAgent } from './lbaas-agent';

jest.setTimeout(60_000);

async function until<T>(what: string, probe: () => Promise<T | undefined | false | null> | T | undefined | false | null, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const STAT = (m1: string, m2: string) => `# pxname,svname,scur,stot,bin,bout,ereq,status
${'ec4df104-403c-4da2-988e-5a6b794290fe'},FRONTEND,1,5,100,200,0,OPEN
p,${MEMBER_IDS[0]},0,3,50,100,,${m1}
p,${MEMBER_IDS[1]},0,2,50,100,,${m2}
`;

/** The agent on the memory driver against a real nats-server: the log in, the reports out (no root, no HAProxy). */
describe('lbaas-agent with the log', () => {
  let nats: NatsServer;
  let store: EventStore;
  let agent: LbaasAgent | undefined;
  let dataDir: string;
  const driver = new MemoryDriver();
  const stats = new Map<string, LbStats>();
  let stat = STAT('UP', 'UP');
  const actor = { user_id: 'u', project_id: 'p1', roles: ['admin'] };
  const append = (aggregate: { type: string; id: string }, type: string, data: unknown) => store.append([{ type, aggregate, data, actor, request_id: null, causation_id: null }]);
  const lbEvents = async (): Promise<StoredEvent[]> => store.readSubject(`evt.loadbalancer.${LB_ID}`);
  const ofType = async (type: string) => (await lbEvents()).filter((e) => e.type === type);

  beforeAll(async () => {
    nats = await startNats();
    store = await EventStore.connect({ servers: nats.url });
    await store.ensureStream();
    dataDir = mkdtempSync(join(tmpdir(), 'lbaas-agent-int-'));
  });

  afterAll(async () => {
    await agent?.stop();
    await store?.close();
    await nats?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('provisions a load balancer scheduled here, reports health and stats, and tears it down', async () => {
    await append({ type: 'network', id: 'net-1' }, 'network.created', { network: { id: 'net-1', mtu: 1450, subnets: [], admin_state_up: true } });
    await append({ type: 'subnet', id: 'subnet-1' }, 'subnet.created', { subnet: { id: 'subnet-1', network_id: 'net-1', cidr: '10.30.0.0/24', gateway_ip: '10.30.0.1', ip_version: 4 } });
    await append({ type: 'port', id: VIP_PORT_ID }, 'port.created', { port: { id: VIP_PORT_ID, network_id: 'net-1', mac_address: 'fa:16:3e:00:00:09', device_owner: 'neutron:LOADBALANCERV2', device_id: LB_ID, fixed_ips: [{ subnet_id: 'subnet-1', ip_address: '10.30.0.9' }] } });
    const agg = { type: 'loadbalancer', id: LB_ID };
    await append(agg, 'loadbalancer.created', { loadbalancer: lb({ provisioning_status: 'PENDING_CREATE', config_version: 1 }) });
    const cfg: LbaasConfig = { host: 'network1', hostNetns: '', netnsPrefix: '', driver: 'memory', haproxyBin: 'haproxy', healthPollMs: 100, userGroup: 'nogroup' };
    agent = createLbaasAgent(store, cfg, {
      logger: createLogger('lbaas-agent-int', 'warn'), dataDir, driver, resyncMs: 0, heartbeatTtlMs: 5000,
      stats: async () => ({ put: async (id, s) => void stats.set(id, s) }),
      readStats: async () => stat,
    });
    await agent.start();
    // no listener: namespace and device, provisioned at version 1
    const [first] = await until('provisioned v1', () => ofType('loadbalancer.provisioned').then((l) => l.length === 1 && l));
    expect(first.data).toEqual({ loadbalancer_id: LB_ID, host: 'network1', version: 1 });
    expect(driver.kernel.namespaces.has(`qlbaas-${LB_ID}`)).toBe(true);
    expect(driver.kernel.processes.size).toBe(0);

    await append(agg, 'listener.created', { listener: listener({ provisioning_status: 'PENDING_CREATE', default_pool_id: null }) });
    await append(agg, 'pool.created', { pool: pool({ provisioning_status: 'PENDING_CREATE' }) });
    await append(agg, 'member.created', { member: member(MEMBER_IDS[0], '10.30.0.7', { provisioning_status: 'PENDING_CREATE' }) });
    await append(agg, 'member.created', { member: member(MEMBER_IDS[1], '10.30.0.8', { provisioning_status: 'PENDING_CREATE' }) });
    const [last] = await append(agg, 'healthmonitor.created', { healthmonitor: monitor({ provisioning_status: 'PENDING_CREATE' }) });
    // the version of the whole tree, once the agent's view has it (read earlier, an older one the agent never reports: CI once)
    await until('the view has the last event', () => agent!.view.lastSeq.get(LB_ID) === last.seq);
    const version = agent.view.trees.get(LB_ID)!.loadbalancer.config_version;
    await until('provisioned at the last version', () => ofType('loadbalancer.provisioned').then((l) => l.some((e) => (e.data as { version: number }).version === version)));
    const proc = driver.kernel.processes.get(`haproxy-${LB_ID}`);
    expect(proc?.argv.slice(0, 3)).toEqual(['haproxy', '-W', '-D']);
    expect(agent.view.trees.get(LB_ID)!.loadbalancer.provisioning_status).toBe('ACTIVE');

    await until('health ONLINE', () => agent!.view.trees.get(LB_ID)!.health[MEMBER_IDS[1]] === 'ONLINE');
    stat = STAT('UP', 'DOWN');
    await until('member 2 OFFLINE', () => agent!.view.trees.get(LB_ID)!.health[MEMBER_IDS[1]] === 'OFFLINE');
    const reports = await ofType('loadbalancer.health_reported');
    expect(reports.at(-1)!.data).toEqual({ loadbalancer_id: LB_ID, host: 'network1', members: { [MEMBER_IDS[1]]: 'OFFLINE' } });
    expect(stats.get(LB_ID)).toMatchObject({ bytes_in: 100, bytes_out: 200, active_connections: 1, total_connections: 5, request_errors: 0 });

    await append(agg, 'loadbalancer.deleting', { loadbalancer_id: LB_ID });
    await until('deleted', () => ofType('loadbalancer.deleted').then((l) => l.length === 1));
    expect(driver.kernel.namespaces.has(`qlbaas-${LB_ID}`)).toBe(false);
    expect(driver.kernel.processes.size).toBe(0);
    expect(agent.view.trees.has(LB_ID)).toBe(false);
  });
});
