import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import type { SecurityGroup, SecurityGroupRule } from '../model';

/** get_security_group: admins and the owner (Neutrino has no RBAC sharing of groups). */
export const canSeeSecurityGroup = (g: SecurityGroup, actor: Actor): boolean => isAdmin(actor) || g.project_id === actor.project_id;

/** get_security_group_rule: admins, the rule's owner, and the owner of its group. */
export const canSeeSecurityGroupRule = (r: SecurityGroupRule, group: SecurityGroup | undefined, actor: Actor): boolean =>
  isAdmin(actor) || r.project_id === actor.project_id || group?.project_id === actor.project_id;

/** The project's default group is the one named "default" (no other group may take that name). */
export const isDefaultGroup = (g: SecurityGroup): boolean => g.name === 'default';
