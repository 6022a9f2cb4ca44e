/**
 * Limits on request JSON that Neutron gets from its Python runtime and its
 * database columns, made explicit: how deep a body may nest (Python's parser
 * and every client built on it give up near 1,000 levels, and a body that
 * deep serves no attribute of the API) and Python's `json.dumps` rendering,
 * which is what Neutron measures a stored JSON column by.
 */
import { neutronError } from './errors';

/** How many levels of arrays/objects a request body may nest (the envelope counts as one). */
export const MAX_JSON_DEPTH = 32;

/** True when `value` nests more than `max` levels of arrays/objects; iterative, so any depth is safe. */
export function jsonDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The refusal of a body nested deeper than MAX_JSON_DEPTH. */
export const bodyTooDeep = () =>
  neutronError(400, 'HTTPBadRequest', `Body contains invalid data: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);

/**
 * Python's `json.dumps(value)` (oslo jsonutils.dumps): separators ', ' and
 * ': ', non-ASCII escaped as \uXXXX. Callers bound the depth first.
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? (Number.isInteger(value) ? String(value) : pyFloat(value)) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'string') return asciiJson(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${asciiJson(k)}: ${pyJsonDumps(v)}`).join(', ')}}`;
  return 'null';
}

const pyFloat = (n: number): string => {
  const s = String(n).replace(/e([+-])(\d)$/, 'e$1' + '0$2');
  return s.includes('e') || s.includes('.') ? s : `${s}.0`;
};

const asciiJson = (s: string): string =>
  JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
