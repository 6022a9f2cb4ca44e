import { isAdmin, type Actor } from '../actor';
import { notFound } from '../errors';
import type { SubnetPool } from './model';
import { sharedByPolicy } from '../rbac/object-rbac';

/** get_subnetpool: admin, owner, or a shared pool. */
export const canSeeSubnetPool = (p: SubnetPool, a: Actor): boolean => isAdmin(a) || p.project_id === a.project_id || p.shared || sharedByPolicy(p, a.project_id);

export const subnetPoolNotFound = (id: string) => notFound('SubnetPoolNotFound', `Subnet pool ${id} could not be found.`);
