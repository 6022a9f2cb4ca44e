import type { SubPort, Trunk, TrunkPortFact } from './model';

/** A trunk as Zed shows it. */
export const presentTrunk = (t: Trunk): Record<string, unknown> => ({
  admin_state_up: t.admin_state_up,
  id: t.id,
  project_id: t.project_id,
  name: t.name,
  port_id: t.port_id,
  status: t.status,
  sub_ports: t.sub_ports.map(presentSubPort),
  revision_number: t.revision_number,
  description: t.description,
  created_at: t.created_at,
  updated_at: t.updated_at,
  tenant_id: t.tenant_id,
  tags: [...t.tags].sort(),
});

export const presentSubPort = (p: SubPort): Record<string, unknown> => ({ port_id: p.port_id, segmentation_type: p.segmentation_type, segmentation_id: p.segmentation_id });

/** The parent port's `trunk_details` (trunk-details): its subports with their MAC addresses. */
export const trunkDetails = (t: Trunk, port: (id: string) => Pick<TrunkPortFact, 'mac_address'> | undefined): Record<string, unknown> => ({
  trunk_id: t.id,
  sub_ports: t.sub_ports.map((p) => ({ segmentation_id: p.segmentation_id, segmentation_type: p.segmentation_type, port_id: p.port_id, mac_address: port(p.port_id)?.mac_address ?? null })),
});
