import type { Actor } from '../actor';
import { formatTimestamp } from '../common/timestamps';
import type { SubnetPool } from './model';
import { objectSharedFor } from '../rbac/object-rbac';

/**
 * A subnet pool as Zed shows it on create, show and list: the prefix lengths
 * as strings (Zed's _make_subnetpool_dict keeps them as the DB's text).
 */
export const presentSubnetPool = (p: SubnetPool, actor?: Actor): Record<string, unknown> => ({
  id: p.id,
  name: p.name,
  tenant_id: p.tenant_id,
  default_prefixlen: String(p.default_prefixlen),
  min_prefixlen: String(p.min_prefixlen),
  max_prefixlen: String(p.max_prefixlen),
  is_default: p.is_default,
  shared: actor ? objectSharedFor(p, actor) : p.shared,
  prefixes: [...p.prefixes],
  ip_version: p.ip_version,
  default_quota: p.default_quota,
  address_scope_id: p.address_scope_id,
  description: p.description,
  tags: [...p.tags],
  created_at: formatTimestamp(p.created_at),
  updated_at: formatTimestamp(p.updated_at),
  revision_number: p.revision_number,
  project_id: p.project_id,
});

/**
 * A subnet pool as Zed answers a PUT: the dict update_subnetpool builds, with
 * the prefix lengths as integers, and default_quota / address_scope_id only
 * when they are set (Zed leaves the unset ones out of that dict).
 */
export const presentUpdatedSubnetPool = (p: SubnetPool): Record<string, unknown> => ({
  id: p.id,
  project_id: p.project_id,
  name: p.name,
  ip_version: p.ip_version,
  default_prefixlen: p.default_prefixlen,
  min_prefixlen: p.min_prefixlen,
  max_prefixlen: p.max_prefixlen,
  shared: p.shared,
  is_default: p.is_default,
  ...(p.default_quota !== null ? { default_quota: p.default_quota } : {}),
  ...(p.address_scope_id !== null ? { address_scope_id: p.address_scope_id } : {}),
  revision_number: p.revision_number,
  description: p.description,
  created_at: formatTimestamp(p.created_at),
  updated_at: formatTimestamp(p.updated_at),
  tenant_id: p.tenant_id,
  prefixes: [...p.prefixes],
  tags: [...p.tags],
});
