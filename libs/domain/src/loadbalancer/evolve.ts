import { dataOf, type EventLike } from '../common/evolve';
import type { HealthMonitor, LbObject, Listener, LoadBalancerTree, Member, Pool, ProvisioningStatus } from './model';

/**
 * Folds one event of a load balancer's subject into its tree (pure; the
 * gateway's read model and the lbaas-agent's view both use it). Every event
 * that changes what the dataplane must do — a create, update or deletion of
 * any object of the tree — bumps `config_version` and leaves the load
 * balancer PENDING_* (PENDING_CREATE stays until first provisioned). The
 * agent's reports only move statuses: `provisioned` for the current version
 * makes the pending objects ACTIVE and drops the PENDING_DELETE ones.
 */
export function evolveLoadBalancerTree(tree: LoadBalancerTree | undefined, event: EventLike): LoadBalancerTree | undefined {
  if (event.type === 'loadbalancer.created') {
    const { loadbalancer } = dataOf(event, 'loadbalancer.created');
    return { loadbalancer: structuredClone(loadbalancer), listeners: [], pools: [], members: [], healthmonitors: [], health: {} };
  }
  if (!tree) return tree;
  const at = event.at;
  switch (event.type) {
    case 'loadbalancer.updated': {
      const { changes } = dataOf(event, 'loadbalancer.updated');
      return changed({ ...tree, loadbalancer: { ...tree.loadbalancer, ...structuredClone(changes), updated_at: at } }, at);
    }
    case 'loadbalancer.deleting': {
      const del = <T extends LbObject>(o: T): T => withStatus(o, 'PENDING_DELETE', at);
      const next: LoadBalancerTree = {
        ...tree,
        listeners: tree.listeners.map(del),
        pools: tree.pools.map(del),
        members: tree.members.map(del),
        healthmonitors: tree.healthmonitors.map(del),
        loadbalancer: withStatus(tree.loadbalancer, 'PENDING_DELETE', at),
      };
      return bump(next);
    }
    case 'loadbalancer.deleted':
      return undefined;
    case 'loadbalancer.provisioned': {
      const { version } = dataOf(event, 'loadbalancer.provisioned');
      return version === tree.loadbalancer.config_version ? settle(tree, at) : tree;
    }
    case 'loadbalancer.provisioning_failed': {
      const { version } = dataOf(event, 'loadbalancer.provisioning_failed');
      return version === tree.loadbalancer.config_version ? fail(tree, at) : tree;
    }
    case 'loadbalancer.health_reported': {
      const { members } = dataOf(event, 'loadbalancer.health_reported');
      const health = { ...tree.health };
      for (const [id, state] of Object.entries(members)) if (tree.members.some((m) => m.id === id)) health[id] = state;
      return { ...tree, health };
    }
    case 'listener.created': {
      const { listener } = dataOf(event, 'listener.created');
      const pools = listener.default_pool_id ? tree.pools.map((p) => (p.id === listener.default_pool_id ? { ...p, listener_id: listener.id } : p)) : tree.pools;
      return changed({ ...tree, listeners: [...tree.listeners, structuredClone(listener)], pools }, at);
    }
    case 'listener.updated': {
      const { listener_id, changes } = dataOf(event, 'listener.updated');
      const before = tree.listeners.find((l) => l.id === listener_id);
      if (!before) return tree;
      let pools = tree.pools;
      if ('default_pool_id' in changes && changes.default_pool_id !== before.default_pool_id) {
        pools = pools.map((p) =>
          p.id === changes.default_pool_id ? { ...p, listener_id } : p.id === before.default_pool_id && p.listener_id === listener_id ? { ...p, listener_id: null } : p,
        );
      }
      return changed({ ...tree, pools, listeners: update(tree.listeners, listener_id, changes, at) }, at);
    }
    case 'listener.deleting': {
      const { listener_id } = dataOf(event, 'listener.deleting');
      return changed({ ...tree, listeners: mark(tree.listeners, (l) => l.id === listener_id, at) }, at);
    }
    case 'pool.created': {
      const { pool } = dataOf(event, 'pool.created');
      const listeners = pool.listener_id ? tree.listeners.map((l) => (l.id === pool.listener_id ? { ...l, default_pool_id: pool.id } : l)) : tree.listeners;
      return changed({ ...tree, pools: [...tree.pools, structuredClone(pool)], listeners }, at);
    }
    case 'pool.updated': {
      const { pool_id, changes } = dataOf(event, 'pool.updated');
      return changed({ ...tree, pools: update(tree.pools, pool_id, changes, at) }, at);
    }
    case 'pool.deleting': {
      const { pool_id } = dataOf(event, 'pool.deleting');
      return changed({
        ...tree,
        pools: mark(tree.pools, (p) => p.id === pool_id, at),
        members: mark(tree.members, (m) => m.pool_id === pool_id, at),
        healthmonitors: mark(tree.healthmonitors, (h) => h.pool_id === pool_id, at),
      }, at);
    }
    case 'member.created': {
      const { member } = dataOf(event, 'member.created');
      return changed({ ...tree, members: [...tree.members, structuredClone(member)] }, at);
    }
    case 'member.updated': {
      const { member_id, changes } = dataOf(event, 'member.updated');
      return changed({ ...tree, members: update(tree.members, member_id, changes, at) }, at);
    }
    case 'member.deleting': {
      const { member_id } = dataOf(event, 'member.deleting');
      return changed({ ...tree, members: mark(tree.members, (m) => m.id === member_id, at) }, at);
    }
    case 'healthmonitor.created': {
      const { healthmonitor } = dataOf(event, 'healthmonitor.created');
      const pools = tree.pools.map((p) => (p.id === healthmonitor.pool_id ? { ...p, healthmonitor_id: healthmonitor.id } : p));
      return changed({ ...tree, pools, healthmonitors: [...tree.healthmonitors, structuredClone(healthmonitor)] }, at);
    }
    case 'healthmonitor.updated': {
      const { healthmonitor_id, changes } = dataOf(event, 'healthmonitor.updated');
      return changed({ ...tree, healthmonitors: update(tree.healthmonitors, healthmonitor_id, changes, at) }, at);
    }
    case 'healthmonitor.deleting': {
      const { healthmonitor_id } = dataOf(event, 'healthmonitor.deleting');
      return changed({ ...tree, healthmonitors: mark(tree.healthmonitors, (h) => h.id === healthmonitor_id, at) }, at);
    }
    default:
      return tree;
  }
}

const withStatus = <T extends LbObject>(o: T, status: ProvisioningStatus, at: string): T =>
  o.provisioning_status === status ? o : { ...o, provisioning_status: status, updated_at: at };

const bump = (tree: LoadBalancerTree): LoadBalancerTree => ({
  ...tree,
  loadbalancer: { ...tree.loadbalancer, config_version: tree.loadbalancer.config_version + 1 },
});

/** A change of the tree: the load balancer waits for the agent (PENDING_UPDATE, unless still PENDING_CREATE or being deleted). */
function changed(tree: LoadBalancerTree, at: string): LoadBalancerTree {
  const lb = tree.loadbalancer;
  const status = lb.provisioning_status === 'PENDING_CREATE' || lb.provisioning_status === 'PENDING_DELETE' ? lb.provisioning_status : 'PENDING_UPDATE';
  return bump({ ...tree, loadbalancer: withStatus(lb, status, at) });
}

function update<T extends LbObject>(list: T[], id: string, changes: Partial<T>, at: string): T[] {
  return list.map((o) =>
    o.id === id
      ? { ...o, ...structuredClone(changes), provisioning_status: o.provisioning_status === 'PENDING_CREATE' ? 'PENDING_CREATE' : 'PENDING_UPDATE', updated_at: at }
      : o,
  );
}

const mark = <T extends LbObject>(list: T[], which: (o: T) => boolean, at: string): T[] =>
  list.map((o) => (which(o) ? withStatus(o, 'PENDING_DELETE', at) : o));

const isPending = (s: ProvisioningStatus): boolean => s.startsWith('PENDING_');

/** Is anything of the tree waiting for the agent? */
export const hasPending = (tree: LoadBalancerTree): boolean =>
  isPending(tree.loadbalancer.provisioning_status) ||
  [tree.listeners, tree.pools, tree.members, tree.healthmonitors].some((list: LbObject[]) => list.some((o) => isPending(o.provisioning_status)));

/** The agent applied the current version: pending objects ACTIVE, PENDING_DELETE ones gone with what pointed at them. */
function settle(tree: LoadBalancerTree, at: string): LoadBalancerTree {
  const keep = <T extends LbObject>(o: T) => o.provisioning_status !== 'PENDING_DELETE';
  const active = <T extends LbObject>(o: T): T => (isPending(o.provisioning_status) ? withStatus(o, 'ACTIVE', at) : o);
  const listeners: Listener[] = tree.listeners.filter(keep).map(active);
  const pools: Pool[] = tree.pools.filter(keep).map(active);
  const members: Member[] = tree.members.filter(keep).map(active);
  const healthmonitors: HealthMonitor[] = tree.healthmonitors.filter(keep).map(active);
  const poolIds = new Set(pools.map((p) => p.id));
  const listenerIds = new Set(listeners.map((l) => l.id));
  const monitorIds = new Set(healthmonitors.map((h) => h.id));
  const memberIds = new Set(members.map((m) => m.id));
  const health = Object.fromEntries(Object.entries(tree.health).filter(([id]) => memberIds.has(id)));
  const lb = tree.loadbalancer.provisioning_status === 'PENDING_DELETE' ? tree.loadbalancer : active(tree.loadbalancer);
  return {
    loadbalancer: lb,
    listeners: listeners.map((l) => (l.default_pool_id && !poolIds.has(l.default_pool_id) ? { ...l, default_pool_id: null } : l)),
    pools: pools.map((p) => ({
      ...p,
      listener_id: p.listener_id && listenerIds.has(p.listener_id) ? p.listener_id : null,
      healthmonitor_id: p.healthmonitor_id && monitorIds.has(p.healthmonitor_id) ? p.healthmonitor_id : null,
    })),
    members: members.filter((m) => poolIds.has(m.pool_id)),
    healthmonitors: healthmonitors.filter((h) => poolIds.has(h.pool_id)),
    health,
  };
}

/**
 * The agent could not apply the current version (Octavia's revert): pending
 * creates and updates become ERROR, the load balancer ACTIVE again (ERROR if
 * it was never provisioned); PENDING_DELETE objects stay as they are.
 */
function fail(tree: LoadBalancerTree, at: string): LoadBalancerTree {
  const err = <T extends LbObject>(o: T): T =>
    o.provisioning_status === 'PENDING_CREATE' || o.provisioning_status === 'PENDING_UPDATE' ? withStatus(o, 'ERROR', at) : o;
  const lb = tree.loadbalancer;
  const lbStatus: ProvisioningStatus = lb.provisioning_status === 'PENDING_CREATE' ? 'ERROR' : lb.provisioning_status === 'PENDING_UPDATE' ? 'ACTIVE' : lb.provisioning_status;
  return {
    ...tree,
    loadbalancer: withStatus(lb, lbStatus, at),
    listeners: tree.listeners.map(err),
    pools: tree.pools.map(err),
    members: tree.members.map(err),
    healthmonitors: tree.healthmonitors.map(err),
  };
}
