import type { Actor } from '../actor';
import type { Decider } from '../decider';
import type { CoreEvent } from '../events';
import type { Network, Port, Subnet } from '../model';
import { inCidr, parseCidr, parseIp } from '@neutrino/netaddr';
import { evolveLoadBalancerTree } from './evolve';
import {
  duplicateListener, duplicateMember, duplicateMonitor, duplicatePoolForListener, flavorsUnsupported, immutable, lbNotFound, protocolMismatch, providerNotFound,
  validation, type LbKind,
} from './errors';
import type { HealthMonitor, LbChild, LbChildKind, LbObject, Listener, LoadBalancer, LoadBalancerTree, Member, Pool } from './model';
import { checkMonitor, parseLbCreate, parseLbUpdate } from './validate';
import { canSeeLb } from './visibility';
import { decideV1Tree, type V1TreeCommand } from './v1-decide';
import { v1Errors } from './v1';

export type LoadBalancerEvent = CoreEvent<
  | 'loadbalancer.created' | 'loadbalancer.updated' | 'loadbalancer.deleting' | 'loadbalancer.deleted'
  | 'listener.created' | 'listener.updated' | 'listener.deleting'
  | 'pool.created' | 'pool.updated' | 'pool.deleting'
  | 'member.created' | 'member.updated' | 'member.deleting'
  | 'healthmonitor.created' | 'healthmonitor.updated' | 'healthmonitor.deleting'
>;

/** The providers this deployment serves: the lbaas-agent's HAProxy (Octavia's amphora driver is not here). */
export const LB_PROVIDERS = [{ name: 'haproxy', description: 'The Neutrino lbaas-agent: one HAProxy per load balancer in a qlbaas- namespace.' }];

/** Where the VIP comes from, settled before any address is taken. */
export interface VipPlan {
  network_id: string;
  subnet_id: string;
  /** a specific address (vip_address, or the first fixed IP of a given vip_port_id) */
  ip_address?: string;
  /** the caller's own port (vip_port_id): used as is, never deleted with the load balancer */
  port_id?: string;
}

export type LoadBalancerCommand =
  | { type: 'CreateLoadBalancer'; body: unknown; actor: Actor; id: string; now: string; vip: { address: string; port_id: string; subnet_id: string; network_id: string }; host: string }
  | { type: 'UpdateLoadBalancer'; body: unknown; actor: Actor }
  | { type: 'DeleteLoadBalancer'; actor: Actor; cascade: boolean }
  /** No live agent hosts it: its dataplane is gone with the agent, the aggregate ends here. */
  | { type: 'ForgetLoadBalancer' }
  /**
   * `parent`: the member's pool (members are a sub-resource of /pools/<id>/members).
   * `v1`: asked through LBaaS v1, which has no immutable-while-pending rule (only a tree being deleted refuses).
   */
  | { type: 'CreateChild'; kind: LbChildKind; body: unknown; actor: Actor; id: string; now: string; parent?: string; v1?: boolean }
  | { type: 'UpdateChild'; kind: LbChildKind; id: string; body: unknown; actor: Actor; parent?: string; v1?: boolean }
  | { type: 'DeleteChild'; kind: LbChildKind; id: string; actor: Actor; parent?: string; v1?: boolean }
  | V1TreeCommand;

export interface LoadBalancerState {
  tree: LoadBalancerTree | undefined;
  /** a subnet the caller may see (members' subnet_id) */
  subnet: (id: string) => Subnet | undefined;
  subnetsOf: (networkId: string) => Subnet[];
}

/** The listeners, pools, members or health monitors of a tree. */
export const childrenOf = (tree: LoadBalancerTree, kind: LbChildKind): LbChild[] =>
  kind === 'listener' ? tree.listeners : kind === 'pool' ? tree.pools : kind === 'member' ? tree.members : tree.healthmonitors;

const pending = (o: LbObject) => o.provisioning_status.startsWith('PENDING_');

/**
 * Octavia: nothing of a load balancer changes while it (or the object) waits
 * for the dataplane. v1 (Kilo's assert_modification_allowed): only what is
 * being deleted refuses.
 */
function mutable(tree: LoadBalancerTree, child?: { kind: LbKind; o: LbObject }, v1 = false): void {
  if (v1) {
    for (const o of [tree.loadbalancer, child?.o]) if (o?.provisioning_status === 'PENDING_DELETE') throw v1Errors.stateInvalid(o.id, o.provisioning_status);
    return;
  }
  if (pending(tree.loadbalancer)) throw immutable('loadbalancer', tree.loadbalancer.id);
  if (child && pending(child.o)) throw immutable(child.kind, child.o.id);
}

function visibleTree(tree: LoadBalancerTree | undefined, actor: Actor, id = ''): LoadBalancerTree {
  if (!tree || !canSeeLb(tree.loadbalancer, actor)) throw lbNotFound('loadbalancer', tree?.loadbalancer.id ?? id);
  return tree;
}

function findChild<T extends LbChild>(tree: LoadBalancerTree | undefined, kind: LbChildKind, id: string, actor: Actor, parent?: string): T {
  const o = tree && (childrenOf(tree, kind) as T[]).find((x) => x.id === id);
  if (!o || !canSeeLb(o, actor) || (kind === 'member' && parent && (o as Member).pool_id !== parent)) throw lbNotFound(kind, id);
  return o;
}

/**
 * A create's checks before any address is taken: the body, provider and
 * flavor, and where the VIP comes from (vip_port_id, vip_subnet_id, or
 * vip_network_id's first IPv4 subnet), with vip_address inside it.
 */
export function planLoadBalancerCreate(
  body: unknown,
  actor: Actor,
  ctx: { subnet: (id: string) => Subnet | undefined; network: (id: string) => Network | undefined; port: (id: string) => Port | undefined; subnetsOf: (id: string) => Subnet[] },
): { attrs: Record<string, unknown>; vip: VipPlan } {
  const a = parseLbCreate('loadbalancer', body, actor);
  if (a.provider !== 'haproxy') throw providerNotFound(a.provider as string);
  if (a.flavor_id !== undefined && a.flavor_id !== null) throw flavorsUnsupported();
  if (a.vip_qos_policy_id) throw validation('vip_qos_policy_id is not supported by this deployment.');
  if (!a.vip_subnet_id && !a.vip_network_id && !a.vip_port_id) throw validation('VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.');
  const address = a.vip_address as string | undefined;
  if (a.vip_port_id) {
    const port = ctx.port(a.vip_port_id as string);
    if (!port) throw lbNotFound('port', a.vip_port_id as string);
    if (port.device_owner && port.device_id) throw validation(`Port ${port.id} is already in use by ${port.device_owner} ${port.device_id}.`);
    if (a.vip_network_id && a.vip_network_id !== port.network_id) throw validation(`vip_network_id ${String(a.vip_network_id)} is not the network of port ${port.id}.`);
    const fixed = port.fixed_ips.find((f) => (!a.vip_subnet_id || f.subnet_id === a.vip_subnet_id) && (!address || f.ip_address === address));
    if (!fixed) throw validation(`Port ${port.id} has no fixed IP ${address ?? ''}${a.vip_subnet_id ? ` on subnet ${String(a.vip_subnet_id)}` : ''}.`.replace(' .', '.'));
    return { attrs: a, vip: { network_id: port.network_id, subnet_id: fixed.subnet_id, ip_address: fixed.ip_address, port_id: port.id } };
  }
  let subnet: Subnet | undefined;
  if (a.vip_subnet_id) {
    subnet = ctx.subnet(a.vip_subnet_id as string);
    if (!subnet) throw lbNotFound('subnet', a.vip_subnet_id as string);
    if (a.vip_network_id && a.vip_network_id !== subnet.network_id) throw validation(`Subnet ${subnet.id} is not on network ${String(a.vip_network_id)}.`);
  } else {
    const net = ctx.network(a.vip_network_id as string);
    if (!net) throw lbNotFound('network', a.vip_network_id as string);
    const subnets = ctx.subnetsOf(net.id);
    subnet = address ? subnets.find((s) => contains(s, address)) : (subnets.find((s) => s.ip_version === 4) ?? subnets[0]);
    if (!subnet) throw validation(address ? `No subnet of network ${net.id} holds vip_address ${address}.` : `Supplied network ${net.id} does not contain any subnets.`);
  }
  if (address && !contains(subnet, address)) throw validation(`vip_address ${address} is not inside subnet ${subnet.id} (${subnet.cidr}).`);
  return { attrs: a, vip: { network_id: subnet.network_id, subnet_id: subnet.id, ...(address ? { ip_address: address } : {}) } };
}

function contains(s: Subnet, address: string): boolean {
  const c = parseCidr(s.cidr);
  const ip = parseIp(address);
  return !!c && !!ip && inCidr(c, ip);
}

const common = (a: Record<string, unknown>, id: string, now: string) => ({
  id,
  name: a.name as string,
  description: a.description as string,
  project_id: a.project_id as string,
  tenant_id: a.project_id as string,
  admin_state_up: a.admin_state_up as boolean,
  provisioning_status: 'PENDING_CREATE' as const,
  tags: a.tags as string[],
  created_at: now,
  updated_at: now,
  revision_number: 0,
});

function createLoadBalancer(command: Extract<LoadBalancerCommand, { type: 'CreateLoadBalancer' }>): LoadBalancerEvent[] {
  const a = parseLbCreate('loadbalancer', command.body, command.actor);
  const loadbalancer: LoadBalancer = {
    ...common(a, command.id, command.now),
    vip_address: command.vip.address,
    vip_port_id: command.vip.port_id,
    vip_subnet_id: command.vip.subnet_id,
    vip_network_id: command.vip.network_id,
    vip_qos_policy_id: null,
    provider: a.provider as string,
    flavor_id: null,
    availability_zone: null,
    host: command.host,
    config_version: 1,
  };
  return [{ type: 'loadbalancer.created', data: { loadbalancer } }];
}

const sameProtocol = (listener: Listener, pool: Pool | { protocol: string }) => {
  if (listener.protocol !== pool.protocol) throw protocolMismatch(listener.protocol, pool.protocol);
};

function createChild(tree: LoadBalancerTree, command: Extract<LoadBalancerCommand, { type: 'CreateChild' }>, state: LoadBalancerState): LoadBalancerEvent[] {
  const { kind, actor, id, now } = command;
  const v1 = !!command.v1;
  if (childrenOf(tree, kind).some((o) => o.id === id)) throw validation(`${kind} ${id} already exists.`);
  const a = parseLbCreate(kind, kind === 'member' ? command.body : command.body, actor);
  const lb = tree.loadbalancer;
  // a child belongs to its load balancer's project (Octavia takes it from the parent)
  const base = { ...common({ ...a, project_id: lb.project_id }, id, now) };
  const live = <T extends LbObject>(o: T) => o.provisioning_status !== 'PENDING_DELETE';
  switch (kind) {
    case 'listener': {
      if (a.loadbalancer_id !== lb.id) throw lbNotFound('loadbalancer', a.loadbalancer_id as string);
      mutable(tree);
      if (tree.listeners.some((l) => live(l) && l.protocol_port === a.protocol_port)) throw duplicateListener(a.protocol_port as number);
      const listener: Listener = {
        ...base, loadbalancer_id: lb.id, protocol: a.protocol as Listener['protocol'], protocol_port: a.protocol_port as number,
        connection_limit: a.connection_limit as number, default_pool_id: (a.default_pool_id as string | null) ?? null,
        timeout_client_data: a.timeout_client_data as number, timeout_member_connect: a.timeout_member_connect as number,
        timeout_member_data: a.timeout_member_data as number, timeout_tcp_inspect: a.timeout_tcp_inspect as number,
        insert_headers: a.insert_headers as Record<string, string>, allowed_cidrs: a.allowed_cidrs as string[] | null,
      };
      if (listener.default_pool_id) defaultPool(tree, listener, listener.default_pool_id);
      return [{ type: 'listener.created', data: { listener } }];
    }
    case 'pool': {
      if (!a.loadbalancer_id && !a.listener_id) throw validation('loadbalancer_id or listener_id must be specified.');
      let listener: Listener | undefined;
      if (a.listener_id) {
        listener = tree.listeners.find((l) => l.id === a.listener_id && live(l) && canSeeLb(l, actor));
        if (!listener) throw lbNotFound('listener', a.listener_id as string);
      }
      if (a.loadbalancer_id && a.loadbalancer_id !== lb.id) {
        throw a.listener_id ? validation(`Listener ${String(a.listener_id)} is not on Load Balancer ${String(a.loadbalancer_id)}.`) : lbNotFound('loadbalancer', a.loadbalancer_id as string);
      }
      mutable(tree);
      if (listener) {
        if (listener.default_pool_id) throw duplicatePoolForListener(listener.id);
        sameProtocol(listener, a as { protocol: string });
      }
      const pool: Pool = {
        ...base, loadbalancer_id: lb.id, listener_id: listener?.id ?? null, protocol: a.protocol as Pool['protocol'],
        lb_algorithm: a.lb_algorithm as Pool['lb_algorithm'], session_persistence: a.session_persistence as Pool['session_persistence'], healthmonitor_id: null,
      };
      return [{ type: 'pool.created', data: { pool } }];
    }
    case 'member': {
      if (v1) mutable(tree, undefined, true);
      const pool = tree.pools.find((p) => p.id === command.parent && live(p) && canSeeLb(p, actor));
      if (!pool) throw v1 ? v1Errors.poolNotFound(command.parent ?? '') : lbNotFound('pool', command.parent ?? '');
      mutable(tree, { kind: 'pool', o: pool }, v1);
      const address = a.address as string;
      let subnet: Subnet | undefined;
      if (a.subnet_id) {
        subnet = state.subnet(a.subnet_id as string);
        if (!subnet) throw lbNotFound('subnet', a.subnet_id as string);
        if (!contains(subnet, address)) throw validation(`Member address ${address} is not inside subnet ${subnet.id} (${subnet.cidr}).`);
      } else {
        subnet = state.subnetsOf(lb.vip_network_id).find((s) => contains(s, address));
        if (!subnet) {
          throw validation(`Member address ${address} is not inside any subnet of the load balancer's network ${lb.vip_network_id}; give the member's subnet_id.`);
        }
      }
      const port = a.protocol_port as number;
      if (tree.members.some((m) => m.pool_id === pool.id && live(m) && m.address === address && m.protocol_port === port)) {
        throw v1 ? v1Errors.memberExists(address, port, pool.id) : duplicateMember(address, port);
      }
      const member: Member = {
        ...base, pool_id: pool.id, address, protocol_port: port, weight: a.weight as number, subnet_id: subnet.id, backup: a.backup as boolean,
        monitor_address: a.monitor_address as string | null, monitor_port: a.monitor_port as number | null,
      };
      return [{ type: 'member.created', data: { member } }];
    }
    case 'healthmonitor': {
      const pool = tree.pools.find((p) => p.id === a.pool_id && live(p) && canSeeLb(p, actor));
      if (!pool) throw lbNotFound('pool', a.pool_id as string);
      mutable(tree, { kind: 'pool', o: pool });
      if (pool.healthmonitor_id || tree.healthmonitors.some((h) => h.pool_id === pool.id && live(h))) throw duplicateMonitor();
      const http = a.type === 'HTTP' || a.type === 'HTTPS';
      const m = {
        type: a.type as HealthMonitor['type'], delay: a.delay as number, timeout: a.timeout as number,
        http_method: http ? ((a.http_method as string) ?? 'GET') : '', url_path: http ? ((a.url_path as string) ?? '/') : '',
        expected_codes: http ? ((a.expected_codes as string) ?? '200') : '',
      };
      checkMonitor(m, a);
      const healthmonitor: HealthMonitor = { ...base, pool_id: pool.id, ...m, max_retries: a.max_retries as number, max_retries_down: a.max_retries_down as number };
      return [{ type: 'healthmonitor.created', data: { healthmonitor } }];
    }
  }
}

/** A listener's default pool: on the same load balancer (else Octavia's 404), the same protocol, nobody else's default. */
function defaultPool(tree: LoadBalancerTree, listener: Listener, poolId: string): void {
  const pool = tree.pools.find((p) => p.id === poolId && p.provisioning_status !== 'PENDING_DELETE');
  if (!pool) throw lbNotFound('pool', poolId);
  sameProtocol(listener, pool);
  if (pool.listener_id && pool.listener_id !== listener.id) throw validation(`Pool ${pool.id} is already the default pool of listener ${pool.listener_id}.`);
}

function updateChild(tree: LoadBalancerTree, command: Extract<LoadBalancerCommand, { type: 'UpdateChild' }>): LoadBalancerEvent[] {
  const { kind, id, actor } = command;
  const o = findChild(tree, kind, id, actor, command.parent);
  const changes = parseLbUpdate(kind, command.body);
  mutable(tree, { kind, o }, command.v1);
  switch (kind) {
    case 'listener': {
      const next = { ...(o as Listener), ...changes } as Listener;
      if (changes.default_pool_id) defaultPool(tree, next, changes.default_pool_id as string);
      return [{ type: 'listener.updated', data: { listener_id: id, changes: changes as Partial<Listener> } }];
    }
    case 'pool':
      return [{ type: 'pool.updated', data: { pool_id: id, changes: changes as Partial<Pool> } }];
    case 'member':
      return [{ type: 'member.updated', data: { member_id: id, changes: changes as Partial<Member> } }];
    case 'healthmonitor': {
      const next = { ...(o as HealthMonitor), ...changes } as HealthMonitor;
      checkMonitor(next, changes);
      return [{ type: 'healthmonitor.updated', data: { healthmonitor_id: id, changes: changes as Partial<HealthMonitor> } }];
    }
  }
}

function deleteChild(tree: LoadBalancerTree, command: Extract<LoadBalancerCommand, { type: 'DeleteChild' }>): LoadBalancerEvent[] {
  const { kind, id } = command;
  const o = findChild(tree, kind, id, command.actor, command.parent);
  mutable(tree, { kind, o }, command.v1);
  switch (kind) {
    case 'listener':
      return [{ type: 'listener.deleting', data: { listener_id: id } }];
    case 'pool':
      return [{ type: 'pool.deleting', data: { pool_id: id } }];
    case 'member':
      return [{ type: 'member.deleting', data: { member_id: id } }];
    case 'healthmonitor':
      return [{ type: 'healthmonitor.deleting', data: { healthmonitor_id: id } }];
  }
}

function decide(command: LoadBalancerCommand, state: LoadBalancerState): LoadBalancerEvent[] {
  const tree = state.tree;
  switch (command.type) {
    case 'CreateLoadBalancer':
      if (tree) throw validation(`Load Balancer ${command.id} already exists.`);
      return createLoadBalancer(command);
    case 'UpdateLoadBalancer': {
      const t = visibleTree(tree, command.actor);
      const changes = parseLbUpdate('loadbalancer', command.body);
      if (changes.vip_qos_policy_id) throw validation('vip_qos_policy_id is not supported by this deployment.');
      delete changes.vip_qos_policy_id;
      mutable(t);
      return [{ type: 'loadbalancer.updated', data: { changes: changes as Partial<LoadBalancer> } }];
    }
    case 'DeleteLoadBalancer': {
      const t = visibleTree(tree, command.actor);
      mutable(t);
      const children = t.listeners.length + t.pools.length;
      if (children && !command.cascade) throw validation(`Cannot delete Load Balancer ${t.loadbalancer.id} - it has children`);
      return [{ type: 'loadbalancer.deleting', data: { loadbalancer_id: t.loadbalancer.id } }];
    }
    case 'ForgetLoadBalancer':
      return tree?.loadbalancer.provisioning_status === 'PENDING_DELETE' ? [{ type: 'loadbalancer.deleted', data: { loadbalancer_id: tree.loadbalancer.id } }] : [];
    case 'CreateChild':
      return createChild(visibleTree(tree, command.actor), command, state);
    case 'UpdateChild':
      return updateChild(visibleTree(tree, command.actor), command);
    case 'DeleteChild':
      return deleteChild(visibleTree(tree, command.actor), command);
    default:
      return decideV1Tree(command, state);
  }
}

export const loadBalancerDecider: Decider<LoadBalancerCommand, LoadBalancerState, LoadBalancerEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, tree: evolveLoadBalancerTree(state.tree, event) }),
  initialState: () => ({ tree: undefined, subnet: () => undefined, subnetsOf: () => [] }),
};
