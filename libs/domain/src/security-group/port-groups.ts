/**
 * A port's security groups (Zed's ML2 port-security and security-group
 * processing): trusted ports (device_owner network:*) have neither port
 * security nor groups; a port with port security and no groups given gets its
 * project's default group; given groups must exist and belong to the port's
 * project (admins may use any group).
 */
import { isTrustedOwner } from '@neutrino/naming';
import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import type { SecurityGroup } from '../model';
import { securityGroupsNeedPortSecurity } from '../port/checks';
import { conflict } from '../errors';
import { securityGroupNotFound } from './errors';

export interface PortGroupsRequest {
  /** The port's project. */
  project_id: string;
  device_owner: string;
  port_security_enabled: boolean;
  /** The groups named in the request; undefined when the attribute was not given (null = []). */
  requested: string[] | undefined;
}

export interface PortGroupsContext {
  findGroup: (id: string) => SecurityGroup | undefined;
  /** The id of the project's default group (the caller makes sure it exists). */
  defaultGroupId: () => string;
}

/** Port create: the port's port_security_enabled and security_groups, or Zed's error. */
export function portGroupsOnCreate(req: PortGroupsRequest, actor: Actor, ctx: PortGroupsContext) {
  const trusted = isTrustedOwner(req.device_owner);
  const portSecurity = trusted ? false : req.port_security_enabled;
  if (!portSecurity) {
    if (req.requested?.length) throw securityGroupsNeedPortSecurity();
    return { port_security_enabled: false, security_groups: [] as string[] };
  }
  const groups = req.requested ?? [ctx.defaultGroupId()];
  checkPortGroups(groups, req.project_id, actor, ctx);
  return { port_security_enabled: true, security_groups: groups };
}

/** _get_security_groups_on_port: every group exists and is the port project's (or the caller is an admin). */
export function checkPortGroups(groups: string[], project: string, actor: Actor, ctx: Pick<PortGroupsContext, 'findGroup'>): void {
  const missing = groups.filter((id) => {
    const g = ctx.findGroup(id);
    return !g || (!isAdmin(actor) && g.project_id !== project);
  });
  if (missing.length) throw securityGroupNotFound(missing.join(', '));
  // stateful-security-group: a port's groups all track connections, or none does
  if (new Set(groups.map((id) => ctx.findGroup(id)!.stateful !== false)).size > 1) {
    throw conflict('SecurityGroupConflict', 'Error Cannot apply both stateful and stateless security groups on the same port at the same time while attempting the operation.');
  }
}

/** Port update: the ports using a group, for SecurityGroupInUse. */
export const portsUsing = <P extends { security_groups: string[] }>(ports: Iterable<P>, groupId: string): P[] =>
  [...ports].filter((p) => p.security_groups.includes(groupId));
