import { EventLike, applyChanges, bumpRevision, dataOf } from '../common/evolve';
import type { Network } from '../model';

/**
 * The network view after one event. Besides network.*, subnet.created and
 * subnet.deleted of this network maintain `subnets` and — as in Zed — count as
 * a revision of the network. (Zed also bumps the network on subnet updates;
 * subnet.updated carries no network id, so route it through bumpRevision.)
 */
export function evolveNetwork(view: Network | undefined, event: EventLike): Network | undefined {
  switch (event.type) {
    case 'network.created':
      return structuredClone(dataOf(event, 'network.created').network);
    case 'network.updated':
      return view && applyChanges(view, dataOf(event, 'network.updated').changes, event.at);
    case 'network.deleted':
      return view && view.id === dataOf(event, 'network.deleted').network_id ? undefined : view;
    case 'network.deleting': {
      const { network_id, id } = dataOf(event, 'network.deleting');
      return view && view.id === network_id ? { ...view, deleting: [...(view.deleting ?? []), id] } : view;
    }
    case 'network.deleting_cancelled': {
      const { network_id, id } = dataOf(event, 'network.deleting_cancelled');
      return view && view.id === network_id ? withoutMark(view, id) : view;
    }
    case 'network.rbac_added': {
      const { network_id, entry } = dataOf(event, 'network.rbac_added');
      return view && view.id === network_id ? { ...view, rbac: [...(view.rbac ?? []), structuredClone(entry)] } : view;
    }
    case 'network.rbac_updated': {
      const { network_id, policy_id, target_tenant } = dataOf(event, 'network.rbac_updated');
      return view && view.id === network_id ? { ...view, rbac: (view.rbac ?? []).map((e) => (e.id === policy_id ? { ...e, target_tenant } : e)) } : view;
    }
    case 'network.rbac_removed': {
      const { network_id, policy_id } = dataOf(event, 'network.rbac_removed');
      if (!view || view.id !== network_id) return view;
      const { rbac = [], ...rest } = view;
      const left = rbac.filter((e) => e.id !== policy_id);
      return left.length ? { ...rest, rbac: left } : rest;
    }
    case 'network.subnet_removed': {
      const { network_id, subnet_id } = dataOf(event, 'network.subnet_removed');
      return view && view.id === network_id ? { ...view, removed_subnets: [...(view.removed_subnets ?? []), subnet_id] } : view;
    }
    case 'subnet.created':
    case 'subnet.deleted':
      return view && evolveNetworkSubnets(view, event);
    default:
      return view;
  }
}

/** One pending deletion mark fewer (a network keeps no empty internal fields). */
function withoutMark(view: Network, id: string, every = false): Network {
  const { deleting = [], ...rest } = view;
  const i = deleting.indexOf(id);
  const left = every ? deleting.filter((d) => d !== id) : i < 0 ? deleting : [...deleting.slice(0, i), ...deleting.slice(i + 1)];
  return left.length ? { ...rest, deleting: left } : rest;
}

/** Maintains network.subnets from subnet.created / subnet.deleted (other events: unchanged). */
export function evolveNetworkSubnets(view: Network, event: EventLike): Network {
  if (event.type === 'subnet.created') {
    const s = dataOf(event, 'subnet.created').subnet;
    if (s.network_id !== view.id || view.subnets.includes(s.id)) return view;
    return { ...bumpRevision(view, event.at), subnets: [...view.subnets, s.id] };
  }
  if (event.type === 'subnet.deleted') {
    const { subnet_id, network_id } = dataOf(event, 'subnet.deleted');
    if (network_id !== view.id || !view.subnets.includes(subnet_id)) return view;
    const { removed_subnets = [], ...rest } = withoutMark(view, subnet_id, true);
    const removed = removed_subnets.filter((id) => id !== subnet_id);
    return { ...bumpRevision(rest, event.at), subnets: view.subnets.filter((id) => id !== subnet_id), ...(removed.length ? { removed_subnets: removed } : {}) };
  }
  return view;
}
