import type { Actor } from '../actor';
import type { AddressScope } from './model';
import { objectSharedFor } from '../rbac/object-rbac';

/** An address scope as Zed shows it (Zed's order; no standard attributes). */
export const presentAddressScope = (s: AddressScope, actor?: Actor): Record<string, unknown> => ({
  id: s.id,
  project_id: s.project_id,
  name: s.name,
  shared: actor ? objectSharedFor(s, actor) : s.shared,
  ip_version: s.ip_version,
  tenant_id: s.tenant_id,
});
