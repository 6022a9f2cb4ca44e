import type { InstanceRecord } from '@neutrino/metadata';

const isStr = (v: unknown): v is string => typeof v === 'string';

/** POST /instances body → a record, or the reason it is not one. */
export function parseInstance(body: unknown): InstanceRecord | string {
  const b = (body && typeof body === 'object' && 'instance' in body ? (body as { instance: unknown }).instance : body) as Record<string, unknown> | null;
  if (!b || typeof b !== 'object') return 'body must be {"instance": {...}}';
  if (!isStr(b.id) || !/^[A-Za-z0-9_.:-]{1,255}$/.test(b.id)) return 'id must be the instance id (its ports\' device_id)';
  if (!isStr(b.name)) return 'name must be a string';
  if (!isStr(b.project_id) || !b.project_id) return 'project_id must be a string';
  for (const k of ['hostname', 'availability_zone', 'user_data'] as const) if (b[k] !== undefined && !isStr(b[k])) return `${k} must be a string`;
  if (b.launch_index !== undefined && !Number.isInteger(b.launch_index)) return 'launch_index must be an integer';
  if (b.public_keys !== undefined && (typeof b.public_keys !== 'object' || b.public_keys === null || !Object.values(b.public_keys).every(isStr))) return 'public_keys must map key names to keys';
  if (b.fixed_ips !== undefined && (!Array.isArray(b.fixed_ips) || !b.fixed_ips.every(isStr))) return 'fixed_ips must be a list of addresses';
  const r: InstanceRecord = { id: b.id, name: b.name, project_id: b.project_id };
  for (const k of ['hostname', 'availability_zone', 'user_data', 'launch_index', 'public_keys', 'fixed_ips'] as const) if (b[k] !== undefined) (r as unknown as Record<string, unknown>)[k] = b[k];
  return r;
}
