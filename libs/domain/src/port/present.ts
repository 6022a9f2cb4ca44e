import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import { formatTimestamp } from '../common/timestamps';
import type { Port } from '../model';

/**
 * A port as Zed shows it, in Zed's order, minus the extensions Neutrino does
 * not implement (DNS, uplink status, resource request, ip_allocation).
 * binding:profile/host_id/vif_type/vif_details are admin-only, as in Zed.
 */
/** Zed lists fixed IPs and address pairs in their table's key order (by address text, by MAC then address). */
const sortBy = <T>(items: T[], key: (t: T) => string): T[] =>
  [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** `network`: the port's network, for qos_network_policy_id. */
export function presentPort(p: Port, actor: Actor, network?: { qos_policy_id?: string | null }): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: p.id,
    name: p.name,
    network_id: p.network_id,
    tenant_id: p.tenant_id,
    mac_address: p.mac_address,
    admin_state_up: p.admin_state_up,
    status: p.status,
    device_id: p.device_id,
    device_owner: p.device_owner,
    fixed_ips: sortBy(p.fixed_ips, (f) => f.ip_address).map((f) => ({ subnet_id: f.subnet_id, ip_address: f.ip_address })),
    allowed_address_pairs: sortBy(p.allowed_address_pairs, (a) => `${a.mac_address} ${a.ip_address}`).map((a) => ({
      mac_address: a.mac_address,
      ip_address: a.ip_address,
    })),
    extra_dhcp_opts: p.extra_dhcp_opts.map((o) => ({ ...o, ip_version: o.ip_version ?? 4 })),
    security_groups: [...p.security_groups],
    description: p.description,
    'binding:vnic_type': p['binding:vnic_type'],
  };
  if (isAdmin(actor)) {
    out['binding:profile'] = structuredClone(p['binding:profile']);
    out['binding:host_id'] = p['binding:host_id'];
    out['binding:vif_type'] = p['binding:vif_type'];
    out['binding:vif_details'] = structuredClone(p['binding:vif_details']);
  }
  out.port_security_enabled = p.port_security_enabled;
  out.qos_policy_id = p.qos_policy_id ?? null;
  out.qos_network_policy_id = network?.qos_policy_id ?? null;
  out.tags = [...p.tags];
  out.created_at = formatTimestamp(p.created_at);
  out.updated_at = formatTimestamp(p.updated_at);
  out.revision_number = p.revision_number;
  out.project_id = p.project_id;
  return out;
}
