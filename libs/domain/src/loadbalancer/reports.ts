import type { CoreEvent } from '../events';
import { hasPending } from './evolve';
import type { LoadBalancerTree } from './model';

/**
 * What an lbaas-agent may append about a load balancer it hosts, decided on
 * the tree as its view knows it: each returns the event, or null when there is
 * nothing to say (not hosted here, a newer version pending, nothing changed).
 * The agent appends with the subject's expected sequence, so a report decided
 * on a stale tree loses the race and is decided again.
 */

const hostedHere = (tree: LoadBalancerTree | undefined, host: string): tree is LoadBalancerTree => !!tree && tree.loadbalancer.host === host;

/** The agent applied the tree at `version` (HAProxy running with that config, or nothing to run). */
export function decideProvisioned(tree: LoadBalancerTree | undefined, host: string, version: number): CoreEvent<'loadbalancer.provisioned'> | null {
  if (!hostedHere(tree, host) || tree.loadbalancer.provisioning_status === 'PENDING_DELETE') return null;
  if (version !== tree.loadbalancer.config_version || !hasPending(tree)) return null;
  return { type: 'loadbalancer.provisioned', data: { loadbalancer_id: tree.loadbalancer.id, host, version } };
}

/** HAProxy refused the config of `version` (or it could not be applied). */
export function decideProvisioningFailed(
  tree: LoadBalancerTree | undefined,
  host: string,
  version: number,
  reason: string,
): CoreEvent<'loadbalancer.provisioning_failed'> | null {
  if (!hostedHere(tree, host) || tree.loadbalancer.provisioning_status === 'PENDING_DELETE') return null;
  if (version !== tree.loadbalancer.config_version || !hasPending(tree)) return null;
  return { type: 'loadbalancer.provisioning_failed', data: { loadbalancer_id: tree.loadbalancer.id, host, version, reason: reason.slice(0, 1000) } };
}

/** Member health read from HAProxy: only the members of the tree whose reported state changed. */
export function decideHealthReport(
  tree: LoadBalancerTree | undefined,
  host: string,
  health: Record<string, 'ONLINE' | 'OFFLINE'>,
): CoreEvent<'loadbalancer.health_reported'> | null {
  if (!hostedHere(tree, host) || tree.loadbalancer.provisioning_status === 'PENDING_DELETE') return null;
  const members: Record<string, 'ONLINE' | 'OFFLINE'> = {};
  for (const m of tree.members) {
    const state = health[m.id];
    if (state && tree.health[m.id] !== state) members[m.id] = state;
  }
  return Object.keys(members).length ? { type: 'loadbalancer.health_reported', data: { loadbalancer_id: tree.loadbalancer.id, host, members } } : null;
}

/** The agent removed a deleted load balancer's namespace, HAProxy and files: the aggregate ends. */
export function decideTornDown(tree: LoadBalancerTree | undefined, host: string): CoreEvent<'loadbalancer.deleted'> | null {
  if (!hostedHere(tree, host) || tree.loadbalancer.provisioning_status !== 'PENDING_DELETE') return null;
  return { type: 'loadbalancer.deleted', data: { loadbalancer_id: tree.loadbalancer.id } };
}
