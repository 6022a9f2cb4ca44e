import { NeutronError } from '@neutrino/domain';

/**
 * The gateway takes every request body as text (whatever its content type, as
 * Neutron does) and parses it here, so malformed JSON gets Neutron's answer.
 */
export function parseJsonBody(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new NeutronError(400, 'HTTPBadRequest', 'Body contains invalid data');
  }
}

/** The object under the resource's key, e.g. body.network; Neutron's errors otherwise. */
export function resourceBody(raw: unknown, singular: string): Record<string, unknown> {
  const body = parseJsonBody(raw);
  if (body === undefined) throw new NeutronError(400, 'HTTPBadRequest', `Unable to find '${singular}' in request body`);
  if (typeof body !== 'object' || Array.isArray(body) || body === null) throw new NeutronError(400, 'HTTPBadRequest', 'Body contains invalid data');
  if (!(singular in body)) throw new NeutronError(400, 'HTTPBadRequest', `Unable to find '${singular}' in request body`);
  return body as Record<string, unknown>;
}

/**
 * The body of an extension resource (tags, quotas): Zed's extension framework
 * answers malformed JSON with MalformedRequestBody, not the core resources'
 * HTTPBadRequest.
 */
export function parseExtensionBody(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new NeutronError(400, 'MalformedRequestBody', 'Malformed request body: Cannot understand JSON.');
  }
}
