import { EventLike, applyChanges, dataOf } from '../common/evolve';
import type { FloatingIp } from '../model';

export function evolveFloatingIp(view: FloatingIp | undefined, event: EventLike): FloatingIp | undefined {
  switch (event.type) {
    case 'floatingip.created':
      return structuredClone(dataOf(event, 'floatingip.created').floatingip);
    case 'floatingip.updated':
      return view && applyChanges<FloatingIp>(view, dataOf(event, 'floatingip.updated').changes, event.at);
    case 'floatingip.deleted':
      return undefined;
    default:
      return view;
  }
}
