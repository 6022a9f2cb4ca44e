import type { Timestamps } from '../model';
import type { SharedEntry } from '../rbac/object-rbac';

/** A subnet pool (evt.subnetpool.<id>), as stored; `allocations` (subnet id → its CIDR and project) is internal, never shown. */
export interface SubnetPool extends Timestamps {
  id: string;
  name: string;
  description: string;
  tenant_id: string;
  project_id: string;
  prefixes: string[];
  default_prefixlen: number;
  min_prefixlen: number;
  max_prefixlen: number;
  default_quota: number | null;
  ip_version: 4 | 6;
  shared: boolean;
  is_default: boolean;
  address_scope_id: string | null;
  tags: string[];
  allocations: Record<string, { cidr: string; project_id: string; at: string }>;
  /** One-project access_as_shared RBAC policies (rbac-subnetpool); the "*" one is `shared`. */
  rbac?: SharedEntry[];
}
