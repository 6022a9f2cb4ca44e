import { isAdmin, type Actor } from '../actor';
import type { LbObject } from './model';

/** Octavia's default policy: the owner's project or an admin; another project is told 404. */
export const canSeeLb = (o: Pick<LbObject, 'project_id'>, actor: Actor): boolean => isAdmin(actor) || o.project_id === actor.project_id;
