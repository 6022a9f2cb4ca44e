/**
 * neutron_lib.api.validators, message for message: the generic ones. Each
 * returns undefined when the value is valid, otherwise the reason text Neutron
 * puts after "Invalid input for <attr>. Reason: ". Address validators: ip-validators.ts.
 */
import { pyInt, pyStr } from './python';

export type Validator = (data: unknown, arg?: unknown) => string | undefined;

export const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const hasBlank = (v: unknown) => typeof v === 'string' && /\s/.test(v);

export function validateString(data: unknown, maxLen?: unknown): string | undefined {
  if (typeof data !== 'string') return `'${pyStr(data)}' is not a valid string`;
  if (typeof maxLen === 'number' && [...data].length > maxLen)
    return `'${data}' exceeds maximum length of ${maxLen}`;
  return undefined;
}

export const validateStringOrNone: Validator = (data, maxLen) =>
  data === null ? undefined : validateString(data, maxLen);

export function validateUuid(data: unknown): string | undefined {
  if (typeof data === 'string') {
    const s = data.replace(/^urn:uuid:/i, '').replace(/[{}-]/g, '').toLowerCase();
    if (/^[0-9a-f]{32}$/.test(s)) return undefined;
  }
  return `'${pyStr(data)}' is not a valid UUID`;
}

export const validateUuidOrNone: Validator = (data) => (data === null ? undefined : validateUuid(data));

export function validateValues(data: unknown, valid?: unknown): string | undefined {
  const values = valid as unknown[];
  return values.includes(data as never) ? undefined : `${pyStr(data)} is not in valid_values`;
}

export function validateDict(data: unknown): string | undefined {
  return isDict(data) ? undefined : `'${pyStr(data)}' is not a dictionary`;
}

export const validateDictOrNone: Validator = (data) => (data === null ? undefined : validateDict(data));

export function validateNonNegative(data: unknown): string | undefined {
  const n = pyInt(data);
  if (n === undefined) return `'${pyStr(data)}' is not an integer`;
  if (n < 0) return `'${n}' should be non-negative`;
  return undefined;
}

/** _validate_list_of_items: a list, no duplicates, each item valid. */
export function validateListOf(item: Validator, data: unknown, arg?: unknown): string | undefined {
  if (!Array.isArray(data)) return `'${pyStr(data)}' is not a list`;
  const dups: unknown[] = [];
  data.forEach((d, i) => {
    if (data.slice(0, i).some((x) => pyEquals(x, d)) && !dups.some((x) => pyEquals(x, d))) dups.push(d);
  });
  if (dups.length) return `Duplicate items in the list: '${dups.map(pyStr).join(', ')}'`;
  for (const d of data) {
    const msg = item(d, arg);
    if (msg) return msg;
  }
  return undefined;
}

export const validateUuidList: Validator = (data) => validateListOf(validateUuid, data);
export const validateListOfUniqueStrings: Validator = (data, max) => validateListOf(validateString, data, max);

/** Python == on JSON values (1 == True, dicts compare by content). */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    const n = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
    return n(a) === n(b);
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return a === b;
}

