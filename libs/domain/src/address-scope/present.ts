import type { Actor } from '../actor';
import type { AddressScope } from './model';

/** An address scope as Zed shows it (Zed's order; no standard attributes). */
export const presentAddressScope = (s: AddressScope, _actor?: Actor): Record<string, unknown> => ({
  id: s.id,
  project_id: s.project_id,
  name: s.name,
  shared: s.shared,
  ip_version: s.ip_version,
  tenant_id: s.tenant_id,
});
