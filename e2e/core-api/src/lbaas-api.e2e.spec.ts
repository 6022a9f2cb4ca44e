import { execFileSync } from 'node:child_process';
import { AGENTS_BUCKET, agentId, type AgentHeartbeat } from '@neutrino/agent-kit';
import { decideProvisioned, evolveLoadBalancerTree, type LoadBalancerTree } from '@neutrino/domain';
import type { HeartbeatBucket } from '@neutrino/events';
import { SuiteFixture, member, openstack, openstackCli } from '@neutrino/testing-suite';

/**
 * The LBaaS v2 API (Octavia's shape) driven by the real client, python3-octaviaclient's
 * `openstack loadbalancer ...`, against the gateway alone. No lbaas-agent runs here
 * (the real agent's end-to-end test, HAProxy in qlbaas- namespaces, lives with the
 * agent): this spec registers an agent of type `Loadbalancerv2 agent` and keeps its
 * heartbeat the way agent-kit's runner does (agent.registered on evt.agent.<id>, the
 * AgentHeartbeat value in the neutrino-agents bucket), and stands in for the agent's
 * provisioning report by appending what the domain's report decider decides
 * (decideProvisioned on the tree folded from the load balancer's subject), so
 * provisioning goes ACTIVE as it would with the agent.
 */
const openstackPath = openstackCli('the LBaaS CLI end-to-end test');
let octavia = false;
try {
  execFileSync('/usr/bin/python3', ['-c', 'import octaviaclient'], { stdio: 'ignore' }); // the Debian package, the openstack CLI's python
  octavia = true;
} catch {
  console.warn('python3-octaviaclient not installed: skipping the LBaaS CLI end-to-end test');
}
const describeWithCli = openstackPath && octavia ? describe : describe.skip;
const HOST = 'lbaas-host-1';
const BINARY = 'neutrino-lbaas-agent';
const ID = agentId(HOST, BINARY);

describeWithCli('LBaaS v2: openstack loadbalancer ... against the gateway', () => {
  let fx: SuiteFixture;
  let beats: HeartbeatBucket;
  let timer: NodeJS.Timeout | undefined;

  const beat = () =>
    beats.put(ID, {
      id: ID, host: HOST, binary: BINARY, heartbeat_timestamp: new Date().toISOString(), started_at: new Date().toISOString(),
      configurations: {}, synced: true, applied_seq: 0, last_changes: 0,
    } satisfies AgentHeartbeat);

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await fx.store.append([{
      type: 'agent.registered', aggregate: { type: 'agent', id: ID }, actor: { user_id: `agent:${BINARY}@${HOST}`, project_id: null, roles: ['service'] },
      request_id: null, causation_id: null,
      data: { agent: { id: ID, agent_type: 'Loadbalancerv2 agent', binary: BINARY, host: HOST, topic: 'n-lbaasv2-agent', description: '', admin_state_up: true, configurations: {}, created_at: now, started_at: now } },
    }], { expectedSubjectSeq: 0 });
    beats = await fx.store.heartbeats(AGENTS_BUCKET, 75_000);
    await beat();
    timer = setInterval(() => void beat().catch(() => undefined), 5_000);
  });
  afterAll(async () => {
    clearInterval(timer);
    await fx?.stop();
  });

  const os = (...args: string[]) => openstack(fx.suite.apiUrl, ...args);
  const json = async (...args: string[]) => JSON.parse(await os(...args, '-f', 'json'));

  /** What the hosting agent appends once it applied the tree: decided by the domain's report decider on the subject's events. */
  async function provision(lbId: string): Promise<void> {
    const subject = `evt.loadbalancer.${lbId}`;
    let tree: LoadBalancerTree | undefined;
    let seq = 0;
    for (const e of await fx.store.readSubject(subject)) {
      tree = evolveLoadBalancerTree(tree, e);
      seq = e.seq;
    }
    const report = decideProvisioned(tree, HOST, tree!.loadbalancer.config_version);
    if (!report) return;
    await fx.store.append([{ ...report, aggregate: { type: 'loadbalancer', id: lbId }, actor: { user_id: `agent:${BINARY}@${HOST}`, project_id: null, roles: ['service'] }, request_id: null, causation_id: null }], {
      expectedSubjectSeq: seq,
    });
    for (let i = 0; i < 100; i++) {
      if ((await fx.api('GET', `/v2/lbaas/loadbalancers/${lbId}`)).body.loadbalancer.provisioning_status === 'ACTIVE') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`load balancer ${lbId} did not go ACTIVE`);
  }

  const vipPorts = async () => (await fx.api('GET', '/v2.0/ports?device_owner=neutron:LOADBALANCERV2')).body.ports as Array<{ id: string; device_id: string }>;

  it('creates, lists, shows, updates and deletes a load balancer tree; status and stats', async () => {
    await json('network', 'create', 'lb-net');
    const subnet = await json('subnet', 'create', '--network', 'lb-net', '--subnet-range', '10.20.0.0/24', 'lb-sub');

    const lb = await json('loadbalancer', 'create', '--name', 'lb1', '--vip-subnet-id', 'lb-sub');
    expect(lb).toMatchObject({ name: 'lb1', provisioning_status: 'PENDING_CREATE', operating_status: 'OFFLINE', provider: 'haproxy', vip_subnet_id: subnet.id });
    expect(lb.vip_address).toMatch(/^10\.20\.0\./);
    const [vip] = await vipPorts();
    expect(vip).toMatchObject({ id: lb.vip_port_id, device_id: lb.id, 'binding:host_id': HOST });
    expect((vip as unknown as { security_groups: string[] }).security_groups).toHaveLength(1);
    // nothing changes while PENDING_*
    await expect(os('loadbalancer', 'set', '--name', 'x', lb.id)).rejects.toThrow(/is immutable and cannot be updated/);
    await provision(lb.id);
    expect(await json('loadbalancer', 'show', lb.id)).toMatchObject({ provisioning_status: 'ACTIVE', operating_status: 'ONLINE' });
    expect((await json('loadbalancer', 'list')).map((l: { name: string }) => l.name)).toEqual(['lb1']);

    const listener = await json('loadbalancer', 'listener', 'create', '--name', 'http', '--protocol', 'HTTP', '--protocol-port', '80', lb.id);
    expect(listener).toMatchObject({ protocol: 'HTTP', protocol_port: 80, connection_limit: -1, timeout_client_data: 50000, provisioning_status: 'PENDING_CREATE' });
    await provision(lb.id);
    const pool = await json('loadbalancer', 'pool', 'create', '--name', 'web', '--listener', listener.id, '--protocol', 'HTTP', '--lb-algorithm', 'ROUND_ROBIN');
    await provision(lb.id);
    const m1 = await json('loadbalancer', 'member', 'create', '--address', '10.20.0.10', '--protocol-port', '8080', '--name', 'm1', 'web');
    expect(m1).toMatchObject({ address: '10.20.0.10', protocol_port: 8080, weight: 1 });
    await provision(lb.id);
    expect((await json('loadbalancer', 'member', 'show', pool.id, m1.id)).operating_status).toBe('NO_MONITOR');
    const hm = await json('loadbalancer', 'healthmonitor', 'create', '--delay', '5', '--timeout', '3', '--max-retries', '3', '--type', 'HTTP', '--url-path', '/health', pool.id);
    expect(hm).toMatchObject({ http_method: 'GET', expected_codes: '200', url_path: '/health', max_retries_down: 3 });
    await provision(lb.id);

    await os('loadbalancer', 'member', 'set', '--weight', '5', pool.id, m1.id);
    expect((await json('loadbalancer', 'member', 'show', pool.id, m1.id)).weight).toBe(5);
    await provision(lb.id);
    await os('loadbalancer', 'set', '--description', 'front', lb.id);
    await provision(lb.id);
    expect((await json('loadbalancer', 'show', lb.id)).description).toBe('front');
    expect((await json('loadbalancer', 'listener', 'list')).map((l: { id: string }) => l.id)).toEqual([listener.id]);
    expect((await json('loadbalancer', 'pool', 'list')).map((p: { id: string }) => p.id)).toEqual([pool.id]);
    expect((await json('loadbalancer', 'member', 'list', pool.id)).map((m: { id: string }) => m.id)).toEqual([m1.id]);
    expect((await json('loadbalancer', 'healthmonitor', 'list')).map((h: { id: string }) => h.id)).toEqual([hm.id]);

    // `status show` prints the status tree as JSON itself (no -f)
    const status = JSON.parse(await os('loadbalancer', 'status', 'show', lb.id));
    expect(status.loadbalancer.listeners[0].pools[0].members[0]).toMatchObject({ id: m1.id, provisioning_status: 'ACTIVE', operating_status: 'ONLINE' });
    expect(status.loadbalancer.listeners[0].pools[0].health_monitor).toMatchObject({ id: hm.id, type: 'HTTP' });
    expect(await json('loadbalancer', 'stats', 'show', lb.id)).toMatchObject({ bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 });
    // what the agent writes to neutrino_lbaas_stats is what /stats shows
    const counters = { bytes_in: 10, bytes_out: 20, active_connections: 1, total_connections: 3, request_errors: 0 };
    await (await fx.store.lbaasStats()).put(lb.id, { ...counters, listeners: { [listener.id]: { ...counters, bytes_in: 7 } } });
    expect(await json('loadbalancer', 'stats', 'show', lb.id)).toEqual(counters);
    expect(await json('loadbalancer', 'listener', 'stats', 'show', listener.id)).toEqual({ ...counters, bytes_in: 7 });

    // the same tree on neutron-lbaas's prefix
    expect((await fx.api('GET', `/v2.0/lbaas/loadbalancers/${lb.id}`)).body.loadbalancer.listeners).toEqual([{ id: listener.id }]);

    await expect(os('loadbalancer', 'delete', lb.id)).rejects.toThrow(/it has children/);
    await os('loadbalancer', 'delete', '--cascade', lb.id);
    // the agent would tear down and append loadbalancer.deleted; it is alive, so the tree waits in PENDING_DELETE
    expect((await fx.api('GET', `/v2/lbaas/loadbalancers/${lb.id}`)).body.loadbalancer.provisioning_status).toBe('PENDING_DELETE');
    expect(await vipPorts()).toEqual([]);
  });

  it('bad input: a clear error each time, and nothing left behind (no VIP port, no address held)', async () => {
    await json('network', 'create', 'bad-net');
    const subnet = await json('subnet', 'create', '--network', 'bad-net', '--subnet-range', '10.30.0.0/24', 'bad-sub');
    const portsBefore = (await fx.api('GET', '/v2.0/ports')).body.ports.length;
    const lb = await json('loadbalancer', 'create', '--name', 'lb2', '--vip-subnet-id', subnet.id);
    await provision(lb.id);
    const listener = await json('loadbalancer', 'listener', 'create', '--protocol', 'HTTP', '--protocol-port', '80', lb.id);
    // update while PENDING_*
    await expect(os('loadbalancer', 'listener', 'create', '--protocol', 'TCP', '--protocol-port', '81', lb.id)).rejects.toThrow(/Load Balancer \S+ is immutable and cannot be updated/);
    await provision(lb.id);
    await expect(os('loadbalancer', 'listener', 'create', '--protocol', 'TCP', '--protocol-port', '80', lb.id)).rejects.toThrow(/already using protocol_port 80/);
    await expect(os('loadbalancer', 'pool', 'create', '--listener', listener.id, '--protocol', 'TCP', '--lb-algorithm', 'ROUND_ROBIN')).rejects.toThrow(
      /The pool protocol 'TCP' is invalid while the listener protocol is 'HTTP'/,
    );
    const pool = await json('loadbalancer', 'pool', 'create', '--listener', listener.id, '--protocol', 'HTTP', '--lb-algorithm', 'ROUND_ROBIN');
    await provision(lb.id);
    await expect(os('loadbalancer', 'member', 'create', '--address', '192.168.50.5', '--protocol-port', '80', pool.id)).rejects.toThrow(/not inside any subnet/);
    const hm = ['loadbalancer', 'healthmonitor', 'create', '--type', 'HTTP', '--max-retries', '3', pool.id];
    await expect(os(...hm, '--delay', '2', '--timeout', '5')).rejects.toThrow(/delay value must be greater than or equal to the timeout/);
    await expect(os(...hm, '--delay', '5', '--timeout', '3', '--expected-codes', '20x')).rejects.toThrow(/expected_codes/);
    await expect(os(...hm, '--delay', '5', '--timeout', '3', '--url-path', 'health')).rejects.toThrow(/url_path/);
    await json(...hm, '--delay', '5', '--timeout', '3');
    await provision(lb.id);
    await expect(os(...hm, '--delay', '5', '--timeout', '3')).rejects.toThrow(/already has a health monitor/);

    // another project: its subnet and pool are not found (404), in Octavia's fault shape
    const other = member('project-other');
    const otherLb = await fx.api('POST', '/v2/lbaas/loadbalancers', { loadbalancer: { vip_subnet_id: subnet.id } }, other);
    expect(otherLb).toMatchObject({ status: 404, body: { faultcode: 'Client', faultstring: `Subnet ${subnet.id} could not be found.`, debuginfo: null } });
    const otherMember = await fx.api('POST', `/v2/lbaas/pools/${pool.id}/members`, { member: { address: '10.30.0.9', protocol_port: 80 } }, other);
    expect(otherMember).toMatchObject({ status: 404, body: { faultstring: `Pool ${pool.id} could not be found.` } });
    const v20 = await fx.api('GET', `/v2.0/lbaas/pools/${pool.id}`, undefined, other);
    expect(v20).toMatchObject({ status: 404, body: { NeutronError: { type: 'NotFound', message: `Pool ${pool.id} could not be found.` } } });
    const badProvider = await fx.api('POST', '/v2/lbaas/loadbalancers', { loadbalancer: { vip_subnet_id: subnet.id, provider: 'amphora' } });
    expect(badProvider).toMatchObject({ status: 400, body: { faultcode: 'Client' } });
    expect(badProvider.body.faultstring).toMatch(/Provider 'amphora' was not found/);

    // only lb2's VIP port was added
    expect((await fx.api('GET', '/v2.0/ports')).body.ports.length).toBe(portsBefore + 1);
  });

  it('no lbaas-agent alive: 503 with a message saying so, no VIP port and no address left', async () => {
    clearInterval(timer);
    await beats.delete(ID);
    const net = await json('network', 'create', 'dead-net');
    const subnet = await json('subnet', 'create', '--network', net.id, '--subnet-range', '10.40.0.0/24', 'dead-sub');
    const res = await fx.api('POST', '/v2/lbaas/loadbalancers', { loadbalancer: { vip_subnet_id: subnet.id, vip_address: '10.40.0.7' } });
    expect(res.status).toBe(503);
    expect(res.body.faultstring).toMatch(/No lbaas-agent .* is alive/);
    expect((await fx.api('GET', `/v2.0/ports?network_id=${net.id}`)).body.ports).toEqual([]);
    // a delete whose host has no live agent ends the aggregate at once (nobody else would): lb2 of the test before
    const [lb2] = (await fx.api('GET', '/v2/lbaas/loadbalancers?name=lb2')).body.loadbalancers;
    await os('loadbalancer', 'delete', '--cascade', lb2.id);
    expect((await fx.api('GET', `/v2/lbaas/loadbalancers/${lb2.id}`)).status).toBe(404);
    expect((await vipPorts()).filter((p) => p.device_id === lb2.id)).toEqual([]);
    // the address is free: a port can take it
    const port = await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.40.0.7' }] } });
    expect(port.status).toBe(201);
  });
});
