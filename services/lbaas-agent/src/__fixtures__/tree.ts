import type { HealthMonitor, LbObject, Listener, LoadBalancer, LoadBalancerTree, Member, Pool } from '@neutrino/domain';

const base = (id: string): LbObject => ({
  id, name: '', description: '', project_id: 'p1', tenant_id: 'p1', admin_state_up: true, provisioning_status: 'ACTIVE', tags: [],
  created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', revision_number: 0,
});

/** The spec's example (spec/lbaas.md §4) in v2's shape: the v1 VIP id is the listener's, the v1 pool id the pool's. */
export const LB_ID = '6a8a2e1c-49e4-4d8e-9c1f-0c3a0f2b5e11';
export const LISTENER_ID = 'ec4df104-403c-4da2-988e-5a6b794290fe';
export const POOL_ID = '3f314bd2-9fdf-4397-8f1c-ee530a1ed134';
export const MEMBER_IDS = ['cb51bd34-0be6-4044-8f89-a61d2d75cb07', 'a0bd5575-3675-4004-9c6f-b9e9d0e3cedd'];
export const VIP_PORT_ID = '5e234421-01aa-4b5c-9d3e-7f1a2b3c4d5e';

export const lb = (over: Partial<LoadBalancer> = {}): LoadBalancer => ({
  ...base(LB_ID), vip_address: '10.30.0.9', vip_port_id: VIP_PORT_ID, vip_subnet_id: 'subnet-1', vip_network_id: 'net-1', vip_qos_policy_id: null,
  provider: 'haproxy', flavor_id: null, availability_zone: null, host: 'network1', config_version: 1, ...over,
});

export const listener = (over: Partial<Listener> = {}): Listener => ({
  ...base(LISTENER_ID), loadbalancer_id: LB_ID, protocol: 'HTTP', protocol_port: 80, connection_limit: -1, default_pool_id: POOL_ID,
  timeout_client_data: 50000, timeout_member_connect: 5000, timeout_member_data: 50000, timeout_tcp_inspect: 0, insert_headers: {}, allowed_cidrs: null, ...over,
});

export const pool = (over: Partial<Pool> = {}): Pool => ({
  ...base(POOL_ID), loadbalancer_id: LB_ID, listener_id: LISTENER_ID, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', session_persistence: null, healthmonitor_id: 'hm-1', ...over,
});

export const member = (id: string, address: string, over: Partial<Member> = {}): Member => ({
  ...base(id), pool_id: POOL_ID, address, protocol_port: 80, weight: 1, subnet_id: null, backup: false, monitor_address: null, monitor_port: null, ...over,
});

/** TCP monitor delay 5 / timeout 4 / 3 failures to DOWN (v1's max_retries is v2's max_retries_down); rise left at HAProxy's 2. */
export const monitor = (over: Partial<HealthMonitor> = {}): HealthMonitor => ({
  ...base('hm-1'), pool_id: POOL_ID, type: 'TCP', delay: 5, timeout: 4, max_retries: 2, max_retries_down: 3, http_method: 'GET', url_path: '/', expected_codes: '200', ...over,
});

export const specTree = (over: Partial<LoadBalancerTree> = {}): LoadBalancerTree => ({
  loadbalancer: lb(),
  listeners: [listener()],
  pools: [pool()],
  members: [member(MEMBER_IDS[0], '10.30.0.7'), member(MEMBER_IDS[1], '10.30.0.8')],
  healthmonitors: [monitor()],
  health: {},
  ...over,
});
