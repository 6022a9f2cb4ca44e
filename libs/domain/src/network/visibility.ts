import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import type { Network } from '../model';
import { rbacGrants } from '../rbac/network-rbac';

/** get_network: admins, the owner, everyone for shared or external networks, and the projects an RBAC policy names. */
export const canSeeNetwork = (n: Network, actor: Actor): boolean =>
  isAdmin(actor) || n.tenant_id === actor.project_id || n.shared || n['router:external'] || rbacGrants(n, actor.project_id);
