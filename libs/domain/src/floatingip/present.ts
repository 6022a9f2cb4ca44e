import type { Actor } from '../actor';
import { formatTimestamp } from '../common/timestamps';
import type { FloatingIp, Port } from '../model';
import { presentFipPortForwarding } from '../port-forwarding/present';

/** A floating IP as Zed shows it (with fip-port-details and expose-port-forwarding-in-fip), minus QoS and DNS. */
export function presentFloatingIp(f: FloatingIp, _actor: Actor, port?: Port): Record<string, unknown> {
  return {
    id: f.id,
    tenant_id: f.tenant_id,
    floating_ip_address: f.floating_ip_address,
    floating_network_id: f.floating_network_id,
    router_id: f.router_id,
    port_id: f.port_id,
    fixed_ip_address: f.fixed_ip_address,
    status: f.status,
    project_id: f.project_id,
    description: f.description,
    port_details: port
      ? {
          name: port.name, network_id: port.network_id, mac_address: port.mac_address, admin_state_up: port.admin_state_up,
          status: port.status, device_id: port.device_id, device_owner: port.device_owner,
        }
      : null,
    port_forwardings: (f.port_forwardings ?? []).map(presentFipPortForwarding),
    tags: [...f.tags],
    created_at: formatTimestamp(f.created_at),
    updated_at: formatTimestamp(f.updated_at),
    revision_number: f.revision_number,
  };
}
