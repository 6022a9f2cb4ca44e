import type { IncomingHttpHeaders } from 'node:http';
import { H, verifyInstanceSignature, type InstanceRecord } from '@neutrino/metadata';

export type Identified = { ok: true; record: InstanceRecord; sourceIp: string } | { ok: false; status: number; message: string };

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : v);

/**
 * Which instance asks, as Nova's metadata API checks it: the instance id and
 * tenant headers are required (400), the signature must be the shared
 * secret's HMAC of the instance id (403), the instance must exist and belong
 * to that tenant (404).
 */
export function identify(headers: IncomingHttpHeaders, secret: string, find: (id: string) => InstanceRecord | undefined): Identified {
  const instanceId = one(headers[H.instanceId]);
  const tenantId = one(headers[H.tenantId]);
  if (!instanceId) return { ok: false, status: 400, message: 'X-Instance-ID header is missing from request.' };
  if (!tenantId) return { ok: false, status: 400, message: 'X-Tenant-ID header is missing from request.' };
  if (!verifyInstanceSignature(secret, instanceId, one(headers[H.signature]))) return { ok: false, status: 403, message: 'Invalid proxy request signature.' };
  const record = find(instanceId);
  if (!record || record.project_id !== tenantId) return { ok: false, status: 404, message: 'Instance not found.' };
  const sourceIp = (one(headers[H.forwardedFor]) ?? '').split(',')[0].trim();
  return { ok: true, record, sourceIp };
}

/** Requests that came through the metadata path carry these; the admin endpoint refuses them (an instance must never register instances). */
export const cameThroughProxy = (headers: IncomingHttpHeaders): boolean => [H.instanceId, H.forwardedFor, H.signature].some((h) => headers[h] !== undefined);
