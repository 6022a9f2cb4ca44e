/** POST /v2.0/routers: Zed's checks in Zed's order (attributes, policy, the gateway's network). */
import type { Actor } from '../actor';
import { explicitlySet, parseAttributes } from '../common/attributes';
import { unwrapSingular } from '../common/body';
import type { Network, Subnet } from '../model';
import { ROUTER_ATTRS } from './attributes';
import { distributedNotSupported } from './errors';
import { clearsGateway, planGateway, type GatewayRequest } from './gateway';
import { enforceRouterPolicy } from './policy';

export interface RouterCreateAttrs {
  name: string;
  description: string;
  tenant_id: string;
  project_id: string;
  admin_state_up: boolean;
  ha: boolean;
  gateway: GatewayRequest | null;
}

export interface RouterNetworks {
  /** A network the caller may see (undefined: NetworkNotFound). */
  network: (id: string) => Network | undefined;
  subnetsOf: (networkId: string) => Subnet[];
}

export function validateRouterCreate(body: unknown, actor: Actor, ctx: RouterNetworks): RouterCreateAttrs {
  const item = parseAttributes(unwrapSingular(body, 'router'), ROUTER_ATTRS, actor, true);
  const given = Object.keys(ROUTER_ATTRS).filter((k) => explicitlySet(k, item, ROUTER_ATTRS));
  enforceRouterPolicy('create_router', actor, item, given, item.tenant_id as string);
  if (item.distributed === true) throw distributedNotSupported();
  const info = item.external_gateway_info as Record<string, unknown> | null;
  const gateway = clearsGateway(info)
    ? null
    : planGateway(info!, ctx.network(info!.network_id as string), ctx.subnetsOf(info!.network_id as string));
  return {
    name: item.name as string,
    description: item.description as string,
    tenant_id: item.tenant_id as string,
    project_id: item.project_id as string,
    admin_state_up: item.admin_state_up as boolean,
    ha: item.ha === true,
    gateway,
  };
}
