/**
 * The request-body pipeline of Neutron's API layer (prepare_request_body and
 * neutron_lib.api.attributes): owner fields, unknown attributes, POST
 * defaults / read-only checks, then conversion and validation in the order of
 * the resource's attribute map — with Zed's exact messages.
 */
import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import { httpBadRequest } from './errors';
import { pyEquals } from './validators';

export type Converter = (value: unknown) => unknown;
export type AttrValidator = (value: unknown) => string | undefined;

/** One entry of a resource attribute map. `default` absent = required on POST; NOT_SPECIFIED = optional, no value. */
export interface AttrSpec {
  post: boolean;
  put: boolean;
  default?: unknown;
  convert?: Converter;
  validate?: AttrValidator;
  /** The attribute takes part in policy checks (create_<res>:<attr>). */
  policy?: boolean;
}

export const NOT_SPECIFIED: unique symbol = Symbol('ATTR_NOT_SPECIFIED');
export type AttrMap = Record<string, AttrSpec>;

/** A parsed request item: attributes given or defaulted; optional attributes not given are absent. */
export type Parsed = Record<string, unknown>;

/** is_attr_set(): given and not null. */
/** Own keys only: a body's `constructor` or `__proto__` is an attribute name like any other. */
export const has = (o: object, key: string): boolean => Object.hasOwn(o, key);

export const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== NOT_SPECIFIED;

function populateProjectInfo(item: Parsed): void {
  if (has(item, 'tenant_id') && !has(item, 'project_id')) item.project_id = item.tenant_id;
  else if (has(item, 'project_id') && !has(item, 'tenant_id')) item.tenant_id = item.project_id;
  if (!pyEquals(item.project_id, item.tenant_id)) throw httpBadRequest("'project_id' and 'tenant_id' do not match");
}

function checkOwnerPrivileges(item: Parsed, actor: Actor): void {
  if (has(item, 'project_id') && item.project_id !== actor.project_id && !isAdmin(actor))
    throw httpBadRequest(
      "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges",
    );
}

/** Runs the whole pipeline on one resource dict (already unwrapped from its envelope). */
export function parseAttributes(raw: Record<string, unknown>, map: AttrMap, actor: Actor, isCreate: boolean): Parsed {
  const item: Parsed = { ...raw };
  populateProjectInfo(item);
  checkOwnerPrivileges(item, actor);
  if (isCreate && !has(item, 'project_id')) {
    item.project_id = actor.project_id;
    item.tenant_id = actor.project_id;
  }
  const specs: AttrMap = { ...map, project_id: map.project_id ?? map.tenant_id };
  const unknown = Object.keys(item).filter((k) => !has(specs, k));
  if (unknown.length) throw httpBadRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);

  for (const [name, spec] of Object.entries(specs)) {
    if (isCreate) {
      if (spec.post) {
        if (!has(spec, 'default') && !has(item, name))
          throw httpBadRequest(`Failed to parse request. Required attribute '${name}' not specified`);
        if (!has(item, name) && spec.default !== NOT_SPECIFIED) item[name] = clone(spec.default);
      } else if (has(item, name)) {
        throw httpBadRequest(`Attribute '${name}' not allowed in POST`);
      }
    } else if (has(item, name) && !spec.put) {
      throw httpBadRequest(`Cannot update read-only attribute ${name}`);
    }
  }

  for (const [name, spec] of Object.entries(specs)) {
    if (!has(item, name)) continue;
    if (spec.convert) item[name] = spec.convert(item[name]);
    const reason = spec.validate?.(item[name]);
    if (reason) throw httpBadRequest(`Invalid input for ${name}. Reason: ${reason}.`);
  }
  return item;
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** policy._is_attribute_explicitly_set for a create: given, and not equal to the attribute's default. */
export function explicitlySet(name: string, item: Parsed, map: AttrMap): boolean {
  if (!has(item, name) || item[name] === NOT_SPECIFIED) return false;
  const spec = map[name];
  if (spec && has(spec, 'default') && spec.default !== NOT_SPECIFIED) return !pyEquals(item[name], spec.default);
  return true;
}
