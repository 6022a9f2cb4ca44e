import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import type { Network } from '../model';

/** get_network: admins, the owner, and everyone for shared or external networks. */
export const canSeeNetwork = (n: Network, actor: Actor): boolean =>
  isAdmin(actor) || n.tenant_id === actor.project_id || n.shared || n['router:external'];
