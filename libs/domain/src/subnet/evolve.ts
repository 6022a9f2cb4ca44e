import { EventLike, applyChanges, dataOf } from '../common/evolve';
import type { Subnet } from '../model';

/** The subnet view after one event; a deleted network takes its subnets with it. */
export function evolveSubnet(view: Subnet | undefined, event: EventLike): Subnet | undefined {
  switch (event.type) {
    case 'subnet.created':
      return structuredClone(dataOf(event, 'subnet.created').subnet);
    case 'subnet.updated':
      return view && applyChanges(view, dataOf(event, 'subnet.updated').changes, event.at);
    case 'subnet.deleted':
      return view && view.id === dataOf(event, 'subnet.deleted').subnet_id ? undefined : view;
    case 'network.deleted':
      return view && view.network_id === dataOf(event, 'network.deleted').network_id ? undefined : view;
    default:
      return view;
  }
}
