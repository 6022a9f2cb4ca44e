import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import type { Network, Subnet } from '../model';
import { sharedWith } from '../rbac/network-rbac';

/** get_subnet: admins, the subnet's owner, and those the network is shared with (everyone, or by an RBAC policy). */
export const canSeeSubnet = (s: Subnet, network: Network | undefined, actor: Actor): boolean =>
  isAdmin(actor) || s.tenant_id === actor.project_id || (!!network && sharedWith(network, actor.project_id));
