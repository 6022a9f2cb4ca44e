import { formatTimestamp } from '../common/timestamps';
import type { AddressGroup } from './model';

/** An address group as Zed's GET shows it (its order; no standard attributes). */
export const presentAddressGroup = (g: AddressGroup): Record<string, unknown> => ({
  id: g.id,
  name: g.name,
  project_id: g.project_id,
  addresses: [...g.addresses],
  description: g.description,
  tenant_id: g.tenant_id,
});

/** The answer of add_addresses / remove_addresses (Zed returns the object's whole dict: shared, revision, timestamps). */
export const presentAddressGroupChange = (g: AddressGroup): Record<string, unknown> => ({
  id: g.id,
  name: g.name,
  project_id: g.project_id,
  shared: g.shared,
  addresses: [...g.addresses],
  revision_number: g.revision_number,
  description: g.description,
  created_at: formatTimestamp(g.created_at),
  updated_at: formatTimestamp(g.updated_at),
  tenant_id: g.tenant_id,
});
