/** Commands on /v2.0/security-groups: create, update, delete — Zed's checks in Zed's order. */
import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import { parseAttributes } from '../common/attributes';
import { unwrapSingular, unwrapUpdate } from '../common/body';
import { enforce } from '../common/policy';
import { pyEquals } from '../common/validators';
import type { SecurityGroup } from '../model';
import { SECURITY_GROUP_ATTRS } from './attributes';
import { cannotRemoveDefault, cannotUpdateDefault, securityGroupInUse, securityGroupNotFound } from './errors';
import { canSeeSecurityGroup, isDefaultGroup } from './visibility';

export interface SecurityGroupCreateAttrs {
  name: string;
  /** absent: true (the default group, groups made by the system) */
  stateful?: boolean;
  description: string;
  tenant_id: string;
  project_id: string;
}

const ownerRules = (actor: Actor, owner: unknown) => ({
  create_security_group: () => true,
  update_security_group: () => owner === actor.project_id,
});

/** POST /v2.0/security-groups: the group's attributes, or Zed's error. */
export function validateSecurityGroupCreate(body: unknown, actor: Actor): SecurityGroupCreateAttrs {
  const item = parseAttributes(unwrapSingular(body, 'security_group'), SECURITY_GROUP_ATTRS, actor, true);
  enforce({
    action: 'create_security_group', actor, item, map: SECURITY_GROUP_ATTRS, rules: ownerRules(actor, item.tenant_id), ownerProject: item.tenant_id,
  });
  return {
    name: item.name as string,
    stateful: item.stateful as boolean,
    description: item.description as string,
    tenant_id: item.tenant_id as string,
    project_id: item.project_id as string,
  };
}

/** PUT /v2.0/security-groups/<id>: the changed attributes (possibly none), or Zed's error; `stateful` changes only while no port uses the group. */
export function validateSecurityGroupUpdate(body: unknown, current: SecurityGroup, actor: Actor, usedByPorts = false): Partial<Pick<SecurityGroup, 'name' | 'description' | 'stateful'>> {
  const item = parseAttributes(unwrapUpdate(body, 'security_group', 'security_groups'), SECURITY_GROUP_ATTRS, actor, false);
  if (!canSeeSecurityGroup(current, actor)) throw securityGroupNotFound(current.id);
  if (isDefaultGroup(current) && 'name' in item) throw cannotUpdateDefault();
  const changes: Partial<Pick<SecurityGroup, 'name' | 'description' | 'stateful'>> = {};
  for (const key of ['name', 'description'] as const) {
    if (key in item && !pyEquals(item[key], current[key])) changes[key] = item[key] as string;
  }
  if ('stateful' in item && item.stateful !== isStateful(current)) {
    if (usedByPorts) throw securityGroupInUse(current.id);
    changes.stateful = item.stateful as boolean;
  }
  return changes;
}

/** A group tracks connections unless made with stateful=false. */
export const isStateful = (g: Pick<SecurityGroup, 'stateful'>): boolean => g.stateful !== false;

/** DELETE /v2.0/security-groups/<id>: refused while ports use it, and the default group by its own project. */
export function checkSecurityGroupDelete(current: SecurityGroup, actor: Actor, usedByPorts: boolean): void {
  if (!canSeeSecurityGroup(current, actor)) throw securityGroupNotFound(current.id);
  if (usedByPorts) throw securityGroupInUse(current.id);
  if (isDefaultGroup(current) && !isAdmin(actor)) throw cannotRemoveDefault();
}
