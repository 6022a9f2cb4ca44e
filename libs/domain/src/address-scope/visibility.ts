import { isAdmin, type Actor } from '../actor';
import { notFound } from '../errors';
import type { AddressScope } from './model';
import { sharedByPolicy } from '../rbac/object-rbac';

/** get_address_scope: admin, owner, or a shared scope. */
export const canSeeAddressScope = (s: AddressScope, a: Actor): boolean => isAdmin(a) || s.project_id === a.project_id || s.shared || sharedByPolicy(s, a.project_id);

export const addressScopeNotFound = (id: string) => notFound('AddressScopeNotFound', `Address scope ${id} could not be found.`);
