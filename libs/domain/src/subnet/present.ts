import type { Actor } from '../actor';
import { formatTimestamp } from '../common/timestamps';
import type { Subnet } from '../model';

/**
 * A subnet as Zed shows it, in Zed's order, minus the extensions Neutrino does
 * not implement (service_types, dns_publish_fixed_ip, segment_id).
 */
export function presentSubnet(s: Subnet, _actor: Actor): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    tenant_id: s.tenant_id,
    network_id: s.network_id,
    ip_version: s.ip_version,
    subnetpool_id: s.subnetpool_id,
    enable_dhcp: s.enable_dhcp,
    ipv6_ra_mode: s.ipv6_ra_mode,
    ipv6_address_mode: s.ipv6_address_mode,
    gateway_ip: s.gateway_ip,
    cidr: s.cidr,
    allocation_pools: s.allocation_pools.map((p) => ({ start: p.start, end: p.end })),
    host_routes: s.host_routes.map((r) => ({ destination: r.destination, nexthop: r.nexthop })),
    dns_nameservers: [...s.dns_nameservers],
    description: s.description,
    tags: [...s.tags],
    created_at: formatTimestamp(s.created_at),
    updated_at: formatTimestamp(s.updated_at),
    revision_number: s.revision_number,
    project_id: s.project_id,
  };
}
