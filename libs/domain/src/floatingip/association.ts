/**
 * Which port, fixed IP and router a floating IP is associated with
 * (_check_and_get_fip_assoc / _get_assoc_data / _get_router_for_floatingip).
 */
import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import { portNotFound } from '../common/errors';
import type { FloatingIp, Port, Router, Subnet } from '../model';
import { parseIp, sameIp } from '@neutrino/netaddr';
import {
  fixedIpWithoutPort, gatewayNotFound, multipleIpv4, noIpv4OnPort, otherTenantPort, portAlreadyAssociated, portLacksFixedIp, subnetWithoutGateway,
} from './errors';

export interface Association {
  port_id: string | null;
  fixed_ip_address: string | null;
  router_id: string | null;
}

export const NO_ASSOCIATION: Association = { port_id: null, fixed_ip_address: null, router_id: null };

export interface AssociationContext {
  /** A port the caller may see. */
  port: (id: string) => Port | undefined;
  subnet: (id: string) => Subnet | undefined;
  routers: Router[];
  /** The router's interface ports. */
  interfacesOf: (routerId: string) => Port[];
  floatingIps: FloatingIp[];
}

/** `fip`: the floating IP as it is (or will be) — id, address, network, project. `req`: port_id / fixed_ip_address asked for. */
export function decideAssociation(
  fip: Pick<FloatingIp, 'id' | 'floating_ip_address' | 'floating_network_id' | 'project_id' | 'port_id'>,
  req: { port_id?: string | null; fixed_ip_address?: string | null },
  actor: Actor,
  ctx: AssociationContext,
): Association {
  if (req.fixed_ip_address && !req.port_id) throw fixedIpWithoutPort();
  if (!req.port_id) return NO_ASSOCIATION;
  const port = ctx.port(req.port_id);
  if (!port) throw portNotFound(req.port_id);
  if (port.project_id !== fip.project_id && !isAdmin(actor)) throw otherTenantPort(port.id);
  const fixed = chooseFixedIp(port, req.fixed_ip_address ?? null);
  const subnet = ctx.subnet(fixed.subnet_id);
  if (!subnet?.gateway_ip) throw subnetWithoutGateway(fixed.subnet_id);
  const router = routerReaching(ctx, fip.floating_network_id, fixed.subnet_id);
  if (!router) throw gatewayNotFound(fip.floating_network_id, fixed.subnet_id, port.id);
  const taken = ctx.floatingIps.some(
    (f) => f.id !== fip.id && f.port_id === port.id && f.floating_network_id === fip.floating_network_id && !!f.fixed_ip_address && sameIp(f.fixed_ip_address, fixed.ip_address),
  );
  if (taken) throw portAlreadyAssociated(fip, port.id, fixed.ip_address);
  return { port_id: port.id, fixed_ip_address: fixed.ip_address, router_id: router.id };
}

/** The router with a gateway on the floating IP's network and an interface on the subnet (_get_router_for_floatingip). */
export function routerReaching(ctx: Pick<AssociationContext, 'routers' | 'interfacesOf'>, floatingNetworkId: string, subnetId: string): Router | undefined {
  return ctx.routers.find(
    (r) => r.external_gateway_info?.network_id === floatingNetworkId && ctx.interfacesOf(r.id).some((p) => p.fixed_ips.some((f) => f.subnet_id === subnetId)),
  );
}

function chooseFixedIp(port: Port, wanted: string | null) {
  if (wanted) {
    const hit = port.fixed_ips.find((f) => sameIp(f.ip_address, wanted));
    if (!hit) throw portLacksFixedIp(port.id, wanted);
    return hit;
  }
  const v4 = port.fixed_ips.filter((f) => parseIp(f.ip_address)?.version === 4);
  if (v4.length > 1) throw multipleIpv4(port.id);
  if (!v4.length) throw noIpv4OnPort(port.id);
  return v4[0];
}
