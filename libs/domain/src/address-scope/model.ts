import type { Timestamps } from '../model';
import type { SharedEntry } from '../rbac/object-rbac';

/**
 * An address scope (evt.address_scope.<id>): subnet pools in one scope have
 * unique prefixes, and routers do not NAT between networks whose subnets come
 * from pools of one scope. Zed shows no standard attributes on it; the
 * timestamps are kept (never shown) like every aggregate's.
 */
export interface AddressScope extends Timestamps {
  id: string;
  name: string;
  tenant_id: string;
  project_id: string;
  shared: boolean;
  ip_version: 4 | 6;
  /** One-project access_as_shared RBAC policies (rbac-address-scope); the "*" one is `shared`. */
  rbac?: SharedEntry[];
  /**
   * The pools in the scope and their prefixes (internal, never shown): a pool
   * joins the scope on its subject before it names it, so prefix conflicts and
   * AddressScopeInUse are decided on one subject.
   */
  pools?: Record<string, string[]>;
}
