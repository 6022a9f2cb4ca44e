import type { Port, Subnet } from '@neutrino/domain';
import { ROUTER_INTERFACE_OWNERS } from '@neutrino/naming';
import { sameIp } from '@neutrino/netaddr';

/** Router ports that can own a subnet's gateway address. */
const ROUTER_OWNERS = new Set(ROUTER_INTERFACE_OWNERS);

/**
 * A subnet is isolated when no Neutron router serves as its gateway: no
 * gateway_ip, or no router interface port on the network holds that address
 * (spec/ipam-and-dhcp.md §10.1). Isolated subnets get the metadata route.
 */
export function isIsolated(subnet: Subnet, ports: Port[]): boolean {
  const gw = subnet.gateway_ip;
  if (!gw) return true;
  return !ports.some(
    (p) => ROUTER_OWNERS.has(p.device_owner) && p.fixed_ips.some((f) => f.subnet_id === subnet.id && sameIp(f.ip_address, gw)),
  );
}
