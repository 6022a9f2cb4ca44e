/** neutron_lib.api.converters used by the core resources; failures raise InvalidInput like Neutron's. */
import { invalidInput } from '../errors';
import { canonicalIp, formatCidrAsWritten, parseCidr, sanitizeMac } from '@neutrino/netaddr';
import { pyBool, pyInt, pyStr } from './python';

export function toBoolean(value: unknown): boolean {
  const b = pyBool(value);
  if (b === undefined) throw invalidInput(`'${pyStr(value)}' cannot be converted to boolean`);
  return b;
}

export function toInt(value: unknown): number {
  const n = pyInt(value);
  if (n === undefined) throw invalidInput(`'${pyStr(value)}' is not an integer`);
  return n;
}

export const noneToEmptyList = (value: unknown): unknown => (value === null ? [] : value);

/** convert_ip_to_canonical_format: IPv6 compacted; anything else unchanged. */
export const toCanonicalIp = (value: unknown): unknown => (typeof value === 'string' ? canonicalIp(value) : value);

/** convert_cidr_to_canonical_format: "<canonical address>/<prefix>" (host bits kept). */
export function toCanonicalCidr(value: unknown): string {
  const net = typeof value === 'string' ? parseCidr(value) : undefined;
  if (!net) throw invalidInput(`${pyStr(value)} is not in a CIDR format`);
  return formatCidrAsWritten(net);
}

/** convert_to_sanitized_mac_address: "fa:16:3e:00:00:01"; non-MACs unchanged (the validator rejects them). */
export const toSanitizedMac = (value: unknown): unknown => (typeof value === 'string' ? sanitizeMac(value) : value);
