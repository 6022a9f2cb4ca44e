import { EventLike, applyChanges, dataOf } from '../common/evolve';
import type { Port } from '../model';

/** The port view after one event; a deleted network takes its (DHCP) ports with it. */
export function evolvePort(view: Port | undefined, event: EventLike): Port | undefined {
  switch (event.type) {
    case 'port.created':
      return structuredClone(dataOf(event, 'port.created').port);
    case 'port.updated':
      return view && applyChanges(view, dataOf(event, 'port.updated').changes, event.at);
    case 'port.deleted':
      return view && view.id === dataOf(event, 'port.deleted').port_id ? undefined : view;
    case 'network.deleted':
      return view && view.network_id === dataOf(event, 'network.deleted').network_id ? undefined : view;
    default:
      return view;
  }
}
