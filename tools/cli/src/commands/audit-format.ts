import type { StoredEvent } from '@neutrino/events';

export interface AuditFilter {
  resource?: string;
  project?: string;
  requestId?: string;
  type?: string;
}

/** Does the event concern the filter's resource, project and request? */
export function auditMatches(e: StoredEvent, f: AuditFilter): boolean {
  if (f.requestId && e.request_id !== f.requestId) return false;
  if (f.type && e.type !== f.type && !e.type.startsWith(`${f.type}.`)) return false;
  if (f.project) {
    const owner = ownerProject(e);
    if (e.actor.project_id !== f.project && owner !== f.project) return false;
  }
  if (f.resource && e.aggregate.id !== f.resource && !JSON.stringify(e.data).includes(f.resource)) return false;
  return true;
}

function ownerProject(e: StoredEvent): string | undefined {
  const d = e.data as Record<string, any>;
  for (const key of ['network', 'subnet', 'port']) if (d?.[key]?.project_id) return d[key].project_id;
  return undefined;
}

/** What changed, in one line: the attributes of a creation or update, the address of an allocation. */
export function describeChange(e: StoredEvent): string {
  const d = e.data as Record<string, any>;
  const pairs = (o: Record<string, unknown>, skip: string[] = []) =>
    Object.entries(o)
      .filter(([k]) => !skip.includes(k))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
  if (d?.changes) return pairs(d.changes, ['updated_at', 'revision_number']);
  // A bulk batch names its resources' ids (up to thousands): their count here, the ids are on the resources' own lines.
  if (d?.batch) return `${pairs(d.batch, ['id', 'ids'])} count=${(d.batch.ids ?? []).length}`;
  for (const key of ['network', 'subnet', 'port']) {
    if (d?.[key]) return pairs(d[key], ['id', 'created_at', 'updated_at', 'revision_number', 'tenant_id', 'description', 'tags']);
  }
  return pairs(d ?? {});
}

export function formatAuditLine(e: StoredEvent): string {
  const actor = `${e.actor.user_id ?? '-'}@${e.actor.project_id ?? '-'}${e.actor.roles.includes('admin') ? '(admin)' : ''}`;
  return [e.at, `#${e.seq}`, actor, e.request_id ?? '-', e.type, `${e.aggregate.type}/${e.aggregate.id}`, describeChange(e)].join('  ');
}
