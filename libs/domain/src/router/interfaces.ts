/** add_router_interface / remove_router_interface: the body, and Zed's checks on the subnet or port. */
import { neutronError } from '../common/errors';
import { isDict, validateUuid } from '../common/validators';
import type { Port, Router, Subnet } from '../model';
import { cidrOverlaps, parseCidr } from '@neutrino/netaddr';
import { ROUTER_INTERFACE_OWNER } from '@neutrino/naming';
import { badRouterRequest, interfaceInUseByRoute } from './errors';
import { routesVia } from './routes';

export type InterfaceRequest = { subnet_id: string; port_id?: undefined } | { port_id: string; subnet_id?: undefined };

/** _validate_interface_info. */
export function parseInterfaceBody(body: unknown, removing = false): InterfaceRequest {
  const info = isDict(body) ? body : {};
  const port = 'port_id' in info && info.port_id !== null;
  const subnet = 'subnet_id' in info && info.subnet_id !== null;
  if (!port && !subnet) throw badRouterRequest('Either subnet_id or port_id must be specified');
  if (port && subnet && !removing) throw badRouterRequest('Cannot specify both subnet-id and port-id');
  for (const key of ['port_id', 'subnet_id'] as const) {
    if (key in info && info[key] !== null) {
      const msg = validateUuid(info[key]);
      if (msg) throw badRouterRequest(msg);
    }
  }
  return port ? { port_id: info.port_id as string } : { subnet_id: info.subnet_id as string };
}

/** The router's interface ports (device_owner network:router_interface, device_id the router). */
export const isInterfaceOf = (routerId: string) => (p: Port) => p.device_id === routerId && p.device_owner === ROUTER_INTERFACE_OWNER;

/** _check_for_dup_router_subnets: no subnet twice, no overlapping CIDRs among the router's interfaces. */
export function checkNewSubnets(interfaces: Port[], subnets: (id: string) => Subnet | undefined, added: Subnet[]): void {
  for (const p of interfaces) {
    for (const f of p.fixed_ips) {
      const existing = subnets(f.subnet_id);
      for (const s of added) {
        if (f.subnet_id === s.id) throw badRouterRequest(`Router already has a port on subnet ${s.id}`);
        if (existing && cidrOverlaps(parseCidr(existing.cidr)!, parseCidr(s.cidr)!))
          throw badRouterRequest(`Cidr ${s.cidr} of subnet ${s.id} overlaps with cidr ${existing.cidr} of subnet ${existing.id}`);
      }
    }
  }
}

/** _add_interface_by_subnet's subnet checks (after the duplicate check). */
export function checkInterfaceSubnet(subnet: Subnet): void {
  if (!subnet.gateway_ip) throw badRouterRequest('Subnet for router interface must have a gateway IP');
}

/** _add_interface_by_port's port checks (Zed does not look at device_owner; the port keeps its groups). */
export function checkInterfacePort(port: Port): void {
  if (port.device_id)
    throw neutronError(409, 'PortInUse', `Unable to complete operation on port ${port.id} for network ${port.network_id}. Port already has an attached device ${port.device_id}.`);
  if (!port.fixed_ips.length) throw badRouterRequest('Router port must have at least one fixed IP');
}

/** Removing the interface of a subnet that routes still use. */
export function checkRemoveSubnet(router: Router, subnet: Subnet): void {
  if (routesVia(router.routes, subnet).length) throw interfaceInUseByRoute(router.id, subnet.id);
}

/** What add/remove_router_interface answer. */
export const interfaceInfo = (router: Router, port: Pick<Port, 'id' | 'network_id' | 'fixed_ips'>, subnetIds = port.fixed_ips.map((f) => f.subnet_id)) => ({
  id: router.id,
  tenant_id: router.tenant_id,
  port_id: port.id,
  network_id: port.network_id,
  subnet_id: subnetIds[0],
  subnet_ids: subnetIds,
});
