/** extraroute's checks (_validate_routes): at most max_routes, each nexthop on a subnet of the router's ports and not one of its own addresses. */
import type { FixedIp, HostRoute, Subnet } from '../model';
import { inCidr, parseCidr, parseIp, sameIp } from '@neutrino/netaddr';
import { invalidRoutes, routesExhausted } from './errors';

export const MAX_ROUTES = 30;

export interface RouterAddresses {
  /** The fixed IPs of every port of the router (interfaces and gateway). */
  fixedIps: FixedIp[];
  subnets: Subnet[];
}

export const onSubnet = (address: string, s: Pick<Subnet, 'cidr'>): boolean => {
  const ip = parseIp(address);
  return !!ip && inCidr(parseCidr(s.cidr)!, ip);
};

export function checkRoutes(routerId: string, routes: HostRoute[], at: RouterAddresses, max = MAX_ROUTES): void {
  if (routes.length > max) throw routesExhausted(routerId, max);
  for (const r of routes) {
    if (!at.subnets.some((s) => onSubnet(r.nexthop, s))) throw invalidRoutes(routes, 'the nexthop is not connected with router');
    if (at.fixedIps.some((f) => sameIp(f.ip_address, r.nexthop))) throw invalidRoutes(routes, 'the nexthop is used by router');
  }
}

/** Routes whose nexthop lies on the subnet (removing the subnet's interface would strand them). */
export const routesVia = (routes: HostRoute[], subnet: Pick<Subnet, 'cidr'>): HostRoute[] => routes.filter((r) => onSubnet(r.nexthop, subnet));
