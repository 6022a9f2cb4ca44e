/**
 * Octavia's request bodies (octavia/api/v2/types/*.py): which attributes a
 * POST or PUT may name, their types, ranges and enums, and Octavia's defaults.
 */
import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import { parseIp } from '@neutrino/netaddr';
import { invalidField, invalidOption, mandatory, missingBody, unknownAttribute, validation, forbidden } from './errors';

type Check = (field: string, v: unknown) => unknown;
interface Attr {
  check: Check;
  create?: boolean;
  update?: boolean;
  required?: boolean;
  default?: () => unknown;
}

const str = (max = 255): Check => (f, v) => {
  if (typeof v !== 'string') throw invalidField(f, v, 'Wrong type. Expected \'<class \'str\'>\'');
  if (v.length > max) throw invalidField(f, v, `Value should have a maximum character requirement of ${max}`);
  return v;
};
const nullableStr = (max = 255): Check => (f, v) => (v === null ? null : str(max)(f, v));
const bool: Check = (f, v) => {
  if (typeof v !== 'boolean') throw invalidField(f, v, 'Wrong type. Expected \'<class \'bool\'>\'');
  return v;
};
const int = (min: number, max: number): Check => (f, v) => {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidField(f, v, 'Wrong type. Expected \'<class \'int\'>\'');
  if (v < min) throw invalidField(f, v, `Value should be greater or equal to ${min}`);
  if (v > max) throw invalidField(f, v, `Value should be lower or equal to ${max}`);
  return v;
};
const oneOf = (values: readonly string[]): Check => (f, v) => {
  if (typeof v !== 'string' || !values.includes(v)) throw invalidField(f, v, `Value should be one of: ${values.join(', ')}`);
  return v;
};
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid: Check = (f, v) => {
  if (typeof v !== 'string' || !UUID.test(v)) throw invalidField(f, v, 'Value should be UUID format');
  return v.toLowerCase();
};
const nullableUuid: Check = (f, v) => (v === null ? null : uuid(f, v));
const ip: Check = (f, v) => {
  if (typeof v !== 'string' || !parseIp(v)) throw invalidField(f, v, 'Value should be IPv4 or IPv6 format');
  return v;
};
const nullableIp: Check = (f, v) => (v === null ? null : ip(f, v));
const tags: Check = (f, v) => {
  if (!Array.isArray(v) || v.some((t) => typeof t !== 'string' || t.length > 255)) throw invalidField(f, v, 'Value should be a list of strings');
  return [...new Set(v as string[])];
};
const cidrs: Check = (f, v) => {
  if (v === null) return null;
  if (!Array.isArray(v) || v.some((c) => typeof c !== 'string' || !parseIp(c.split('/')[0]))) throw invalidField(f, v, 'Value should be a list of CIDRs');
  return v;
};
const headers: Check = (f, v) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidField(f, v, 'Wrong type. Expected \'<class \'dict\'>\'');
  return v;
};
const persistence: Check = (f, v) => {
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidField(f, v, 'Wrong type. Expected \'SessionPersistencePOST\'');
  const o = v as Record<string, unknown>;
  const type = oneOf(PERSISTENCE)(`${f}.type`, o.type);
  const cookie = o.cookie_name === undefined || o.cookie_name === null ? null : str(255)(`${f}.cookie_name`, o.cookie_name);
  if (type === 'APP_COOKIE' && !cookie) throw validation('Field "cookie_name" must be specified when using the "APP_COOKIE" session persistence type.');
  if (type !== 'APP_COOKIE' && cookie) throw validation('Field "cookie_name" can only be specified when using the "APP_COOKIE" session persistence type.');
  return { type, cookie_name: cookie };
};

export const LISTENER_PROTOCOLS = ['TCP', 'HTTP', 'HTTPS'] as const;
export const LB_ALGORITHMS = ['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP'] as const;
export const PERSISTENCE = ['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE'] as const;
export const MONITOR_TYPES = ['PING', 'TCP', 'HTTP', 'HTTPS'] as const;
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'OPTIONS', 'CONNECT', 'PATCH'] as const;

const port = int(1, 65535);
const timeout = int(0, 31536000);
const base = (): Record<string, Attr> => ({
  name: { check: str(255), create: true, update: true, default: () => '' },
  description: { check: str(255), create: true, update: true, default: () => '' },
  admin_state_up: { check: bool, create: true, update: true, default: () => true },
  tags: { check: tags, create: true, update: true, default: () => [] },
  project_id: { check: str(36), create: true },
  tenant_id: { check: str(36), create: true },
});

export const LB_ATTRS: Record<string, Record<string, Attr>> = {
  loadbalancer: {
    ...base(),
    vip_address: { check: ip, create: true },
    vip_port_id: { check: uuid, create: true },
    vip_subnet_id: { check: uuid, create: true },
    vip_network_id: { check: uuid, create: true },
    vip_qos_policy_id: { check: nullableUuid, create: true, update: true },
    provider: { check: str(64), create: true, default: () => 'haproxy' },
    flavor_id: { check: nullableUuid, create: true },
    availability_zone: { check: nullableStr(255), create: true },
  },
  listener: {
    ...base(),
    loadbalancer_id: { check: uuid, create: true, required: true },
    protocol: { check: oneOf(LISTENER_PROTOCOLS), create: true, required: true },
    protocol_port: { check: port, create: true, required: true },
    connection_limit: { check: int(-1, 2147483647), create: true, update: true, default: () => -1 },
    default_pool_id: { check: nullableUuid, create: true, update: true, default: () => null },
    timeout_client_data: { check: timeout, create: true, update: true, default: () => 50000 },
    timeout_member_connect: { check: timeout, create: true, update: true, default: () => 5000 },
    timeout_member_data: { check: timeout, create: true, update: true, default: () => 50000 },
    timeout_tcp_inspect: { check: timeout, create: true, update: true, default: () => 0 },
    insert_headers: { check: headers, create: true, update: true, default: () => ({}) },
    allowed_cidrs: { check: cidrs, create: true, update: true, default: () => null },
  },
  pool: {
    ...base(),
    loadbalancer_id: { check: uuid, create: true },
    listener_id: { check: uuid, create: true },
    protocol: { check: oneOf(LISTENER_PROTOCOLS), create: true, required: true },
    lb_algorithm: { check: oneOf(LB_ALGORITHMS), create: true, update: true, required: true },
    session_persistence: { check: persistence, create: true, update: true, default: () => null },
  },
  member: {
    ...base(),
    address: { check: ip, create: true, required: true },
    protocol_port: { check: port, create: true, required: true },
    weight: { check: int(0, 256), create: true, update: true, default: () => 1 },
    subnet_id: { check: nullableUuid, create: true, default: () => null },
    backup: { check: bool, create: true, update: true, default: () => false },
    monitor_address: { check: nullableIp, create: true, update: true, default: () => null },
    monitor_port: { check: (f, v) => (v === null ? null : port(f, v)), create: true, update: true, default: () => null },
  },
  healthmonitor: {
    ...base(),
    pool_id: { check: uuid, create: true, required: true },
    type: { check: oneOf(MONITOR_TYPES), create: true, required: true },
    delay: { check: int(0, 2147483647), create: true, update: true, required: true },
    timeout: { check: int(0, 2147483647), create: true, update: true, required: true },
    max_retries: { check: int(1, 10), create: true, update: true, required: true },
    max_retries_down: { check: int(1, 10), create: true, update: true, default: () => 3 },
    http_method: { check: oneOf(HTTP_METHODS), create: true, update: true },
    url_path: { check: str(2048), create: true, update: true },
    expected_codes: { check: str(64), create: true, update: true },
  },
};

function unwrap(body: unknown, resource: string): Record<string, unknown> {
  const item = (body as Record<string, unknown> | undefined)?.[resource];
  if (!body || typeof body !== 'object' || typeof item !== 'object' || item === null || Array.isArray(item)) throw missingBody(resource);
  return item as Record<string, unknown>;
}

/**
 * A POST body: every attribute checked, defaults filled, the owner settled
 * (a member may name only its own project; an admin any).
 */
export function parseLbCreate(kind: keyof typeof LB_ATTRS, body: unknown, actor: Actor): Record<string, unknown> {
  const item = unwrap(body, kind);
  const attrs = LB_ATTRS[kind];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    const a = attrs[k];
    if (!a?.create) throw unknownAttribute(kind, k);
    if (v === undefined) continue;
    out[k] = a.check(k, v);
  }
  for (const [k, a] of Object.entries(attrs)) {
    if (!a.create || k in out) continue;
    if (a.required) throw mandatory(k);
    if (a.default) out[k] = a.default();
  }
  const project = (out.project_id ?? out.tenant_id ?? actor.project_id) as string;
  if (out.project_id !== undefined && out.tenant_id !== undefined && out.project_id !== out.tenant_id) throw validation('project_id and tenant_id do not match.');
  if (project !== actor.project_id && !isAdmin(actor)) throw forbidden();
  out.project_id = project;
  out.tenant_id = project;
  return out;
}

/** A PUT body: only the attributes Octavia lets change. */
export function parseLbUpdate(kind: keyof typeof LB_ATTRS, body: unknown): Record<string, unknown> {
  const item = unwrap(body, kind);
  const attrs = LB_ATTRS[kind];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    const a = attrs[k];
    if (!a) throw unknownAttribute(kind, k);
    if (!a.update) throw invalidField(k, v, 'Attribute is read-only on update');
    if (v === undefined) continue;
    out[k] = a.check(k, v);
  }
  return out;
}

/** Octavia's expected_codes: `200`, `200,202`, `200-204`. */
export function checkExpectedCodes(codes: string): void {
  const code = '[1-5]\\d\\d';
  if (!new RegExp(`^(${code}(,${code})*|${code}-${code})$`).test(codes)) {
    throw invalidField('expected_codes', codes, 'Value should match the pattern ^(\\d{3}(\\s*,\\s*\\d{3})*)$|^(\\d{3}-\\d{3})$');
  }
  const range = /^(\d+)-(\d+)$/.exec(codes);
  if (range && Number(range[1]) > Number(range[2])) throw invalidField('expected_codes', codes, 'The first code of a range must not be above the last');
}

export function checkUrlPath(path: string): void {
  if (!path.startsWith('/') || /\s/.test(path)) throw invalidField('url_path', path, 'Value should start with "/" and hold no whitespace');
}

/** The monitor as it would be after the change: delay >= timeout, HTTP-only fields on HTTP(S) monitors. */
export function checkMonitor(m: { type: string; delay: number; timeout: number; http_method?: unknown; url_path?: unknown; expected_codes?: unknown }, named: Record<string, unknown>): void {
  if (m.delay < m.timeout) throw validation('The request delay value must be greater than or equal to the timeout value.');
  const http = m.type === 'HTTP' || m.type === 'HTTPS';
  if (!http) {
    for (const k of ['http_method', 'url_path', 'expected_codes']) {
      if (named[k] !== undefined && named[k] !== null) throw invalidOption(k, `health monitors of type ${m.type}`);
    }
  }
  if (typeof m.expected_codes === 'string') checkExpectedCodes(m.expected_codes);
  if (typeof m.url_path === 'string') checkUrlPath(m.url_path);
}
