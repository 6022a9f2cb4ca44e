import type { NeutronError } from '../errors';
import type { Subnet } from '../model';
import { loadBalancerDecider, type LoadBalancerCommand, type LoadBalancerEvent } from './decider';
import { decideProvisioned } from './reports';
import { lbMonitorDecider, parseV1, presentV1Member, presentV1Pool, presentV1Vip, v1MemberBody, v1Shape } from './v1';
import { v1MemberSubnet } from './v1-decide';
import type { LoadBalancerTree, V1HealthMonitor } from './model';

const P = 'project-a';
const owner = { user_id: 'u', project_id: P, roles: ['member'] };
const other = { user_id: 'v', project_id: 'project-b', roles: ['member'] };
const now = '2026-01-01T00:00:00Z';
const POOL = '11111111-1111-4111-8111-111111111111';
const VIP = '22222222-2222-4222-8222-222222222222';
const M1 = '44444444-4444-4444-8444-444444444444';
const HM = '55555555-5555-4555-8555-555555555555';
const NET = '66666666-6666-4666-8666-666666666666';
const SUB = '77777777-7777-4777-8777-777777777777';
const subnet = { id: SUB, network_id: NET, cidr: '10.0.0.0/24', ip_version: 4, project_id: P } as Subnet;
const facts = { subnet: (id: string) => (id === SUB ? subnet : undefined), subnetsOf: (id: string) => (id === NET ? [subnet] : []) };

/** Folds events into the decider's state, deciding each command on the state so far. */
class Given {
  events: LoadBalancerEvent[] = [];
  state() {
    let s = { ...loadBalancerDecider.initialState(), ...facts };
    for (const e of this.events) s = loadBalancerDecider.evolve(s, { ...e, at: now } as never);
    return s;
  }
  tree(): LoadBalancerTree {
    return this.state().tree!;
  }
  run(c: LoadBalancerCommand): LoadBalancerEvent[] {
    const out = loadBalancerDecider.decide(c, this.state());
    this.events.push(...out);
    return out;
  }
  /** What the hosting agent reports once it applied the current version. */
  provision(): void {
    const e = decideProvisioned(this.tree(), 'h1', this.tree().loadbalancer.config_version);
    if (e) this.events.push(e as unknown as LoadBalancerEvent);
  }
}

const pool = (g: Given, extra: Record<string, unknown> = {}) =>
  g.run({
    type: 'CreateV1Pool', actor: owner, id: POOL, now, host: 'h1',
    attrs: parseV1('pool', { pool: { name: 'web', subnet_id: SUB, protocol: 'HTTP', lb_method: 'ROUND_ROBIN', ...extra } }, owner, true),
  });
const vipAttrs = (extra: Record<string, unknown> = {}) =>
  parseV1('vip', { vip: { name: 'vip1', subnet_id: SUB, protocol: 'HTTP', protocol_port: 80, pool_id: POOL, ...extra } }, owner, true);
const vip = (g: Given, extra: Record<string, unknown> = {}) =>
  g.run({ type: 'CreateV1Vip', attrs: vipAttrs(extra), actor: owner, id: VIP, now, vip: { address: '10.0.0.10', port_id: 'vip-port', subnet_id: SUB, network_id: NET } });
const member = (g: Given, id: string, address: string) =>
  g.run({
    type: 'CreateChild', kind: 'member', id, now, parent: POOL, actor: owner, v1: true,
    body: v1MemberBody(parseV1('member', { member: { pool_id: POOL, address, protocol_port: 80 } }, owner, true), SUB),
  });
const thrown = (f: () => unknown): NeutronError => {
  try {
    f();
  } catch (err) {
    return err as NeutronError;
  }
  throw new Error('did not throw');
};

describe('LBaaS v1 on the load-balancer model', () => {
  it('a pool is a tree with the pool\'s id and no VIP: PENDING_CREATE until its VIP exists, then ACTIVE once provisioned', () => {
    const g = new Given();
    const events = pool(g);
    expect(events.map((e) => e.type)).toEqual(['loadbalancer.created', 'pool.created']);
    expect(g.tree().loadbalancer).toMatchObject({ id: POOL, vip_port_id: '', host: 'h1' });
    g.provision();
    expect(presentV1Pool(v1Shape(g.tree())!)).toMatchObject({ id: POOL, status: 'PENDING_CREATE', vip_id: null, lb_method: 'ROUND_ROBIN', provider: 'haproxy', subnet_id: SUB });
    vip(g, { session_persistence: { type: 'APP_COOKIE', cookie_name: 'sid' } });
    expect(g.tree().loadbalancer).toMatchObject({ vip_address: '10.0.0.10', vip_port_id: 'vip-port', vip_subnet_id: SUB });
    expect(presentV1Vip(v1Shape(g.tree())!)).toMatchObject({ id: VIP, status: 'PENDING_CREATE', address: '10.0.0.10', pool_id: POOL, connection_limit: -1, session_persistence: { type: 'APP_COOKIE', cookie_name: 'sid' } });
    g.provision();
    const shape = v1Shape(g.tree())!;
    expect(presentV1Pool(shape)).toMatchObject({ status: 'ACTIVE', vip_id: VIP });
    expect(presentV1Vip(shape)!.status).toBe('ACTIVE');
  });

  it('v1 has no immutable-while-pending rule: members follow each other while the agent catches up; v2 still answers 409', () => {
    const g = new Given();
    pool(g);
    vip(g);
    member(g, M1, '10.0.0.21');
    expect(() => member(g, '44444444-4444-4444-8444-444444444445', '10.0.0.22')).not.toThrow();
    const v2 = thrown(() => loadBalancerDecider.decide({ type: 'CreateChild', kind: 'member', id: 'x', now, parent: POOL, actor: owner, body: { member: { address: '10.0.0.23', protocol_port: 80 } } }, g.state()));
    expect(v2.status).toBe(409);
    g.provision();
    expect(g.tree().members.map((m) => presentV1Member(g.tree(), m).status)).toEqual(['ACTIVE', 'ACTIVE']);
    expect(thrown(() => member(g, 'y', '10.0.0.21'))).toMatchObject({ status: 409, type: 'MemberExists', message: `Member with address 10.0.0.21 and port 80 already present in pool ${POOL}` });
  });

  it('refuses what Kilo refused, with its exceptions', () => {
    const g = new Given();
    pool(g);
    expect(thrown(() => vip(g, { protocol: 'TCP' }))).toMatchObject({ status: 400, type: 'ProtocolMismatch', message: 'Protocol TCP does not match pool protocol HTTP' });
    vip(g);
    expect(thrown(() => vip(g))).toMatchObject({ status: 409, type: 'VipExists', message: `Another Vip already exists for pool ${POOL}` });
    expect(thrown(() => g.run({ type: 'DeleteV1Pool', poolId: POOL, actor: owner }))).toMatchObject({ status: 409, type: 'PoolInUse', message: `Pool ${POOL} is still in use` });
    expect(thrown(() => g.run({ type: 'DeleteV1Pool', poolId: POOL, actor: other }))).toMatchObject({ status: 404, type: 'PoolNotFound' });
    expect(thrown(() => parseV1('pool', { pool: { subnet_id: SUB, protocol: 'UDP', lb_method: 'ROUND_ROBIN' } }, owner, true)).message).toMatch(/^Invalid input for protocol\. Reason: UDP is not in valid_values/);
    expect(thrown(() => parseV1('member', { member: { pool_id: POOL, address: '10.0.0.1', protocol_port: 80, weight: 257 } }, owner, true)).message).toBe(
      "Invalid input for weight. Reason: '257' is too large - must be no larger than '256'.",
    );
    expect(thrown(() => new Given().run({ type: 'CreateV1Pool', actor: owner, id: 'p2', now, host: 'h1', attrs: parseV1('pool', { pool: { subnet_id: SUB, protocol: 'HTTP', lb_method: 'ROUND_ROBIN', provider: 'octavia' } }, owner, true) }))).toMatchObject({
      status: 400, type: 'ServiceProviderNotFound',
    });
  });

  it('deleting the VIP clears the address (nothing to run again) and the session persistence; deleting the pool then deletes the tree', () => {
    const g = new Given();
    pool(g);
    vip(g, { session_persistence: { type: 'SOURCE_IP' } });
    g.provision();
    const out = g.run({ type: 'DeleteV1Vip', vipId: VIP, actor: owner });
    expect(out.map((e) => e.type)).toEqual(['listener.deleting', 'loadbalancer.updated', 'pool.updated']);
    g.provision();
    expect(g.tree().listeners).toEqual([]);
    expect(g.tree().loadbalancer.vip_port_id).toBe('');
    expect(presentV1Pool(v1Shape(g.tree())!)).toMatchObject({ vip_id: null, status: 'PENDING_CREATE' });
    expect(g.run({ type: 'DeleteV1Pool', poolId: POOL, actor: owner }).map((e) => e.type)).toEqual(['loadbalancer.deleting']);
    expect(thrown(() => member(g, M1, '10.0.0.21'))).toMatchObject({ status: 409, type: 'StateInvalid' });
  });

  it('a standalone monitor: one per pool here, associated once, 409 on delete while it serves a pool, delay >= timeout', () => {
    const monitorState = { monitor: undefined, pools: [] as string[] };
    const [created] = lbMonitorDecider.decide(
      { type: 'CreateV1Monitor', actor: owner, id: HM, now, body: { health_monitor: { type: 'HTTP', delay: 2, timeout: 1, max_retries: 2 } } },
      monitorState,
    );
    const monitor = (created.data as { monitor: V1HealthMonitor }).monitor;
    expect(monitor).toMatchObject({ http_method: 'GET', url_path: '/', expected_codes: '200', admin_state_up: true });
    expect(thrown(() => lbMonitorDecider.decide({ type: 'CreateV1Monitor', actor: owner, id: 'h2', now, body: { health_monitor: { type: 'TCP', delay: 1, timeout: 2, max_retries: 2 } } }, monitorState))).toMatchObject({
      status: 400, type: 'DelayOrTimeoutInvalid', message: 'Delay must be greater than or equal to timeout',
    });
    expect(thrown(() => lbMonitorDecider.decide({ type: 'DeleteV1Monitor', actor: owner }, { monitor, pools: [POOL] }))).toMatchObject({ status: 409, type: 'HealthMonitorInUse' });
    const g = new Given();
    pool(g);
    const assoc = g.run({ type: 'AssociateV1Monitor', poolId: POOL, monitor, actor: owner, id: 'tree-hm', now });
    expect(assoc[0]).toMatchObject({ type: 'healthmonitor.created', data: { healthmonitor: { id: 'tree-hm', v1_monitor_id: HM, pool_id: POOL, delay: 2, timeout: 1, max_retries: 2, url_path: '/' } } });
    expect(presentV1Pool(v1Shape(g.tree())!).health_monitors).toEqual([HM]);
    expect(thrown(() => g.run({ type: 'AssociateV1Monitor', poolId: POOL, monitor, actor: owner, id: 'again', now }))).toMatchObject({ status: 409, type: 'PoolMonitorAssociationExists' });
    expect(thrown(() => g.run({ type: 'AssociateV1Monitor', poolId: POOL, monitor: { ...monitor, id: 'other' }, actor: owner, id: 'third', now })).message).toMatch(/one health monitor per pool/);
    expect(g.run({ type: 'DisassociateV1Monitor', poolId: POOL, monitorId: HM, actor: owner }).map((e) => e.type)).toEqual(['healthmonitor.deleting']);
    expect(thrown(() => g.run({ type: 'DisassociateV1Monitor', poolId: POOL, monitorId: HM, actor: owner }))).toMatchObject({ status: 404, type: 'PoolMonitorAssociationNotFound' });
  });

  it('a member is on the pool\'s subnet, or refused with the subnet named', () => {
    const g = new Given();
    pool(g);
    const shape = v1Shape(g.tree())!;
    expect(v1MemberSubnet(shape, '10.0.0.7', facts.subnet, facts.subnetsOf)).toBe(SUB);
    expect(() => v1MemberSubnet(shape, '192.0.2.7', facts.subnet, facts.subnetsOf)).toThrow(`not on the pool's subnet ${SUB} (10.0.0.0/24)`);
  });

  it('a v2 tree of v1\'s shape (one pool, its one listener) is seen through v1; one with two listeners is not', () => {
    const [LB2, L1, P1, L2] = ['a1111111-1111-4111-8111-111111111111', 'a2222222-2222-4222-8222-222222222222', 'a3333333-3333-4333-8333-333333333333', 'a4444444-4444-4444-8444-444444444444'];
    const g = new Given();
    g.run({ type: 'CreateLoadBalancer', body: { loadbalancer: { name: 'lb', vip_subnet_id: SUB } }, actor: owner, id: LB2, now, host: 'h1', vip: { address: '10.0.0.5', port_id: 'p5', subnet_id: SUB, network_id: NET } });
    g.provision();
    g.run({ type: 'CreateChild', kind: 'listener', id: L1, now, actor: owner, body: { listener: { loadbalancer_id: LB2, protocol: 'HTTP', protocol_port: 80 } } });
    g.provision();
    g.run({ type: 'CreateChild', kind: 'pool', id: P1, now, actor: owner, body: { pool: { listener_id: L1, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } } });
    g.provision();
    const shape = v1Shape(g.tree())!;
    expect(presentV1Pool(shape)).toMatchObject({ id: P1, vip_id: L1, subnet_id: SUB, status: 'ACTIVE' });
    expect(presentV1Vip(shape)).toMatchObject({ id: L1, address: '10.0.0.5', port_id: 'p5' });
    g.run({ type: 'CreateChild', kind: 'listener', id: L2, now, actor: owner, body: { listener: { loadbalancer_id: LB2, protocol: 'TCP', protocol_port: 81 } } });
    expect(v1Shape(g.tree())).toBeUndefined();
  });
});
