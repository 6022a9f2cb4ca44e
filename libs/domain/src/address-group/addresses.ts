/** The body of PUT add_addresses / remove_addresses, its CIDRs normalised as Zed's netaddr.IPNetwork(...).cidr does. */
import { formatCidr, parseCidr } from '@neutrino/netaddr';
import { neutronError } from '../common/errors';
import { pyListRepr, pyStr } from '../common/python';
import { httpBadRequest } from '../common/errors';
import { isDict } from '../common/validators';

/** "10.0.0.1/24" → "10.0.0.0/24", "10.0.2.3" → "10.0.2.3/32" (lenient: add/remove take any address netaddr parses). */
export function normaliseAddress(a: unknown): string {
  const net = typeof a === 'string' ? parseCidr(a) : undefined;
  if (!net) throw neutronError(400, 'AddrFormatError', `invalid IPNetwork ${pyStr(a)}`);
  return formatCidr(net);
}

/** Distinct normalised CIDRs in the order first given. */
export const distinctAddresses = (list: unknown[]): string[] => [...new Set(list.map(normaliseAddress))];

/**
 * `{"addresses": [...]}`. Zed answers a body without the list with HTTP 500 and iterates the
 * characters of a string; Neutrino refuses both as a bad request instead.
 */
export function addressesOfBody(body: unknown): string[] {
  const list = isDict(body) ? body.addresses : undefined;
  if (!Array.isArray(list)) throw httpBadRequest(`Invalid input for addresses. Reason: '${pyStr(list ?? null)}' is not a list.`);
  return distinctAddresses(list);
}

export const addressesAlreadyExist = (id: string, addrs: string[]) =>
  neutronError(400, 'AddressesAlreadyExist', `Addresses ${pyListRepr(addrs)} already exist in the address group ${id}.`);
export const addressesNotFound = (id: string, addrs: string[]) =>
  neutronError(404, 'AddressesNotFound', `Addresses ${pyListRepr(addrs)} not found in the address group ${id}.`);
export const addressGroupInUse = (id: string) =>
  neutronError(409, 'AddressGroupInUse', `Address group ${id} is in use on one or more security group rules.`);
