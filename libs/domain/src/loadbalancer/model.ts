import type { Timestamps } from '../model';

/**
 * Load balancing (LBaaS v2 in Octavia's shape, spec/lbaas.md). One aggregate
 * per load balancer, `evt.loadbalancer.<lb_id>`: the load balancer and its
 * whole tree (listeners, pools, members, health monitors) live on that one
 * subject, so the tree's invariants (a listener port once per VIP, one
 * monitor per pool, nothing changes while PENDING_*) are serialized there.
 */

export type ProvisioningStatus = 'ACTIVE' | 'PENDING_CREATE' | 'PENDING_UPDATE' | 'PENDING_DELETE' | 'ERROR';
export type OperatingStatus = 'ONLINE' | 'OFFLINE' | 'DEGRADED' | 'ERROR' | 'NO_MONITOR';
export type ListenerProtocol = 'TCP' | 'HTTP' | 'HTTPS';
export type PoolProtocol = 'TCP' | 'HTTP' | 'HTTPS';
export type LbAlgorithm = 'ROUND_ROBIN' | 'LEAST_CONNECTIONS' | 'SOURCE_IP';
export type PersistenceType = 'SOURCE_IP' | 'HTTP_COOKIE' | 'APP_COOKIE';
export type MonitorType = 'PING' | 'TCP' | 'HTTP' | 'HTTPS';

/** What every object of the tree carries (Octavia's base attributes). */
export interface LbObject extends Timestamps {
  id: string;
  name: string;
  description: string;
  project_id: string;
  tenant_id: string;
  admin_state_up: boolean;
  provisioning_status: ProvisioningStatus;
  tags: string[];
}

export interface LoadBalancer extends LbObject {
  /** '' (with the other vip_ fields) for a v1 pool whose VIP is not created yet: nothing to deploy */
  vip_address: string;
  vip_port_id: string;
  vip_subnet_id: string;
  vip_network_id: string;
  vip_qos_policy_id: null;
  provider: string;
  flavor_id: null;
  availability_zone: null;
  /** The lbaas-agent host it is scheduled to (Octavia hides it; admins see it in the agent's list). */
  host: string;
  /**
   * Bumped by every change of the tree that the dataplane must apply; an agent
   * reports the version it applied (loadbalancer.provisioned), which turns the
   * objects that were PENDING_* at that version ACTIVE.
   */
  config_version: number;
}

export interface Listener extends LbObject {
  loadbalancer_id: string;
  protocol: ListenerProtocol;
  protocol_port: number;
  /** -1: no limit */
  connection_limit: number;
  default_pool_id: string | null;
  timeout_client_data: number;
  timeout_member_connect: number;
  timeout_member_data: number;
  timeout_tcp_inspect: number;
  insert_headers: Record<string, string>;
  allowed_cidrs: string[] | null;
}

export interface SessionPersistence {
  type: PersistenceType;
  /** APP_COOKIE only */
  cookie_name: string | null;
}

export interface Pool extends LbObject {
  loadbalancer_id: string;
  /** the listener whose default pool it is (Octavia's `listeners: [{id}]`), or null */
  listener_id: string | null;
  protocol: PoolProtocol;
  lb_algorithm: LbAlgorithm;
  session_persistence: SessionPersistence | null;
  healthmonitor_id: string | null;
  /** LBaaS v1: the subnet the pool's members are on (`lb-pool-create --subnet-id`); absent on v2 pools */
  subnet_id?: string;
}

export interface Member extends LbObject {
  pool_id: string;
  address: string;
  protocol_port: number;
  weight: number;
  subnet_id: string | null;
  backup: boolean;
  monitor_address: string | null;
  monitor_port: number | null;
}

export interface HealthMonitor extends LbObject {
  pool_id: string;
  type: MonitorType;
  delay: number;
  timeout: number;
  max_retries: number;
  max_retries_down: number;
  http_method: string;
  url_path: string;
  expected_codes: string;
  /** LBaaS v1: the standalone health monitor (evt.lbmonitor.<id>) this one applies to its pool */
  v1_monitor_id?: string;
}

/**
 * An LBaaS v1 health monitor (`/v2.0/lb/health_monitors`, its own aggregate
 * evt.lbmonitor.<id>): a template that serves any number of pools. Associating
 * it with a pool puts a HealthMonitor carrying `v1_monitor_id` into that
 * pool's tree; an update is applied to each of those.
 */
export interface V1HealthMonitor {
  id: string;
  project_id: string;
  tenant_id: string;
  type: MonitorType;
  delay: number;
  timeout: number;
  max_retries: number;
  http_method: string;
  url_path: string;
  expected_codes: string;
  admin_state_up: boolean;
  created_at: string;
  updated_at: string;
}

/**
 * The aggregate's state: the load balancer and its children, each list in
 * creation order (HAProxy's server lines follow the members' order).
 * PENDING_DELETE children stay until the agent reports the version that
 * removed them.
 */
export interface LoadBalancerTree {
  loadbalancer: LoadBalancer;
  listeners: Listener[];
  pools: Pool[];
  members: Member[];
  healthmonitors: HealthMonitor[];
  /** Member health as the hosting agent last reported it (member id → ONLINE/OFFLINE); absent: not reported yet. */
  health: Record<string, 'ONLINE' | 'OFFLINE'>;
}

export type LbChildKind = 'listener' | 'pool' | 'member' | 'healthmonitor';
export type LbChild = Listener | Pool | Member | HealthMonitor;
