import { NeutronError, invalidInput, isTagFilter, matchesTagFilter } from '@neutrino/domain';

export type Query = Record<string, string | string[] | undefined>;

export interface ListQuery {
  filters: Map<string, string[]>;
  fields: string[] | null;
  sorts: Array<[string, 'asc' | 'desc']>;
  limit: number | null;
  marker: string | null;
  pageReverse: boolean;
}

const CONTROL = new Set(['fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse']);
const all = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Reads Neutron's list parameters: filters (repeated keys = OR), fields, sort_key/sort_dir, limit/marker. */
export function parseListQuery(query: Query, filterable: ReadonlySet<string>): ListQuery {
  const filters = new Map<string, string[]>();
  const bad: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (CONTROL.has(key)) continue;
    if (!filterable.has(key)) bad.push(key);
    else filters.set(key, all(value));
  }
  if (bad.length) throw new NeutronError(400, 'HTTPBadRequest', `[${bad.map((b) => `'${b}'`).join(', ')}] is invalid attribute for filtering`);

  const keys = all(query.sort_key);
  const dirs = all(query.sort_dir);
  if (dirs.length && keys.length !== dirs.length) throw new NeutronError(400, 'HTTPBadRequest', 'The number of sort_keys and sort_dirs must be same');
  for (const d of dirs) if (d !== 'asc' && d !== 'desc') throw new NeutronError(400, 'HTTPBadRequest', `${d} is invalid value for sort_dir, valid value is 'asc' and 'desc'`);
  // The tag filters are no attributes to sort by (Zed refuses them as sort keys).
  const badKeys = keys.filter((k) => !filterable.has(k) || isTagFilter(k));
  if (badKeys.length) throw new NeutronError(400, 'HTTPBadRequest', `[${badKeys.map((b) => `'${b}'`).join(', ')}] is invalid attribute for sort_keys`);

  const limitText = all(query.limit)[0];
  let limit: number | null = null;
  if (limitText !== undefined) {
    limit = Number(limitText);
    if (!/^\d+$/.test(limitText)) throw new NeutronError(400, 'BadRequest', `Bad limit request: Limit must be an integer 0 or greater and not '${limitText}'.`);
    if (limit === 0) limit = null;
  }
  const fields = all(query.fields).flatMap((f) => f.split(',')).filter(Boolean);
  return {
    filters,
    fields: fields.length ? fields : null,
    sorts: keys.map((k, i) => [k, (dirs[i] ?? 'asc') as 'asc' | 'desc']),
    limit,
    marker: all(query.marker)[0] ?? null,
    pageReverse: /^true$/i.test(all(query.page_reverse)[0] ?? ''),
  };
}

function toBool(v: string): boolean {
  if (/^(true|1|yes|on)$/i.test(v)) return true;
  if (/^(false|0|no|off)$/i.test(v)) return false;
  throw invalidInput(`'${v}' cannot be converted to boolean`);
}

/** Does one attribute value match one filter value (Neutron's comparison rules, roughly)? */
function matches(actual: unknown, wanted: string): boolean {
  if (typeof actual === 'boolean') return actual === toBool(wanted);
  if (typeof actual === 'number') return String(actual) === wanted;
  if (actual === null || actual === undefined) return wanted === '' || wanted === 'None';
  if (Array.isArray(actual)) {
    const eq = wanted.indexOf('=');
    if (eq > 0 && actual.some((x) => x && typeof x === 'object')) {
      const [k, v] = [wanted.slice(0, eq), wanted.slice(eq + 1)];
      return actual.some((x) => x && typeof x === 'object' && String((x as Record<string, unknown>)[k]) === v);
    }
    return actual.some((x) => String(x) === wanted);
  }
  return String(actual) === wanted;
}

/** Filters on attributes: any of a key's values matches (OR); the tag filters have their set semantics (libs/domain tags/filters). */
export function matchesFilters(item: Record<string, unknown>, filters: Map<string, string[]>): boolean {
  for (const [key, wanted] of filters) {
    if (isTagFilter(key)) {
      if (!matchesTagFilter(key, (item.tags as string[] | undefined) ?? [], wanted)) return false;
      continue;
    }
    if (!wanted.some((w) => matches(item[key], w))) return false;
  }
  return true;
}

export function compareBy(sorts: Array<[string, 'asc' | 'desc']>) {
  return (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    for (const [key, dir] of sorts) {
      const x = a[key] as any;
      const y = b[key] as any;
      const c = x === y ? 0 : x === null || x === undefined ? -1 : y === null || y === undefined ? 1 : x < y ? -1 : 1;
      if (c) return dir === 'asc' ? c : -c;
    }
    return 0;
  };
}

export function selectFields(item: Record<string, unknown>, fields: string[] | null): Record<string, unknown> {
  if (!fields) return item;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in item) out[f] = item[f];
  return out;
}
