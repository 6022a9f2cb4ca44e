import type { Timestamps } from '../model';
import type { SharedEntry } from '../rbac/object-rbac';

/**
 * An address group (evt.address_group.<id>): a named set of CIDRs that a
 * security group rule names as its remote (remote_address_group_id). Zed shows
 * no standard attributes on GET, but its add/remove_addresses answers carry
 * the revision (one per address added or removed) and the timestamps.
 */
export interface AddressGroup extends Timestamps {
  id: string;
  name: string;
  description: string;
  tenant_id: string;
  project_id: string;
  /** Normalised CIDRs (no host bits), without duplicates, in the order they were added. */
  addresses: string[];
  /** The "*" access_as_shared policy (rbac-address-group); Zed has no `shared` attribute to set. */
  shared: boolean;
  /** One-project access_as_shared RBAC policies. */
  rbac?: SharedEntry[];
  /**
   * The security group rules that name the group (rule id → its project; internal, never shown): a
   * rule joins the group on its subject before it is added to its security group, and leaves after
   * it is removed — so AddressGroupInUse and RbacPolicyInUse are decided on one subject.
   */
  rules?: Record<string, string>;
}
