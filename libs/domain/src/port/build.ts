import type { FixedIp, Port } from '../model';
import type { PortCreatePlan } from './validate-create';

/**
 * The port as created once ipam has given it a MAC and addresses: DOWN and
 * unbound until an agent binds it; address pairs without a MAC take the port's.
 */
export function buildPort(
  plan: PortCreatePlan,
  alloc: { id: string; now: string; mac_address: string; fixed_ips: FixedIp[] },
): Port {
  const a = plan.attrs;
  return {
    id: alloc.id,
    name: a.name,
    network_id: a.network_id,
    tenant_id: a.tenant_id,
    mac_address: alloc.mac_address,
    admin_state_up: a.admin_state_up,
    status: 'DOWN',
    device_id: a.device_id,
    device_owner: a.device_owner,
    fixed_ips: alloc.fixed_ips.map((f) => ({ subnet_id: f.subnet_id, ip_address: f.ip_address })),
    allowed_address_pairs: a.allowed_address_pairs.map((p) => ({
      ip_address: p.ip_address,
      mac_address: p.mac_address ?? alloc.mac_address,
    })),
    extra_dhcp_opts: a.extra_dhcp_opts.map((o) => ({ ...o })),
    security_groups: [...a.security_groups],
    description: a.description,
    'binding:vnic_type': a['binding:vnic_type'],
    'binding:profile': structuredClone(a['binding:profile']),
    'binding:host_id': a['binding:host_id'],
    'binding:vif_type': 'unbound',
    'binding:vif_details': {},
    port_security_enabled: a.port_security_enabled,
    qos_policy_id: a.qos_policy_id,
    tags: [...a.tags].sort(), // a set, shown sorted like every resource's tags
    created_at: alloc.now,
    updated_at: alloc.now,
    revision_number: 1,
    project_id: a.project_id,
  };
}
