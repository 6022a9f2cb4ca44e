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
    case 'subnet.created':
    case 'subnet.deleted':
      return view && evolveNetworkSubnets(view, event);
    default:
      return view;
  }
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
    return { ...bumpRevision(view, event.at), subnets: view.subnets.filter((id) => id !== subnet_id) };
  }
  return view;
}
