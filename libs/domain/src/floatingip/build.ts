import type { FloatingIp } from '../model';
import type { Association } from './association';
import type { FloatingIpCreateAttrs } from './validate';

/** A new floating IP: DOWN until the l3-agent that carries its router reports it ACTIVE. */
export const buildFloatingIp = (a: FloatingIpCreateAttrs, ids: { id: string; now: string; address: string }, assoc: Association): FloatingIp => ({
  id: ids.id,
  tenant_id: a.tenant_id,
  floating_ip_address: ids.address,
  floating_network_id: a.floating_network_id,
  router_id: assoc.router_id,
  port_id: assoc.port_id,
  fixed_ip_address: assoc.fixed_ip_address,
  status: 'DOWN',
  project_id: a.project_id,
  description: a.description,
  tags: [],
  created_at: ids.now,
  updated_at: ids.now,
  revision_number: 0,
});
