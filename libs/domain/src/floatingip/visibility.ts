import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import type { FloatingIp } from '../model';

export const canSeeFloatingIp = (f: FloatingIp, actor: Actor): boolean => isAdmin(actor) || f.project_id === actor.project_id;
