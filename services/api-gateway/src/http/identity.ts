import type { IncomingHttpHeaders } from 'node:http';
import type { Actor } from '@neutrino/domain';

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/**
 * noauth identity, from the headers a Keystone auth middleware would set.
 * With none of them the caller is an admin of the default project, as in
 * Neutron's noauth mode, so a CLI without Keystone works.
 */
export function actorFromHeaders(headers: IncomingHttpHeaders, defaultProject: string): Actor {
  const project = first(headers['x-project-id']) ?? first(headers['x-tenant-id']);
  const user = first(headers['x-user-id']) ?? null;
  const rolesHeader = first(headers['x-roles']);
  if (!project && !user && rolesHeader === undefined) {
    return { user_id: null, project_id: defaultProject, roles: ['admin'] };
  }
  const roles = (rolesHeader ?? '').split(',').map((r) => r.trim().toLowerCase()).filter(Boolean);
  return { user_id: user, project_id: project ?? defaultProject, roles };
}
