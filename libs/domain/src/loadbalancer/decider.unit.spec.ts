import { deciderSpec } from '../decider-spec';
import type { Subnet } from '../model';
import { loadBalancerDecider, planLoadBalancerCreate, type LoadBalancerEvent } from './decider';
import { operatingStatuses } from './present';

const spec = deciderSpec(loadBalancerDecider);
const P = 'project-a';
const owner = { user_id: 'u', project_id: P, roles: ['member'] };
const other = { user_id: 'v', project_id: 'project-b', roles: ['member'] };
const now = '2026-01-01T00:00:00Z';
const LB = '11111111-1111-4111-8111-111111111111';
const L1 = '22222222-2222-4222-8222-222222222222';
const P1 = '33333333-3333-4333-8333-333333333333';
const M1 = '44444444-4444-4444-8444-444444444444';
const H1 = '55555555-5555-4555-8555-555555555555';
const NET = '66666666-6666-4666-8666-666666666666';
const SUB = '77777777-7777-4777-8777-777777777777';
const SUB_B = '88888888-8888-4888-8888-888888888888';
const subnet = { id: SUB, network_id: NET, cidr: '10.0.0.0/24', ip_version: 4, project_id: P } as Subnet;
const facts = { subnet: (id: string) => (id === SUB ? subnet : undefined), subnetsOf: (id: string) => (id === NET ? [subnet] : []) };

const created = (): LoadBalancerEvent[] =>
  loadBalancerDecider.decide(
    { type: 'CreateLoadBalancer', body: { loadbalancer: { name: 'lb1', vip_subnet_id: SUB } }, actor: owner, id: LB, now, vip: { address: '10.0.0.5', port_id: 'vip-port', subnet_id: SUB, network_id: NET }, host: 'h1' },
    loadBalancerDecider.initialState(),
  );
const provisioned = (version: number): LoadBalancerEvent => ({ type: 'loadbalancer.provisioned', data: { loadbalancer_id: LB, host: 'h1', version } } as unknown as LoadBalancerEvent);
const child = (kind: 'listener' | 'pool' | 'member' | 'healthmonitor', id: string, body: Record<string, unknown>, parent?: string, actor = owner) =>
  ({ type: 'CreateChild' as const, kind, body: { [kind]: body }, actor, id, now, parent });
const listenerBody = { loadbalancer_id: LB, protocol: 'HTTP', protocol_port: 80 };
const one = (c: Parameters<typeof loadBalancerDecider.decide>[0], events: LoadBalancerEvent[]) => {
  let s = { ...loadBalancerDecider.initialState(), ...facts };
  for (const e of events) s = loadBalancerDecider.evolve(s, { ...e, at: now } as never);
  return loadBalancerDecider.decide(c, s);
};

/** An active load balancer with an HTTP listener on 80 and its pool (each step provisioned). */
function activeTree(): LoadBalancerEvent[] {
  const events = [...created(), provisioned(1)];
  events.push(...one(child('listener', L1, listenerBody), events), provisioned(2));
  events.push(...one(child('pool', P1, { listener_id: L1, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' }), events), provisioned(3));
  return events;
}

describe('load balancer decider: given / when / then', () => {
  it('creates with Octavia defaults, PENDING_CREATE, version 1, the scheduled host', () => {
    const [e] = created();
    const lb = (e.data as unknown as { loadbalancer: Record<string, unknown> }).loadbalancer;
    expect(lb).toMatchObject({ provisioning_status: 'PENDING_CREATE', provider: 'haproxy', host: 'h1', config_version: 1, admin_state_up: true, description: '', project_id: P });
  });

  it('refuses a provider it does not serve and any flavor', () => {
    const ctx = { subnet: facts.subnet, network: () => undefined, port: () => undefined, subnetsOf: facts.subnetsOf };
    expect(() => planLoadBalancerCreate({ loadbalancer: { vip_subnet_id: SUB, provider: 'amphora' } }, owner, ctx)).toThrow(/Provider 'amphora' was not found/);
    expect(() => planLoadBalancerCreate({ loadbalancer: { vip_subnet_id: SUB, flavor_id: NET } }, owner, ctx)).toThrow(/flavor_id must be absent/);
    expect(() => planLoadBalancerCreate({ loadbalancer: { vip_subnet_id: SUB_B } }, owner, ctx)).toThrow(`Subnet ${SUB_B} could not be found.`);
    expect(() => planLoadBalancerCreate({ loadbalancer: { vip_subnet_id: SUB, vip_address: '10.9.0.1' } }, owner, ctx)).toThrow(/not inside subnet/);
    expect(planLoadBalancerCreate({ loadbalancer: { vip_subnet_id: SUB, vip_address: '10.0.0.9' } }, owner, ctx).vip).toEqual({ network_id: NET, subnet_id: SUB, ip_address: '10.0.0.9' });
  });

  it('nothing changes while the load balancer is PENDING_*: Octavia\'s 409', () => {
    spec.given(created(), facts).when(child('listener', L1, listenerBody)).then({ status: 409, type: 'ImmutableObject', message: `Load Balancer ${LB} is immutable and cannot be updated.` });
    spec.given(created(), facts).when({ type: 'UpdateLoadBalancer', body: { loadbalancer: { name: 'x' } }, actor: owner }).then({ status: 409, type: 'ImmutableObject' });
  });

  it('a protocol_port once per load balancer', () => {
    spec.given(activeTree(), facts).when(child('listener', 'l2', listenerBody)).then({
      status: 409, type: 'DuplicateListenerEntry', message: 'Another Listener on this Load Balancer is already using protocol_port 80',
    });
  });

  it('another project sees nothing: 404 on its load balancer', () => {
    spec.given(activeTree(), facts).when(child('listener', 'l2', { ...listenerBody, protocol_port: 81 }, undefined, other)).then({
      status: 404, type: 'NotFound', message: `Load Balancer ${LB} could not be found.`,
    });
  });

  it('pool protocol must match the listener\'s', () => {
    const events = [...created(), provisioned(1)];
    events.push(...one(child('listener', L1, listenerBody), events), provisioned(2));
    spec.given(events, facts).when(child('pool', P1, { listener_id: L1, protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN' })).then({
      status: 400, type: 'ValidationException', message: "Validation failure: The pool protocol 'TCP' is invalid while the listener protocol is 'HTTP'.",
    });
  });

  it('members: inside a subnet of the load balancer\'s network, or of the given (visible) subnet', () => {
    spec.given(activeTree(), facts).when(child('member', M1, { address: '192.168.9.9', protocol_port: 80 }, P1)).then({ status: 400, type: 'ValidationException' });
    spec.given(activeTree(), facts).when(child('member', M1, { address: '10.0.0.9', protocol_port: 80, subnet_id: SUB_B }, P1)).then({
      status: 404, type: 'NotFound', message: `Subnet ${SUB_B} could not be found.`,
    });
    spec.given(activeTree(), facts).when(child('member', M1, { address: '10.0.0.9', protocol_port: 80, weight: 257 }, P1)).then({ status: 400, type: 'InvalidInput' });
    const [e] = spec.given(activeTree(), facts).when(child('member', M1, { address: '10.0.0.9', protocol_port: 80 }, P1)).then(one(child('member', M1, { address: '10.0.0.9', protocol_port: 80 }, P1), activeTree()));
    expect(e.data).toMatchObject({ member: { weight: 1, subnet_id: SUB, backup: false, provisioning_status: 'PENDING_CREATE' } });
  });

  it('health monitors: one per pool, delay >= timeout, expected_codes, url_path, http_method, max_retries', () => {
    const hm = { pool_id: P1, type: 'HTTP', delay: 5, timeout: 3, max_retries: 3 };
    const [e] = one(child('healthmonitor', H1, hm), activeTree());
    expect(e.data).toMatchObject({ healthmonitor: { http_method: 'GET', url_path: '/', expected_codes: '200', max_retries_down: 3 } });
    const withHm = [...activeTree(), e, provisioned(4)];
    spec.given(withHm, facts).when(child('healthmonitor', 'h2', hm)).then({ status: 409, type: 'DuplicateHealthMonitor' });
    const bad = (extra: Record<string, unknown>, type: string) => spec.given(activeTree(), facts).when(child('healthmonitor', H1, { ...hm, ...extra })).then({ status: 400, type });
    bad({ delay: 2 }, 'ValidationException');
    bad({ expected_codes: '20' }, 'InvalidInput');
    bad({ expected_codes: '200-' }, 'InvalidInput');
    bad({ url_path: 'health' }, 'InvalidInput');
    bad({ http_method: 'FETCH' }, 'InvalidInput');
    bad({ max_retries: 11 }, 'InvalidInput');
    bad({ max_retries_down: 0 }, 'InvalidInput');
    for (const codes of ['200', '200,202', '200-204']) expect(one(child('healthmonitor', H1, { ...hm, expected_codes: codes }), activeTree())).toHaveLength(1);
  });

  it('delete: refused with children unless cascade; cascade marks everything PENDING_DELETE', () => {
    spec.given(activeTree(), facts).when({ type: 'DeleteLoadBalancer', actor: owner, cascade: false }).then({
      status: 400, type: 'ValidationException', message: `Validation failure: Cannot delete Load Balancer ${LB} - it has children`,
    });
    spec.given(activeTree(), facts).when({ type: 'DeleteLoadBalancer', actor: owner, cascade: true }).then([{ type: 'loadbalancer.deleting', data: { loadbalancer_id: LB } }]);
  });

  it('operating status: OFFLINE before provisioning, NO_MONITOR members without a monitor, DEGRADED with one member down', () => {
    const fold = (events: LoadBalancerEvent[]) => spec.given(events, facts).state.tree!;
    expect(operatingStatuses(fold(created())).get(LB)).toBe('OFFLINE');
    const m2 = '99999999-9999-4999-8999-999999999999';
    let events = activeTree();
    events = [...events, ...one(child('member', M1, { address: '10.0.0.9', protocol_port: 80 }, P1), events), provisioned(4)];
    events = [...events, ...one(child('member', m2, { address: '10.0.0.10', protocol_port: 80 }, P1), events), provisioned(5)];
    expect(operatingStatuses(fold(events)).get(M1)).toBe('NO_MONITOR');
    expect(operatingStatuses(fold(events)).get(LB)).toBe('ONLINE');
    const health = { type: 'loadbalancer.health_reported', data: { loadbalancer_id: LB, host: 'h1', members: { [M1]: 'OFFLINE', [m2]: 'ONLINE' } } } as unknown as LoadBalancerEvent;
    const ops = operatingStatuses(fold([...events, health]));
    expect([ops.get(M1), ops.get(P1), ops.get(L1), ops.get(LB)]).toEqual(['OFFLINE', 'DEGRADED', 'DEGRADED', 'DEGRADED']);
  });

  it('a listener\'s default pool: on the same load balancer (404 otherwise) and of its protocol', () => {
    spec.given(activeTree(), facts).when(child('listener', 'l2', { ...listenerBody, protocol_port: 81, default_pool_id: M1 })).then({
      status: 404, type: 'NotFound', message: `Pool ${M1} could not be found.`,
    });
    spec.given(activeTree(), facts).when(child('listener', 'l2', { ...listenerBody, protocol: 'TCP', protocol_port: 81, default_pool_id: P1 })).then({ status: 400, type: 'ValidationException' });
  });

  it('an object waiting for the agent cannot change, nor can anything while its load balancer waits', () => {
    const events = activeTree();
    const pending = [...events, ...one({ type: 'UpdateChild', kind: 'pool', id: P1, body: { pool: { name: 'p' } }, actor: owner }, events)];
    spec.given(pending, facts).when({ type: 'DeleteChild', kind: 'listener', id: L1, actor: owner }).then({ status: 409, type: 'ImmutableObject', message: `Load Balancer ${LB} is immutable and cannot be updated.` });
    spec.given(activeTree(), facts).when({ type: 'UpdateChild', kind: 'pool', id: P1, body: { pool: { protocol: 'TCP' } }, actor: owner }).then({ status: 400, type: 'InvalidInput' });
    spec.given(activeTree(), facts).when({ type: 'UpdateChild', kind: 'pool', id: P1, body: { pool: { name: 'p' } }, actor: other }).then({ status: 404, type: 'NotFound' });
  });

  it('a deleted load balancer whose host has no live agent ends at once; one not being deleted does not', () => {
    spec.given(activeTree(), facts).when({ type: 'ForgetLoadBalancer' }).then([]);
    const deleting = [...activeTree(), { type: 'loadbalancer.deleting', data: { loadbalancer_id: LB } } as LoadBalancerEvent];
    spec.given(deleting, facts).when({ type: 'ForgetLoadBalancer' }).then([{ type: 'loadbalancer.deleted', data: { loadbalancer_id: LB } }]);
  });
});
