import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import type { Network, Port } from '../model';

/** get_port: admins, the port's owner, and the owner of the port's network (Zed's deprecated rule still applies). */
export const canSeePort = (p: Port, network: Network | undefined, actor: Actor): boolean =>
  isAdmin(actor) || p.tenant_id === actor.project_id || network?.tenant_id === actor.project_id;
