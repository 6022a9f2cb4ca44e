import { isAdmin, type Actor } from '../actor';
import { notFound } from '../errors';
import { sharedByPolicy } from '../rbac/object-rbac';
import type { AddressGroup } from './model';

/** get_address_group: admin, owner, or shared with the caller's project by a policy ("*" or its own). */
export const canSeeAddressGroup = (g: AddressGroup, a: Actor): boolean => isAdmin(a) || g.project_id === a.project_id || g.shared || sharedByPolicy(g, a.project_id);

/** Zed's list (get_objects with the caller's project): admin or owner only — a group shared by a policy is shown, never listed. */
export const listsAddressGroup = (g: AddressGroup, a: Actor): boolean => isAdmin(a) || g.project_id === a.project_id;

export const addressGroupNotFound = (id: string) => notFound('AddressGroupNotFound', `Address group ${id} could not be found.`);
