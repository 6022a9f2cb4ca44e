import { EventLike, applyChanges, bumpRevision, dataOf } from '../common/evolve';
import type { Router } from '../model';

/** The router view after one event (scheduling and HA states are kept beside it: see evolvePlacement). */
export function evolveRouter(view: Router | undefined, event: EventLike): Router | undefined {
  switch (event.type) {
    case 'router.created':
      return structuredClone(dataOf(event, 'router.created').router);
    case 'router.updated':
      return view && applyChanges<Router>(view, dataOf(event, 'router.updated').changes, event.at);
    case 'router.interface_added':
      // Zed counts an interface added as a change of the router (revision_number, updated_at).
      return view && bumpRevision(view, event.at);
    case 'router.deleted':
      return undefined;
    default:
      return view;
  }
}

/** Where a router runs: its l3-agent hosts and, for HA routers, each host's reported VRRP state. */
export interface RouterPlacement {
  hosts: string[];
  ha_states: Record<string, 'active' | 'standby' | 'unknown'>;
}

export function evolvePlacement(view: RouterPlacement | undefined, event: EventLike): RouterPlacement | undefined {
  switch (event.type) {
    case 'router.scheduled': {
      const hosts = [...dataOf(event, 'router.scheduled').hosts];
      const ha_states = Object.fromEntries(Object.entries(view?.ha_states ?? {}).filter(([h]) => hosts.includes(h)));
      return { hosts, ha_states };
    }
    case 'router.ha_state_reported': {
      const { host, ha_state } = dataOf(event, 'router.ha_state_reported');
      const base = view ?? { hosts: [], ha_states: {} };
      // VRRP has one master: a newer "active" supersedes an older one (a host that died cannot report its demotion).
      const others = ha_state === 'active'
        ? Object.fromEntries(Object.entries(base.ha_states).map(([h, s]) => [h, s === 'active' ? 'standby' : s]))
        : base.ha_states;
      return { ...base, ha_states: { ...others, [host]: ha_state } };
    }
    case 'router.deleted':
      return undefined;
    default:
      return view;
  }
}
