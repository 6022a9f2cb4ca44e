/**
 * The attribute maps of security groups and rules (Zed's order: the
 * extension's own attributes, then standard attributes), with Zed's
 * converters: protocol names or numbers, ports, ethertype, remote prefix.
 */
import { AttrMap } from '../common/attributes';
import { toBoolean } from '../common/converters';
import { pyInt } from '../common/python';
import { DESCRIPTION, TAG_FILTERS, TIMESTAMPS } from '../common/standard-attrs';
import { validateString, validateUuid, validateValues } from '../common/validators';
import { formatCidrAsWritten, parseCidr } from '@neutrino/netaddr';
import { defaultAlreadyExists, invalidCidr, invalidEthertype, invalidPortValue, invalidProtocol } from './errors';
import { SUPPORTED_PROTOCOLS } from './protocols';

const readOnly = { post: false, put: false };

/** type:name_not_default — any spelling of "default" is the default group's name. */
function validateNameNotDefault(data: unknown): string | undefined {
  const msg = validateString(data, 255);
  if (msg) return msg;
  if ((data as string).toLowerCase() === 'default') throw defaultAlreadyExists();
  return undefined;
}

export const SECURITY_GROUP_ATTRS: AttrMap = {
  id: { ...readOnly, validate: validateUuid },
  name: { post: true, put: true, default: '', validate: validateNameNotDefault },
  stateful: { post: true, put: true, default: true, convert: toBoolean },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  security_group_rules: readOnly,
  ...DESCRIPTION,
  ...TAG_FILTERS,
  ...TIMESTAMPS,
};

/** convert_protocol: a number 0-255 (kept as the text given) or a supported name (lower-cased). */
export function convertProtocol(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const n = pyInt(value);
  if (n !== undefined && typeof value !== 'boolean') {
    if (n >= 0 && n <= 255) return String(value);
    throw invalidProtocol(value);
  }
  if (typeof value === 'string' && SUPPORTED_PROTOCOLS.includes(value.toLowerCase())) return value.toLowerCase();
  throw invalidProtocol(value);
}

/** convert_validate_port_value: null, or an integer 0-65535. */
export function convertPort(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = pyInt(value);
  if (n === undefined || n < 0 || n > 65535) throw invalidPortValue(value);
  return n;
}

/** convert_ethertype_to_case_insensitive. */
export function convertEthertype(value: unknown): string {
  if (typeof value === 'string') {
    const hit = ['IPv4', 'IPv6'].find((e) => e.toLowerCase() === value.toLowerCase());
    if (hit) return hit;
  }
  throw invalidEthertype(value);
}

/** convert_ip_prefix_to_cidr: empty → none; otherwise "<address>/<length>" (host bits kept). */
export function convertIpPrefix(value: unknown): string | null {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) return null;
  const net = typeof value === 'string' ? parseCidr(value) : undefined;
  if (!net) throw invalidCidr(value);
  return formatCidrAsWritten(net);
}

export const SECURITY_GROUP_RULE_ATTRS: AttrMap = {
  id: { ...readOnly, validate: validateUuid },
  security_group_id: { post: true, put: false, validate: (v) => validateString(v, 36) },
  remote_group_id: { post: true, put: false, default: null },
  remote_address_group_id: { post: true, put: false, default: null },
  direction: { post: true, put: false, validate: (v) => validateValues(v, ['ingress', 'egress']) },
  protocol: { post: true, put: false, default: null, convert: convertProtocol },
  port_range_min: { post: true, put: false, default: null, convert: convertPort },
  port_range_max: { post: true, put: false, default: null, convert: convertPort },
  ethertype: { post: true, put: false, default: 'IPv4', convert: convertEthertype },
  remote_ip_prefix: { post: true, put: false, default: null, convert: convertIpPrefix },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  ...DESCRIPTION,
  normalized_cidr: readOnly,
  ...TIMESTAMPS,
};
