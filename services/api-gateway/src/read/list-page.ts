import { NeutronError } from '@neutrino/domain';
import { compareBy, matchesFilters, selectFields, type ListQuery } from './list-query';
import type { SortedIds } from './sorted-ids';

export interface Link {
  rel: 'next' | 'previous';
  href: string;
}

export interface PageOptions {
  collection: string;
  notFound: (id: string) => NeutronError;
  selfUrl: string;
  rawQuery: string;
}

/**
 * Filters, sorts and pages presented resources the way Neutron does: the
 * marker is the id of the last item of the previous page, and `*_links`
 * point at the next and previous pages. Sorts the whole list: what the
 * sorted index (indexedPage) cannot answer falls back to this.
 */
export function listPage(
  items: Array<Record<string, unknown>>,
  q: ListQuery,
  opts: PageOptions,
): { items: Array<Record<string, unknown>>; links: Link[] | null } {
  let rows = items.filter((i) => matchesFilters(i, q.filters));
  const sorts = q.sorts.length ? [...q.sorts] : q.limit !== null ? [] : null;
  if (sorts) {
    if (!sorts.some(([k]) => k === 'id')) sorts.push(['id', sorts[0]?.[1] ?? 'asc']);
    rows.sort(compareBy(sorts));
  }
  if (q.limit === null) return { items: rows.map((r) => selectFields(r, q.fields)), links: null };

  if (q.pageReverse) rows = rows.reverse();
  let start = 0;
  if (q.marker) {
    const at = rows.findIndex((r) => r.id === q.marker);
    if (at < 0) throw opts.notFound(q.marker);
    start = at + 1;
  }
  let page = rows.slice(start, start + q.limit);
  const more = start + q.limit < rows.length;
  if (q.pageReverse) page = page.reverse();
  return { items: page.map((r) => selectFields(r, q.fields)), links: pageLinks(page.map((r) => r.id as string), more, q as ListQuery & { limit: number }, opts) };
}

/** Can the id index answer this query (a page whose order is decided by the id alone)? */
export function pagedById(q: ListQuery): 'asc' | 'desc' | null {
  if (q.limit === null) return null;
  if (!q.sorts.length) return 'asc';
  return q.sorts[0][0] === 'id' ? q.sorts[0][1] : null;
}

/**
 * One page in id order from the table's sorted ids: the marker is found by
 * binary search and the walk stops one item after the page, so a page costs
 * the same wherever it sits in the table (plus the items that `keep`
 * refuses on the way: filters and visibility are tested as it walks).
 * Same answers as listPage for the queries pagedById accepts.
 */
export function indexedPage<T>(
  ids: SortedIds,
  get: (id: string) => T | undefined,
  keep: (value: T) => boolean,
  q: ListQuery & { limit: number },
  dir: 'asc' | 'desc',
  notFound: (id: string) => NeutronError,
): { rows: T[]; more: boolean } {
  const forward = (dir === 'asc') !== q.pageReverse;
  const step = forward ? 1 : -1;
  let i = forward ? 0 : ids.size - 1;
  if (q.marker) {
    const at = ids.indexOf(q.marker);
    const marked = at >= 0 ? get(q.marker) : undefined;
    if (marked === undefined || !keep(marked)) throw notFound(q.marker);
    i = at + step;
  }
  const rows: T[] = [];
  let more = false;
  for (; i >= 0 && i < ids.size; i += step) {
    const value = get(ids.at(i));
    if (value === undefined || !keep(value)) continue;
    if (rows.length === q.limit) {
      more = true;
      break;
    }
    rows.push(value);
  }
  if (q.pageReverse) rows.reverse();
  return { rows, more };
}

/** Neutron's `next`/`previous` links of a page (ids in the order shown). */
export function pageLinks(ids: string[], more: boolean, q: ListQuery & { limit: number }, opts: PageOptions): Link[] {
  const links: Link[] = [];
  if (!ids.length) return links;
  const base = opts.rawQuery.split('&').filter((p) => p && !/^(marker|page_reverse)=/.test(p)).join('&');
  const url = (marker: string, reverse: boolean) =>
    `${opts.selfUrl}?${base}${base ? '&' : ''}marker=${marker}${reverse ? '&page_reverse=True' : ''}`;
  const last = ids[ids.length - 1];
  const first = ids[0];
  if (q.pageReverse ? q.marker !== null : more) links.push({ rel: 'next', href: url(last, false) });
  if (q.pageReverse ? more : q.marker !== null || ids.length === q.limit) links.push({ rel: 'previous', href: url(first, true) });
  return links;
}
