import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import { formatTimestamp } from '../common/timestamps';
import type { Network } from '../model';
import { isExternal, sharedFor } from '../rbac/network-rbac';

/**
 * A network as GET /v2.0/networks/<id> shows it in Zed, in Zed's order, minus
 * the extensions Neutrino does not implement (availability zones, address
 * scopes, DNS, l2_adjacency). provider:* only for admins.
 */
export function presentNetwork(n: Network, actor: Actor): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: n.id,
    name: n.name,
    tenant_id: n.tenant_id,
    admin_state_up: n.admin_state_up,
    mtu: n.mtu,
    status: n.status,
    subnets: [...n.subnets],
    // as the caller sees them (Zed): shared with it by a policy, external once any policy offers it
    shared: sharedFor(n, actor),
    'router:external': isExternal(n),
    description: n.description,
    port_security_enabled: n.port_security_enabled,
    qos_policy_id: n.qos_policy_id ?? null,
    tags: [...n.tags],
    created_at: formatTimestamp(n.created_at),
    updated_at: formatTimestamp(n.updated_at),
    revision_number: n.revision_number,
    project_id: n.project_id,
  };
  if (isAdmin(actor)) {
    out['provider:network_type'] = n['provider:network_type'];
    out['provider:physical_network'] = n['provider:physical_network'];
    out['provider:segmentation_id'] = n['provider:segmentation_id'];
  }
  return out;
}
