/**
 * The request bodies of /v2.0/fwaas (neutron-lib api/definitions/firewall_v2.py):
 * attribute maps with their defaults, converters and validators, then the
 * rule checks of neutron-fwaas's db layer (ports need tcp/udp, addresses
 * agree with ip_version, min <= max).
 */
import { parseIp, parseCidr } from '@neutrino/netaddr';
import type { Actor } from '../actor';
import { NeutronError } from '../errors';
import { NOT_SPECIFIED, parseAttributes, type AttrMap, type Parsed } from '../common/attributes';
import { toBoolean, toInt } from '../common/converters';
import { validateString, validateUuidList, validateUuidOrNone, validateValues } from '../common/validators';
import { fwErrors } from './errors';
import type { FirewallRule } from './model';

const bool = { convert: toBoolean };
const name = { validate: (v: unknown) => validateString(v, 255) };
const description = { validate: (v: unknown) => validateString(v, 1024) };
const owner = { post: true, put: false, validate: (v: unknown) => validateString(v, 255) };

const PROTOCOLS = ['tcp', 'udp', 'icmp'];
const NUMBERED: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp' };
/** convert_protocol: a name (any case), its number, or any (null / "any"). */
function convertProtocol(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const s = String(v).toLowerCase();
  if (s === 'any') return null;
  if (PROTOCOLS.includes(s)) return s;
  if (/^\d+$/.test(s) && NUMBERED[Number(s)]) return NUMBERED[Number(s)];
  throw new NeutronError(400, 'FirewallRuleInvalidProtocol',
    `Firewall Rule protocol ${String(v)} is not supported. Only protocol values [None, 'tcp', 'udp', 'icmp'] and their integer representation (0 to 255) are supported.`);
}
function convertAction(v: unknown): unknown {
  const s = typeof v === 'string' ? v.toLowerCase() : v;
  if (s === 'allow' || s === 'deny' || s === 'reject') return s;
  throw new NeutronError(400, 'FirewallRuleInvalidAction', `Firewall rule action ${String(v)} is not supported. Only action values ['allow', 'deny', 'reject'] are supported.`);
}
/** convert_port_to_string + the port range check: "N" or "N:M", 0..65535, N <= M ("N:N" is "N"). */
function convertPort(v: unknown): unknown {
  if (v === null) return null;
  const s = String(v);
  const m = /^(\d+)(?::(\d+))?$/.exec(s);
  if (!m) throw fwErrors.invalidPort(s);
  const [min, max] = [Number(m[1]), Number(m[2] ?? m[1])];
  if (min > 65535 || max > 65535 || min > max) throw fwErrors.invalidPort(s);
  return min === max ? String(min) : `${min}:${max}`;
}
const ipOrSubnet = (v: unknown) => (v === null || (typeof v === 'string' && (parseIp(v) || parseCidr(v))) ? undefined : `'${String(v)}' is neither a valid IP address, nor is it a valid IP subnet`);
const versionOf = (v: string | null): number | undefined => (v ? (parseIp(v)?.version ?? parseCidr(v)?.version) : undefined);

export const RULE_ATTRS: AttrMap = {
  tenant_id: owner,
  name: { post: true, put: true, default: '', ...name },
  description: { post: true, put: true, default: '', ...description },
  protocol: { post: true, put: true, default: null, convert: convertProtocol },
  ip_version: { post: true, put: true, default: 4, convert: toInt, validate: (v) => validateValues(v, [4, 6]) },
  source_ip_address: { post: true, put: true, default: null, validate: ipOrSubnet },
  destination_ip_address: { post: true, put: true, default: null, validate: ipOrSubnet },
  source_port: { post: true, put: true, default: null, convert: convertPort },
  destination_port: { post: true, put: true, default: null, convert: convertPort },
  action: { post: true, put: true, default: 'deny', convert: convertAction },
  enabled: { post: true, put: true, default: true, ...bool },
  shared: { post: true, put: true, default: false, ...bool },
  firewall_policy_id: { post: false, put: false },
};

export const POLICY_ATTRS: AttrMap = {
  tenant_id: owner,
  name: { post: true, put: true, default: '', ...name },
  description: { post: true, put: true, default: '', ...description },
  firewall_rules: { post: true, put: true, default: [], convert: (v) => (v === null ? [] : v), validate: validateUuidList },
  audited: { post: true, put: true, default: false, ...bool },
  shared: { post: true, put: true, default: false, ...bool },
};

export const GROUP_ATTRS: AttrMap = {
  tenant_id: owner,
  name: { post: true, put: true, default: '', ...name },
  description: { post: true, put: true, default: '', ...description },
  ingress_firewall_policy_id: { post: true, put: true, default: null, validate: validateUuidOrNone },
  egress_firewall_policy_id: { post: true, put: true, default: null, validate: validateUuidOrNone },
  admin_state_up: { post: true, put: true, default: true, ...bool },
  ports: { post: true, put: true, default: [], convert: (v) => (v === null ? [] : v), validate: validateUuidList },
  status: { post: false, put: false },
  shared: { post: true, put: true, default: false, ...bool },
};

export const RULE_INFO_ATTRS: AttrMap = {
  firewall_rule_id: { post: true, put: true, validate: validateUuidOrNone },
  insert_before: { post: true, put: true, default: NOT_SPECIFIED, validate: (v) => (v === '' ? undefined : validateUuidOrNone(v)) },
  insert_after: { post: true, put: true, default: NOT_SPECIFIED, validate: (v) => (v === '' ? undefined : validateUuidOrNone(v)) },
};

/**
 * A v1 firewall (neutron-fwaas extensions/firewall.py + firewallrouterinsertion.py): the policy is
 * required on create, `router_ids` absent means "every router of the tenant", `[]` means none.
 */
export const FIREWALL_V1_ATTRS: AttrMap = {
  tenant_id: owner,
  name: { post: true, put: true, default: '', ...name },
  description: { post: true, put: true, default: '', ...description },
  admin_state_up: { post: true, put: true, default: true, ...bool },
  status: { post: false, put: false },
  shared: { post: true, put: true, default: false, ...bool },
  firewall_policy_id: { post: true, put: true, validate: validateUuidOrNone },
  router_ids: { post: true, put: true, default: NOT_SPECIFIED, validate: validateUuidList },
};

export type FwKind = 'firewall_rule' | 'firewall_policy' | 'firewall_group' | 'firewall';
const MAPS: Record<FwKind, AttrMap> = { firewall_rule: RULE_ATTRS, firewall_policy: POLICY_ATTRS, firewall_group: GROUP_ATTRS, firewall: FIREWALL_V1_ATTRS };

/** One resource's body (unwrapped), through Neutron's attribute pipeline. */
export function parseFirewall(kind: FwKind, raw: Record<string, unknown>, actor: Actor, isCreate: boolean): Parsed {
  const item = parseAttributes(raw, MAPS[kind], actor, isCreate);
  if (kind === 'firewall_policy' && Array.isArray(item.firewall_rules) && new Set(item.firewall_rules).size !== item.firewall_rules.length) {
    throw new NeutronError(400, 'HTTPBadRequest', `Invalid input for firewall_rules. Reason: Duplicate items in the list: '${String(item.firewall_rules)}'.`);
  }
  return item;
}

/** The db layer's checks of a rule as it will be (after an update's changes). */
export function checkRule(r: Pick<FirewallRule, 'protocol' | 'source_port' | 'destination_port' | 'source_ip_address' | 'destination_ip_address' | 'ip_version'>, E: typeof fwErrors = fwErrors): void {
  if (r.protocol && r.protocol !== 'tcp' && r.protocol !== 'udp' && (r.source_port || r.destination_port)) throw E.icmpPorts();
  if (!r.protocol && (r.source_port || r.destination_port)) throw E.portWithoutProtocol();
  const src = versionOf(r.source_ip_address);
  const dst = versionOf(r.destination_ip_address);
  if ((src && src !== r.ip_version) || (dst && dst !== r.ip_version)) throw E.ipConflict();
}
