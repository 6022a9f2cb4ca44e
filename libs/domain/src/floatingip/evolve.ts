import { EventLike, applyChanges, bumpRevision, dataOf } from '../common/evolve';
import type { FloatingIp } from '../model';

export function evolveFloatingIp(view: FloatingIp | undefined, event: EventLike): FloatingIp | undefined {
  switch (event.type) {
    case 'floatingip.created':
      return structuredClone(dataOf(event, 'floatingip.created').floatingip);
    case 'floatingip.updated':
      return view && applyChanges<FloatingIp>(view, dataOf(event, 'floatingip.updated').changes, event.at);
    case 'floatingip.port_forwarding_created': {
      const d = dataOf(event, 'floatingip.port_forwarding_created');
      return view && { ...bumpRevision(view, event.at), router_id: d.router_id, port_forwardings: [...(view.port_forwardings ?? []), structuredClone(d.port_forwarding)] };
    }
    case 'floatingip.port_forwarding_updated': {
      const d = dataOf(event, 'floatingip.port_forwarding_updated');
      const pfs = (view?.port_forwardings ?? []).map((p) => (p.id === d.port_forwarding_id ? { ...p, ...structuredClone(d.changes) } : p));
      return view && { ...bumpRevision(view, event.at), port_forwardings: pfs };
    }
    case 'floatingip.port_forwarding_deleted': {
      const d = dataOf(event, 'floatingip.port_forwarding_deleted');
      const pfs = (view?.port_forwardings ?? []).filter((p) => !d.port_forwarding_ids.includes(p.id));
      return view && { ...bumpRevision(view, event.at), router_id: d.router_id, port_forwardings: pfs };
    }
    case 'floatingip.deleted':
      return undefined;
    default:
      return view;
  }
}
