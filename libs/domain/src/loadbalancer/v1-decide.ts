/**
 * The LBaaS v1 commands that are not a plain child create/update/delete of
 * the tree (those go through the v2 commands with `v1: true`): making a pool
 * (a new tree), its VIP (the tree's address and its one listener), deleting
 * them, and (dis)associating a standalone health monitor. v1 knows no
 * "immutable while pending" rule: a v1 command is only refused on a tree
 * being deleted (StateInvalid), as Kilo's assert_modification_allowed.
 */
import type { Actor } from '../actor';
import type { CoreEvent } from '../events';
import type { Subnet } from '../model';
import type { Parsed } from '../common/attributes';
import { subnetNotFound } from '../common/errors';
import { inCidr, parseCidr, parseIp } from '@neutrino/netaddr';
import type { HealthMonitor, Listener, LoadBalancer, LoadBalancerTree, Pool, SessionPersistence, V1HealthMonitor } from './model';
import { madeByV1, v1Errors, v1Shape, type V1Shape } from './v1';
import { canSeeLb } from './visibility';

export type V1TreeEvent = CoreEvent<
  'loadbalancer.created' | 'loadbalancer.updated' | 'loadbalancer.deleting' | 'pool.created' | 'pool.updated' | 'pool.deleting' |
  'listener.created' | 'listener.updated' | 'listener.deleting' | 'healthmonitor.created' | 'healthmonitor.deleting'
>;

export interface V1VipAddress {
  address: string;
  port_id: string;
  subnet_id: string;
  network_id: string;
}

export type V1TreeCommand =
  /** `attrs`: the pool body through parseV1; `host`: the lbaas-agent it is scheduled to */
  | { type: 'CreateV1Pool'; attrs: Parsed; actor: Actor; id: string; now: string; host: string }
  | { type: 'DeleteV1Pool'; poolId: string; actor: Actor }
  | { type: 'CreateV1Vip'; attrs: Parsed; actor: Actor; id: string; now: string; vip: V1VipAddress }
  | { type: 'UpdateV1Vip'; vipId: string; attrs: Parsed; actor: Actor }
  | { type: 'DeleteV1Vip'; vipId: string; actor: Actor }
  /** `id`: the tree monitor's id (one per monitor and pool) */
  | { type: 'AssociateV1Monitor'; poolId: string; monitor: V1HealthMonitor; actor: Actor; id: string; now: string }
  | { type: 'DisassociateV1Monitor'; poolId: string; monitorId: string; actor: Actor };

export interface V1TreeState {
  tree: LoadBalancerTree | undefined;
  subnet: (id: string) => Subnet | undefined;
}

const contains = (s: Subnet, address: string): boolean => {
  const c = parseCidr(s.cidr);
  const ip = parseIp(address);
  return !!c && !!ip && inCidr(c, ip);
};

/** The v1 pool a command names: the tree must hold it in v1's shape, visible to the caller, not being deleted. */
function poolOf(tree: LoadBalancerTree | undefined, poolId: string, actor: Actor): V1Shape {
  const shape = tree && v1Shape(tree);
  if (!shape || shape.pool.id !== poolId || !canSeeLb(shape.pool, actor)) throw v1Errors.poolNotFound(poolId);
  if (shape.tree.loadbalancer.provisioning_status === 'PENDING_DELETE' || shape.pool.provisioning_status === 'PENDING_DELETE') {
    throw v1Errors.stateInvalid(poolId, 'PENDING_DELETE');
  }
  return shape;
}

function vipOf(tree: LoadBalancerTree | undefined, vipId: string, actor: Actor): V1Shape & { vip: Listener } {
  const shape = tree && v1Shape(tree);
  if (!shape?.vip || shape.vip.id !== vipId || !canSeeLb(shape.vip, actor)) throw v1Errors.vipNotFound(vipId);
  if (shape.vip.provisioning_status === 'PENDING_DELETE' || shape.tree.loadbalancer.provisioning_status === 'PENDING_DELETE') {
    throw v1Errors.stateInvalid(vipId, 'PENDING_DELETE');
  }
  return shape as V1Shape & { vip: Listener };
}

const persistenceOf = (sp: unknown): SessionPersistence | null => {
  const o = sp as { type?: string; cookie_name?: string | null } | undefined;
  if (!o?.type) return null;
  if (o.type === 'APP_COOKIE' && !o.cookie_name) throw v1Errors.unsupported("'cookie_name' should be specified for this type of session persistence.");
  if (o.type !== 'APP_COOKIE' && o.cookie_name !== undefined) throw v1Errors.unsupported("'cookie_name' is not allowed for this type of session persistence");
  return { type: o.type as SessionPersistence['type'], cookie_name: o.type === 'APP_COOKIE' ? (o.cookie_name as string) : null };
};

const EMPTY_VIP = { vip_address: '', vip_port_id: '', vip_subnet_id: '', vip_network_id: '' };

export function decideV1Tree(command: V1TreeCommand, state: V1TreeState): V1TreeEvent[] {
  const { tree } = state;
  switch (command.type) {
    case 'CreateV1Pool': {
      if (tree) throw v1Errors.unsupported(`Pool ${command.id} already exists.`);
      const a = command.attrs;
      if (a.provider !== undefined && a.provider !== 'haproxy') throw v1Errors.providerNotFound(String(a.provider));
      if (!state.subnet(a.subnet_id as string)) throw subnetNotFound(a.subnet_id as string);
      const common = {
        id: command.id, name: a.name as string, description: a.description as string, project_id: a.project_id as string, tenant_id: a.project_id as string,
        provisioning_status: 'PENDING_CREATE' as const, tags: [], created_at: command.now, updated_at: command.now, revision_number: 0,
      };
      const loadbalancer: LoadBalancer = {
        ...common, admin_state_up: true, ...EMPTY_VIP, vip_qos_policy_id: null, provider: 'haproxy', flavor_id: null, availability_zone: null,
        host: command.host, config_version: 1,
      };
      const pool: Pool = {
        ...common, admin_state_up: a.admin_state_up as boolean, loadbalancer_id: command.id, listener_id: null, protocol: a.protocol as Pool['protocol'],
        lb_algorithm: a.lb_method as Pool['lb_algorithm'], session_persistence: null, healthmonitor_id: null, subnet_id: a.subnet_id as string,
      };
      return [{ type: 'loadbalancer.created', data: { loadbalancer } }, { type: 'pool.created', data: { pool } }];
    }
    case 'DeleteV1Pool': {
      const shape = poolOf(tree, command.poolId, command.actor);
      if (shape.vip) throw v1Errors.poolInUse(shape.pool.id);
      return madeByV1(shape)
        ? [{ type: 'loadbalancer.deleting', data: { loadbalancer_id: shape.tree.loadbalancer.id } }]
        : [{ type: 'pool.deleting', data: { pool_id: shape.pool.id } }];
    }
    case 'CreateV1Vip': {
      const a = command.attrs;
      const shape = poolOf(tree, a.pool_id as string, command.actor);
      if (shape.vip) throw v1Errors.vipExists(shape.pool.id);
      if (shape.pool.project_id !== a.project_id) throw v1Errors.poolNotFound(shape.pool.id);
      if (shape.pool.protocol !== a.protocol) throw v1Errors.protocolMismatch(a.protocol as string, shape.pool.protocol);
      const lb = shape.tree.loadbalancer;
      const events: V1TreeEvent[] = [];
      if (lb.vip_port_id) {
        // a v2 load balancer: its VIP address is already there; the v1 VIP can only be on it
        if (lb.vip_subnet_id !== a.subnet_id || (a.address && a.address !== lb.vip_address) || command.vip.port_id !== lb.vip_port_id) {
          throw v1Errors.unsupported(`Pool ${shape.pool.id} belongs to load balancer ${lb.id}, whose VIP is ${lb.vip_address} on subnet ${lb.vip_subnet_id}: a v1 VIP on this pool must use that address.`);
        }
      } else {
        const sub = state.subnet(command.vip.subnet_id);
        if (!sub) throw subnetNotFound(command.vip.subnet_id);
        if (!contains(sub, command.vip.address)) throw v1Errors.unsupported(`Address ${command.vip.address} is not inside subnet ${sub.id} (${sub.cidr}).`);
        events.push({
          type: 'loadbalancer.updated',
          data: { changes: { vip_address: command.vip.address, vip_port_id: command.vip.port_id, vip_subnet_id: command.vip.subnet_id, vip_network_id: command.vip.network_id } },
        });
      }
      const listener: Listener = {
        id: command.id, name: a.name as string, description: a.description as string, project_id: shape.pool.project_id, tenant_id: shape.pool.project_id,
        admin_state_up: a.admin_state_up as boolean, provisioning_status: 'PENDING_CREATE', tags: [], created_at: command.now, updated_at: command.now, revision_number: 0,
        loadbalancer_id: lb.id, protocol: a.protocol as Listener['protocol'], protocol_port: a.protocol_port as number, connection_limit: a.connection_limit as number,
        default_pool_id: shape.pool.id, timeout_client_data: 50000, timeout_member_connect: 5000, timeout_member_data: 50000, timeout_tcp_inspect: 0,
        insert_headers: {}, allowed_cidrs: null,
      };
      events.push({ type: 'listener.created', data: { listener } });
      const sp = persistenceOf(a.session_persistence);
      if (sp || shape.pool.session_persistence) events.push({ type: 'pool.updated', data: { pool_id: shape.pool.id, changes: { session_persistence: sp } } });
      return events;
    }
    case 'UpdateV1Vip': {
      const shape = vipOf(tree, command.vipId, command.actor);
      const a = command.attrs;
      if (a.pool_id !== undefined && a.pool_id !== shape.pool.id) {
        throw v1Errors.unsupported(
          `A VIP cannot move to another pool here: a VIP and its pool are one load balancer. Delete VIP ${shape.vip.id} and create it on pool ${String(a.pool_id)}.`,
        );
      }
      const changes: Partial<Listener> = {};
      for (const k of ['name', 'description', 'connection_limit', 'admin_state_up'] as const) if (a[k] !== undefined) (changes as Record<string, unknown>)[k] = a[k];
      const events: V1TreeEvent[] = [];
      if (Object.keys(changes).length) events.push({ type: 'listener.updated', data: { listener_id: shape.vip.id, changes } });
      // Kilo's update_vip: a body without session_persistence removes it
      const sp = persistenceOf(a.session_persistence);
      if (JSON.stringify(sp) !== JSON.stringify(shape.pool.session_persistence)) {
        events.push({ type: 'pool.updated', data: { pool_id: shape.pool.id, changes: { session_persistence: sp } } });
      }
      return events;
    }
    case 'DeleteV1Vip': {
      const shape = vipOf(tree, command.vipId, command.actor);
      const events: V1TreeEvent[] = [{ type: 'listener.deleting', data: { listener_id: shape.vip.id } }];
      if (madeByV1(shape)) events.push({ type: 'loadbalancer.updated', data: { changes: { ...EMPTY_VIP } } });
      if (shape.pool.session_persistence) events.push({ type: 'pool.updated', data: { pool_id: shape.pool.id, changes: { session_persistence: null } } });
      return events;
    }
    case 'AssociateV1Monitor': {
      const shape = poolOf(tree, command.poolId, command.actor);
      const m = command.monitor;
      const current = shape.tree.healthmonitors.filter((h) => h.pool_id === shape.pool.id && h.provisioning_status !== 'PENDING_DELETE');
      if (current.some((h) => h.v1_monitor_id === m.id || h.id === m.id)) throw v1Errors.associationExists(m.id, shape.pool.id);
      if (current.length) throw v1Errors.oneMonitorPerPool(shape.pool.id, current[0].v1_monitor_id ?? current[0].id);
      const http = m.type === 'HTTP' || m.type === 'HTTPS';
      const healthmonitor: HealthMonitor = {
        id: command.id, name: '', description: '', project_id: shape.pool.project_id, tenant_id: shape.pool.project_id, admin_state_up: m.admin_state_up,
        provisioning_status: 'PENDING_CREATE', tags: [], created_at: command.now, updated_at: command.now, revision_number: 0,
        pool_id: shape.pool.id, type: m.type, delay: m.delay, timeout: m.timeout, max_retries: m.max_retries, max_retries_down: 3,
        http_method: http ? m.http_method : '', url_path: http ? m.url_path : '', expected_codes: http ? m.expected_codes : '', v1_monitor_id: m.id,
      };
      return [{ type: 'healthmonitor.created', data: { healthmonitor } }];
    }
    case 'DisassociateV1Monitor': {
      const shape = poolOf(tree, command.poolId, command.actor);
      const h = shape.tree.healthmonitors.find(
        (x) => x.pool_id === shape.pool.id && x.provisioning_status !== 'PENDING_DELETE' && (x.v1_monitor_id ?? x.id) === command.monitorId,
      );
      if (!h) throw v1Errors.associationNotFound(command.monitorId, shape.pool.id);
      return [{ type: 'healthmonitor.deleting', data: { healthmonitor_id: h.id } }];
    }
  }
}

/** The subnet a v1 member is on: the pool's when the address is inside it, else any visible subnet of that network holding it. */
export function v1MemberSubnet(shape: V1Shape, address: string, subnet: (id: string) => Subnet | undefined, subnetsOf: (networkId: string) => Subnet[]): string {
  const poolSubnet = subnet(shape.pool.subnet_id ?? shape.tree.loadbalancer.vip_subnet_id);
  if (poolSubnet && contains(poolSubnet, address)) return poolSubnet.id;
  const other = poolSubnet ? subnetsOf(poolSubnet.network_id).find((s) => contains(s, address)) : undefined;
  if (other) return other.id;
  throw v1Errors.unsupported(
    `Member address ${address} is not on the pool's subnet${poolSubnet ? ` ${poolSubnet.id} (${poolSubnet.cidr})` : ''} or its network: the load balancer reaches its members there.`,
  );
}
