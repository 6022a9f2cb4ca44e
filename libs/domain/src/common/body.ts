/**
 * Request envelopes: {"network": {...}} for one resource, {"networks": [...]}
 * for a bulk create. Errors are Zed's (pecan body hook + prepare_request_body).
 */
import { httpBadRequest } from './errors';

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalidBody = () => httpBadRequest('Body contains invalid data');

/** The resource dict of a singular envelope. */
export function unwrapSingular(body: unknown, resource: string): Record<string, unknown> {
  if (!isDict(body)) throw invalidBody();
  const item = Object.hasOwn(body, resource) ? body[resource] : undefined;
  if (item === undefined || item === null) throw httpBadRequest(`Unable to find '${resource}' in request body`);
  if (!isDict(item)) throw httpBadRequest(`Object '${resource}' contains invalid data`);
  return item;
}

/** True when the body is the bulk form (the plural key is present). */
export const isBulkBody = (body: unknown, collection: string): boolean => isDict(body) && Object.hasOwn(body, collection);

/**
 * Splits {"networks": [a, b]} into [{"network": a}, {"network": b}] (items may
 * also be given wrapped, {"network": a}). Shape errors are Neutron's.
 */
export function splitBulkBody(body: unknown, resource: string, collection: string): Array<{ [k: string]: unknown }> {
  if (!isDict(body)) throw invalidBody();
  const items = Object.hasOwn(body, collection) ? body[collection] : undefined;
  if (!items || (Array.isArray(items) && items.length === 0) || (isDict(items) && Object.keys(items).length === 0))
    throw httpBadRequest('Resources required');
  let list: unknown[];
  if (Array.isArray(items)) list = items;
  else if (typeof items === 'string') list = [...items];
  else if (isDict(items)) list = Object.keys(items);
  else throw invalidBody();
  return list.map((item) => {
    if (isDict(item)) return Object.hasOwn(item, resource) ? item : { [resource]: item };
    if (typeof item === 'string') {
      if (item.includes(resource)) throw invalidBody();
      return { [resource]: item };
    }
    throw invalidBody();
  });
}

/** The resource dict of an update body; the bulk form is refused as Zed does. */
export function unwrapUpdate(body: unknown, resource: string, collection: string): Record<string, unknown> {
  if (isBulkBody(body, collection)) throw httpBadRequest('Bulk operation not supported');
  return unwrapSingular(body, resource);
}
