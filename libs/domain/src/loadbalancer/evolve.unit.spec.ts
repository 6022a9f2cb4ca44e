import type { CoreEvent } from '../events';
import { evolveLoadBalancerTree } from './evolve';
import type { HealthMonitor, Listener, LoadBalancer, LoadBalancerTree, Member, Pool } from './model';
import { decideHealthReport, decideProvisioned, decideProvisioningFailed, decideTornDown } from './reports';

const T0 = '2026-12-03T10:00:00Z';
const base = { name: '', description: '', project_id: 'p1', tenant_id: 'p1', admin_state_up: true, provisioning_status: 'PENDING_CREATE' as const, tags: [], created_at: T0, updated_at: T0, revision_number: 0 };
const lb: LoadBalancer = {
  ...base, id: 'lb1', vip_address: '10.0.0.9', vip_port_id: 'vp1', vip_subnet_id: 's1', vip_network_id: 'n1', vip_qos_policy_id: null,
  provider: 'haproxy', flavor_id: null, availability_zone: null, host: 'net1', config_version: 1,
};
const listener: Listener = {
  ...base, id: 'l1', loadbalancer_id: 'lb1', protocol: 'HTTP', protocol_port: 80, connection_limit: -1, default_pool_id: null,
  timeout_client_data: 50000, timeout_member_connect: 5000, timeout_member_data: 50000, timeout_tcp_inspect: 0, insert_headers: {}, allowed_cidrs: null,
};
const pool: Pool = { ...base, id: 'p1', loadbalancer_id: 'lb1', listener_id: 'l1', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', session_persistence: null, healthmonitor_id: null };
const member = (id: string): Member => ({ ...base, id, pool_id: 'p1', address: '10.0.0.7', protocol_port: 80, weight: 1, subnet_id: null, backup: false, monitor_address: null, monitor_port: null });
const monitor: HealthMonitor = { ...base, id: 'h1', pool_id: 'p1', type: 'TCP', delay: 5, timeout: 4, max_retries: 3, max_retries_down: 3, http_method: 'GET', url_path: '/', expected_codes: '200' };

const fold = (events: CoreEvent[], from?: LoadBalancerTree) =>
  events.reduce<LoadBalancerTree | undefined>((t, e, i) => evolveLoadBalancerTree(t, { ...e, at: `2026-12-03T10:00:${String(i).padStart(2, '0')}Z` }), from);

const built = (): LoadBalancerTree =>
  fold([
    { type: 'loadbalancer.created', data: { loadbalancer: lb } },
    { type: 'loadbalancer.provisioned', data: { loadbalancer_id: 'lb1', host: 'net1', version: 1 } },
    { type: 'listener.created', data: { listener } },
    { type: 'pool.created', data: { pool } },
    { type: 'member.created', data: { member: member('m1') } },
    { type: 'member.created', data: { member: member('m2') } },
    { type: 'healthmonitor.created', data: { healthmonitor: monitor } },
  ])!;

describe('the load balancer tree', () => {
  it('marks each change pending on the load balancer and bumps config_version; the report of the current version makes all ACTIVE', () => {
    const t = built();
    expect(t.loadbalancer.provisioning_status).toBe('PENDING_UPDATE');
    expect(t.loadbalancer.config_version).toBe(6);
    expect(t.listeners[0].default_pool_id).toBe('p1');
    expect(t.pools[0].healthmonitor_id).toBe('h1');
    expect(t.members.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(decideProvisioned(t, 'net1', 5)).toBeNull(); // a stale version
    expect(decideProvisioned(t, 'net2', 6)).toBeNull(); // not hosted there
    const done = fold([decideProvisioned(t, 'net1', 6)!], t)!;
    expect([done.loadbalancer, ...done.listeners, ...done.pools, ...done.members, ...done.healthmonitors].map((o) => o.provisioning_status)).toEqual(Array(6).fill('ACTIVE'));
    expect(decideProvisioned(done, 'net1', 6)).toBeNull(); // nothing pending
  });

  it('ignores a report of an older version: a change made meanwhile stays pending', () => {
    const t = fold([{ type: 'member.updated', data: { member_id: 'm1', changes: { weight: 3 } } }], built())!;
    const after = fold([{ type: 'loadbalancer.provisioned', data: { loadbalancer_id: 'lb1', host: 'net1', version: 6 } }], t)!;
    expect(after.loadbalancer.provisioning_status).toBe('PENDING_UPDATE');
    expect(after.members[0]).toMatchObject({ weight: 3, provisioning_status: 'PENDING_CREATE' });
    const active = fold([decideProvisioned(t, 'net1', 7)!], t)!;
    const updated = fold([{ type: 'member.updated', data: { member_id: 'm2', changes: { weight: 2 } } }], active)!;
    expect(updated.members.map((m) => m.provisioning_status)).toEqual(['ACTIVE', 'PENDING_UPDATE']);
    expect(updated.loadbalancer.provisioning_status).toBe('PENDING_UPDATE');
  });

  it('keeps a deleted pool PENDING_DELETE with its members and monitor until provisioned, then drops them and unlinks the listener', () => {
    const active = fold([decideProvisioned(built(), 'net1', 6)!], built())!;
    const t = fold([{ type: 'pool.deleting', data: { pool_id: 'p1' } }], active)!;
    expect([...t.pools, ...t.members, ...t.healthmonitors].every((o) => o.provisioning_status === 'PENDING_DELETE')).toBe(true);
    expect(t.listeners[0].provisioning_status).toBe('ACTIVE');
    const done = fold([decideProvisioned(t, 'net1', t.loadbalancer.config_version)!], t)!;
    expect(done).toMatchObject({ pools: [], members: [], healthmonitors: [] });
    expect(done.listeners[0].default_pool_id).toBeNull();
  });

  it('turns pending objects ERROR and the load balancer ACTIVE again when the agent cannot apply the version', () => {
    const active = fold([decideProvisioned(built(), 'net1', 6)!], built())!;
    const t = fold([{ type: 'member.created', data: { member: member('m3') } }], active)!;
    const failed = fold([decideProvisioningFailed(t, 'net1', t.loadbalancer.config_version, 'haproxy -c: bad config')!], t)!;
    expect(failed.loadbalancer.provisioning_status).toBe('ACTIVE');
    expect(failed.members.map((m) => m.provisioning_status)).toEqual(['ACTIVE', 'ACTIVE', 'ERROR']);
  });

  it('reports only the members whose health changed, and ends the aggregate once a deleting load balancer is torn down', () => {
    const t = built();
    const first = decideHealthReport(t, 'net1', { m1: 'ONLINE', m2: 'OFFLINE', gone: 'OFFLINE' })!;
    expect(first.data.members).toEqual({ m1: 'ONLINE', m2: 'OFFLINE' });
    const reported = fold([first], t)!;
    expect(decideHealthReport(reported, 'net1', { m1: 'ONLINE', m2: 'OFFLINE' })).toBeNull();
    expect(decideHealthReport(reported, 'net1', { m1: 'OFFLINE', m2: 'OFFLINE' })!.data.members).toEqual({ m1: 'OFFLINE' });
    expect(decideTornDown(reported, 'net1')).toBeNull(); // not being deleted
    const deleting = fold([{ type: 'loadbalancer.deleting', data: { loadbalancer_id: 'lb1' } }], reported)!;
    expect(deleting.members.every((m) => m.provisioning_status === 'PENDING_DELETE')).toBe(true);
    expect(decideProvisioned(deleting, 'net1', deleting.loadbalancer.config_version)).toBeNull();
    expect(fold([decideTornDown(deleting, 'net1')!], deleting)).toBeUndefined();
  });
});
