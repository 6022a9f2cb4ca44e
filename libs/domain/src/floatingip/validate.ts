/** POST and PUT on /v2.0/floatingips: attributes, policy, the external network; association is decided in association.ts. */
import type { Actor } from '../actor';
import { explicitlySet, isSet, parseAttributes } from '../common/attributes';
import { unwrapSingular, unwrapUpdate } from '../common/body';
import { networkNotFound } from '../common/errors';
import { enforce } from '../common/policy';
import type { FloatingIp, Network, Subnet } from '../model';
import { FLOATINGIP_ATTRS } from './attributes';
import { floatingIpNotFound, noIpv4Subnet, notValidExternal } from './errors';
import { canSeeFloatingIp } from './visibility';
import { isExternal } from '../rbac/network-rbac';

export interface FloatingIpCreateAttrs {
  floating_network_id: string;
  floating_ip_address?: string;
  subnet_id?: string;
  port_id: string | null;
  fixed_ip_address: string | null;
  description: string;
  tenant_id: string;
  project_id: string;
}

const fipRules = { 'create_floatingip:floating_ip_address': () => false };

export function validateFloatingIpCreate(body: unknown, actor: Actor, ctx: { network: (id: string) => Network | undefined; subnetsOf: (id: string) => Subnet[] }): FloatingIpCreateAttrs {
  const item = parseAttributes(unwrapSingular(body, 'floatingip'), FLOATINGIP_ATTRS, actor, true);
  enforce({ action: 'create_floatingip', actor, item, map: FLOATINGIP_ATTRS, rules: fipRules, ownerProject: item.tenant_id });
  const netId = item.floating_network_id as string;
  const net = ctx.network(netId);
  if (!net) throw networkNotFound(netId);
  if (!isExternal(net)) throw notValidExternal(netId);
  if (!ctx.subnetsOf(netId).some((s) => s.ip_version === 4)) throw noIpv4Subnet(netId);
  return {
    floating_network_id: netId,
    floating_ip_address: explicitlySet('floating_ip_address', item, FLOATINGIP_ATTRS) && isSet(item.floating_ip_address) ? (item.floating_ip_address as string) : undefined,
    subnet_id: isSet(item.subnet_id) ? (item.subnet_id as string) : undefined,
    port_id: (item.port_id as string | null) ?? null,
    fixed_ip_address: (item.fixed_ip_address as string | null) ?? null,
    description: item.description as string,
    tenant_id: item.tenant_id as string,
    project_id: item.project_id as string,
  };
}

/**
 * The attributes the PUT names (port_id absent: the association is kept, as Zed does for a
 * description change). A blank update (`{"floatingip": {}}`) is Zed's old way to disassociate:
 * it means `port_id: null`.
 */
export function validateFloatingIpUpdate(body: unknown, current: FloatingIp, actor: Actor): { port_id?: string | null; fixed_ip_address?: string | null; description?: string } {
  const item = parseAttributes(unwrapUpdate(body, 'floatingip', 'floatingips'), FLOATINGIP_ATTRS, actor, false);
  if (!canSeeFloatingIp(current, actor)) throw floatingIpNotFound(current.id);
  enforce({ action: 'update_floatingip', actor, item, map: FLOATINGIP_ATTRS, rules: {}, updating: Object.keys(item), ownerProject: current.project_id });
  if (!Object.keys(item).length) return { port_id: null };
  return item as { port_id?: string | null; fixed_ip_address?: string | null; description?: string };
}
