import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import { formatTimestamp } from '../common/timestamps';
import type { Router } from '../model';

/**
 * A router as Zed shows it, minus what Neutrino does not implement
 * (availability zones, flavors, conntrack helpers); ha and distributed only for admins.
 */
export function presentRouter(r: Router, actor: Actor): Record<string, unknown> {
  const gw = r.external_gateway_info;
  const out: Record<string, unknown> = {
    id: r.id,
    name: r.name,
    tenant_id: r.tenant_id,
    admin_state_up: r.admin_state_up,
    status: r.status,
    external_gateway_info: gw && {
      network_id: gw.network_id,
      external_fixed_ips: gw.external_fixed_ips.map((f) => ({ subnet_id: f.subnet_id, ip_address: f.ip_address })),
      enable_snat: gw.enable_snat,
    },
    description: r.description,
  };
  if (isAdmin(actor)) {
    out.distributed = r.distributed;
    out.ha = r.ha;
  }
  Object.assign(out, {
    routes: r.routes.map((x) => ({ destination: x.destination, nexthop: x.nexthop })),
    tags: [...r.tags],
    created_at: formatTimestamp(r.created_at),
    updated_at: formatTimestamp(r.updated_at),
    revision_number: r.revision_number,
    project_id: r.project_id,
  });
  return out;
}
