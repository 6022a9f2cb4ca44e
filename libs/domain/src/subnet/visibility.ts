import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import type { Network, Subnet } from '../model';

/** get_subnet: admins, the subnet's owner, and everyone for subnets of shared networks. */
export const canSeeSubnet = (s: Subnet, network: Network | undefined, actor: Actor): boolean =>
  isAdmin(actor) || s.tenant_id === actor.project_id || !!network?.shared;
