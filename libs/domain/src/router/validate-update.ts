/** PUT /v2.0/routers/<id>: the changed attributes and the gateway asked for, or Zed's error. */
import type { Actor } from '../actor';
import { parseAttributes } from '../common/attributes';
import { unwrapUpdate } from '../common/body';
import { pyEquals } from '../common/validators';
import type { HostRoute, Router } from '../model';
import { ROUTER_ATTRS } from './attributes';
import { badRouterRequest, distributedChangeRefused, distributedNotSupported, routerNotFound } from './errors';
import { clearsGateway, planGateway, type GatewayRequest } from './gateway';
import { enforceRouterPolicy } from './policy';
import { checkRoutes, type RouterAddresses } from './routes';
import type { RouterNetworks } from './validate-create';
import { canSeeRouter } from './visibility';

export interface RouterUpdatePlan {
  changes: Partial<Pick<Router, 'name' | 'description' | 'admin_state_up' | 'routes' | 'ha'>>;
  /** undefined: the gateway is not touched; null: cleared; else the gateway asked for. */
  gateway?: GatewayRequest | null;
  /**
   * The body names an attribute Zed writes to the router's row whatever its value (name, description,
   * admin_state_up, external_gateway_info): Zed bumps revision_number even when nothing changes. An empty
   * body, or only routes / ha / distributed equal to the current ones, does not.
   */
  touches: boolean;
}

const canonicalRoutes = (routes: Array<Record<string, string>>): HostRoute[] => routes.map((r) => ({ destination: r.destination, nexthop: r.nexthop }));

export function validateRouterUpdate(
  body: unknown,
  current: Router,
  actor: Actor,
  ctx: RouterNetworks & { addresses: RouterAddresses },
): RouterUpdatePlan {
  const item = parseAttributes(unwrapUpdate(body, 'router', 'routers'), ROUTER_ATTRS, actor, false);
  if (!canSeeRouter(current, actor)) throw routerNotFound(current.id);
  enforceRouterPolicy('update_router', actor, item, Object.keys(item), current.project_id);
  const plan: RouterUpdatePlan = { changes: {}, touches: ['name', 'description', 'admin_state_up', 'external_gateway_info'].some((k) => k in item) };
  const adminUp = 'admin_state_up' in item ? (item.admin_state_up as boolean) : current.admin_state_up;
  if ('distributed' in item && item.distributed !== current.distributed) {
    if (current.admin_state_up) throw distributedChangeRefused();
    throw distributedNotSupported();
  }
  if ('ha' in item && item.ha !== current.ha) {
    if (current.admin_state_up)
      throw badRouterRequest('Cannot change HA attribute of active routers. Please set router admin_state_up to False prior to upgrade');
    plan.changes.ha = item.ha as boolean;
  }
  if ('external_gateway_info' in item) {
    const info = item.external_gateway_info as Record<string, unknown> | null;
    plan.gateway = clearsGateway(info)
      ? null
      : planGateway(info!, ctx.network(info!.network_id as string), ctx.subnetsOf(info!.network_id as string));
  }
  if ('routes' in item) {
    const routes = canonicalRoutes(item.routes as Array<Record<string, string>>);
    checkRoutes(current.id, routes, ctx.addresses);
    if (!pyEquals(routes, current.routes)) plan.changes.routes = routes;
  }
  for (const key of ['name', 'description'] as const) {
    if (key in item && item[key] !== current[key]) plan.changes[key] = item[key] as string;
  }
  if (adminUp !== current.admin_state_up) plan.changes.admin_state_up = adminUp;
  return plan;
}
