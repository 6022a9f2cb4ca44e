/** neutron_lib's validators for addresses, CIDRs, MACs and the lists built of them (same messages). */
import { firstOf, formatCidr, formatCidrAsWritten, formatIp, isReservedMac, lastOf, parseCidr, parseIp, parseMac } from '@neutrino/netaddr';
import { pyListRepr, pySetRepr, pyStr } from './python';
import { Validator, hasBlank, isDict, pyEquals, validateUuid } from './validators';

export function validateIpAddress(data: unknown): string | undefined {
  if (typeof data !== 'string' || hasBlank(data)) return `'${pyStr(data)}' is not a valid IP address`;
  const ip = parseIp(data);
  if (!ip || (!data.includes(':') && data.split('.').length !== 4)) return `'${data}' is not a valid IP address`;
  if (ip.version === 4 && formatIp(ip) !== data) return `'${data}' is not an accepted IP address, '${formatIp(ip)}' is recommended`;
  return undefined;
}

export const validateIpAddressOrNone: Validator = (data) => (data === null ? undefined : validateIpAddress(data));

/** type:subnet — a CIDR written in full. */
export function validateSubnet(data: unknown): string | undefined {
  const net = typeof data === 'string' && !hasBlank(data) ? parseCidr(data) : undefined;
  if (!net) return `'${pyStr(data)}' is not a valid IP subnet`;
  const text = data as string;
  if (!text.includes('/') || (net.version === 4 && formatCidrAsWritten(net) !== text))
    return `'${text}' isn't a recognized IP subnet cidr, '${formatCidr(net)}' is recommended`;
  return undefined;
}

/** type:route_cidr — a CIDR with no host bits that is not loopback. */
export function validateRouteCidr(data: unknown): string | undefined {
  const net = typeof data === 'string' && !hasBlank(data) ? parseCidr(data) : undefined;
  if (!net) return `'${pyStr(data)}' is not a valid CIDR`;
  const text = data as string;
  if (!text.includes('/') || firstOf(net) !== net.ip)
    return `'${text}' is not a recognized CIDR, '${formatCidr(net)}' is recommended`;
  if (isLoopback(net.version, firstOf(net), lastOf(net))) return `'${text}' is not a routable CIDR`;
  return undefined;
}

const isLoopback = (version: 4 | 6, first: bigint, last: bigint) =>
  version === 4 ? first >= 0x7f000000n && last <= 0x7fffffffn : first === 1n && last === 1n;

export function validateMacAddress(data: unknown): string | undefined {
  const mac = typeof data === 'string' && !hasBlank(data) ? parseMac(data) : undefined;
  if (mac === undefined || isReservedMac(mac)) return `'${pyStr(data)}' is not a valid MAC address`;
  return undefined;
}

/** _verify_dict_keys: the dict must have exactly (strict) or at least the expected keys. */
export function verifyDictKeys(expected: string[], target: unknown, strict = true): string | undefined {
  if (!isDict(target)) return `Invalid input. '${pyStr(target)}' must be a dictionary with keys: ${pyListRepr(expected)}`;
  const provided = Object.keys(target);
  const ok = strict
    ? provided.length === expected.length && expected.every((k) => provided.includes(k))
    : expected.every((k) => provided.includes(k));
  if (!ok) return `Validation of dictionary's keys failed. Expected keys: ${pySetRepr(expected)} Provided keys: ${pySetRepr(provided)}`;
  return undefined;
}

export function validateIpPools(data: unknown): string | undefined {
  if (!Array.isArray(data)) return `Invalid data format for IP pool: '${pyStr(data)}'`;
  for (const pool of data) {
    const msg = verifyDictKeys(['start', 'end'], pool);
    if (msg) return msg;
    for (const k of ['start', 'end']) {
      const m = validateIpAddress((pool as Record<string, unknown>)[k]);
      if (m) return m;
    }
  }
  return undefined;
}

export function validateFixedIps(data: unknown): string | undefined {
  if (!Array.isArray(data)) return `Invalid data format for fixed IP: '${pyStr(data)}'`;
  const ips: unknown[] = [];
  for (const fixed of data) {
    if (!isDict(fixed)) return `Invalid data format for fixed IP: '${pyStr(fixed)}'`;
    if ('ip_address' in fixed) {
      const addr = fixed.ip_address;
      const msg = ips.some((x) => pyEquals(x, addr)) ? `Duplicate IP address '${pyStr(addr)}'` : validateIpAddress(addr);
      if (msg) return msg;
      ips.push(addr);
    }
    if ('subnet_id' in fixed) {
      const msg = validateUuid(fixed.subnet_id);
      if (msg) return msg;
    }
  }
  return undefined;
}

export function validateNameservers(data: unknown): string | undefined {
  let items: unknown[];
  if (Array.isArray(data)) items = data;
  else if (typeof data === 'string') items = [...data];
  else if (isDict(data)) items = Object.keys(data);
  else return `Invalid data format for nameserver: '${pyStr(data)}'`;
  const hosts: unknown[] = [];
  for (const host of items) {
    const msg = validateIpAddress(host);
    if (msg) return `'${pyStr(host)}' is not a valid nameserver. ${msg}`;
    if (hosts.some((h) => pyEquals(h, host))) return `Duplicate nameserver '${pyStr(host)}'`;
    hosts.push(host);
  }
  return undefined;
}

export function validateHostroutes(data: unknown): string | undefined {
  if (!Array.isArray(data)) return `Invalid data format for hostroute: '${pyStr(data)}'`;
  const seen: unknown[] = [];
  for (const route of data) {
    const msg =
      verifyDictKeys(['destination', 'nexthop'], route) ??
      validateRouteCidr((route as Record<string, unknown>).destination) ??
      validateIpAddress((route as Record<string, unknown>).nexthop);
    if (msg) return msg;
    if (seen.some((r) => pyEquals(r, route))) return `Duplicate hostroute '${pyStr(route)}'`;
    seen.push(route);
  }
  return undefined;
}

