import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import type { Router } from '../model';

/** get_router: admins and the owner. */
export const canSeeRouter = (r: Router, actor: Actor): boolean => isAdmin(actor) || r.project_id === actor.project_id;
