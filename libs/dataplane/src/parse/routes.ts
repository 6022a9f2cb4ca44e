import type { Route } from '../model/types';

interface IpJsonRoute {
  type?: string;
  dst: string;
  gateway?: string;
  dev?: string;
  table?: string;
  metric?: number;
  prefsrc?: string;
  protocol?: string;
}

/**
 * Parse `ip [-6] -json route show table all`: unicast routes only, without the
 * kernel's own (connected, local, broadcast, multicast).
 */
export function parseRoutesJson(json: string, family: 4 | 6, netns = ''): Route[] {
  const rows = JSON.parse(json || '[]') as IpJsonRoute[];
  return rows
    .filter((r) => (r.type ?? 'unicast') === 'unicast' && r.protocol !== 'kernel' && r.table !== 'local')
    .map((r) => {
      const route: Route = { netns, family, dst: r.dst === 'default' ? (family === 6 ? '::/0' : '0.0.0.0/0') : r.dst };
      if (r.gateway) route.via = r.gateway;
      if (r.dev) route.dev = r.dev;
      if (r.table && r.table !== 'main') route.table = r.table;
      if (r.metric !== undefined) route.metric = r.metric;
      if (r.prefsrc) route.src = r.prefsrc;
      route.protocol = r.protocol ?? 'boot';
      return route;
    });
}
