/** The port_forwarding attribute map (floating-ip-port-forwarding + -port-ranges + -description) with Zed's validators. */
import { AttrMap } from '../common/attributes';
import { validateIpAddress } from '../common/ip-validators';
import { pyInt, pyStr } from '../common/python';
import { DESCRIPTION } from '../common/standard-attrs';
import { validateString, validateUuid, validateValues } from '../common/validators';
import { invalidInput } from '../errors';

export const PF_PROTOCOLS = ['dccp', 'icmp', 'ipv6-icmp', 'sctp', 'tcp', 'udp'];

/** validate_range_or_none [1, 65535]. */
export function validatePortOrNone(data: unknown): string | undefined {
  if (data === null) return undefined;
  const n = pyInt(data);
  if (n === undefined) return `'${pyStr(data)}' is not an integer`;
  if (n < 1) return `'${n}' is too small - must be at least '1'`;
  if (n > 65535) return `'${n}' is too large - must be no larger than '65535'`;
  return undefined;
}

/** validate_port_range_or_none [1, 65535]: `p` or `start:end`. */
export function validatePortRangeOrNone(data: unknown): string | undefined {
  if (data === null) return undefined;
  const ports = pyStr(data).split(':');
  if (ports.length > 2 || ports.some((p) => !p.length)) return 'Port range must be two integers separated by a colon';
  for (const p of ports) {
    if (!/^\s*\d+\s*$/.test(p) || Number(p) > 65535) return `Invalid port: ${p}`;
    if (Number(p) < 1) return `Invalid port: ${p}, the port must be in the range [1, 65535]`;
  }
  if (ports.length > 1 && Number(ports[0]) > Number(ports[1])) return 'First port in a port range must be lower than the second port';
  return undefined;
}

/** convert_to_protocol: a supported name (any case, kept as given) or 0-255. */
export function convertProtocol(data: unknown): unknown {
  if (data === null) return data;
  if (typeof data === 'string' && PF_PROTOCOLS.includes(data.toLowerCase())) return data;
  const n = pyInt(data);
  if (n !== undefined && n >= 0 && n <= 255) return data;
  throw invalidInput(`IP protocol '${pyStr(data)}' is not supported. Only protocol names and their integer representation (0 to 255) are supported`);
}

const toIntOrNone = (v: unknown) => (v === null ? null : (pyInt(v) ?? v));

export const PORT_FORWARDING_ATTRS: AttrMap = {
  id: { post: false, put: false, validate: validateUuid },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  external_port: { post: true, put: true, default: null, convert: toIntOrNone, validate: validatePortOrNone },
  internal_port: { post: true, put: true, default: null, convert: toIntOrNone, validate: validatePortOrNone },
  internal_ip_address: { post: true, put: true, validate: validateIpAddress },
  protocol: { post: true, put: true, convert: convertProtocol, validate: (v) => validateValues(v, PF_PROTOCOLS) },
  internal_port_id: { post: true, put: true, validate: validateUuid },
  external_port_range: { post: true, put: true, default: null, validate: validatePortRangeOrNone },
  internal_port_range: { post: true, put: true, default: null, validate: validatePortRangeOrNone },
  ...DESCRIPTION,
};

/** Zed's list filters of a floating IP's port forwardings (the sort keys and is_filter attributes). */
export const PF_FILTERS = new Set(['id', 'external_port', 'external_port_range', 'protocol', 'internal_port_id', 'description', 'internal_ip_address', 'internal_port']);
/** FIELDS_NOT_SUPPORT_FILTER: named as filters, refused by the plugin. */
export const PF_FILTERS_REFUSED = new Set(['internal_ip_address', 'internal_port']);
