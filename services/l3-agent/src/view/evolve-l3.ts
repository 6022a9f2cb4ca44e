import { applyChanges, type EventLike, type FloatingIp, type Router } from '@neutrino/domain';

/** The router after one event (evt.router.<id>); status-only facts (scheduling, HA state) leave it as it is. */
export function evolveRouter(view: Router | undefined, e: EventLike): Router | undefined {
  switch (e.type) {
    case 'router.created':
      return structuredClone((e.data as { router: Router }).router);
    case 'router.updated':
      return view && applyChanges(view, (e.data as { changes: Partial<Router> }).changes, e.at);
    case 'router.deleted':
      return undefined;
    default:
      return view;
  }
}

/** The floating IP after one event (evt.floatingip.<id>). */
export function evolveFloatingIp(view: FloatingIp | undefined, e: EventLike): FloatingIp | undefined {
  switch (e.type) {
    case 'floatingip.created':
      return structuredClone((e.data as { floatingip: FloatingIp }).floatingip);
    case 'floatingip.updated':
      return view && applyChanges(view, (e.data as { changes: Partial<FloatingIp> }).changes, e.at);
    case 'floatingip.deleted':
      return undefined;
    default:
      return view;
  }
}
