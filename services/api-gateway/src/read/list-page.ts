import { NeutronError } from '@neutrino/domain';
import { compareBy, matchesFilters, selectFields, type ListQuery } from './list-query';

export interface Link {
  rel: 'next' | 'previous';
  href: string;
}

/**
 * Filters, sorts and pages presented resources the way Neutron does: the
 * marker is the id of the last item of the previous page, and `*_links`
 * point at the next and previous pages.
 */
export function listPage(
  items: Array<Record<string, unknown>>,
  q: ListQuery,
  opts: { collection: string; notFound: (id: string) => NeutronError; selfUrl: string; rawQuery: string },
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
  const links: Link[] = [];
  if (page.length) {
    const base = opts.rawQuery.split('&').filter((p) => p && !/^(marker|page_reverse)=/.test(p)).join('&');
    const url = (marker: string, reverse: boolean) =>
      `${opts.selfUrl}?${base}${base ? '&' : ''}marker=${marker}${reverse ? '&page_reverse=True' : ''}`;
    const last = page[page.length - 1].id as string;
    const first = page[0].id as string;
    if (q.pageReverse ? q.marker !== null : more) links.push({ rel: 'next', href: url(last, false) });
    if (q.pageReverse ? more : q.marker !== null || page.length === q.limit) links.push({ rel: 'previous', href: url(first, true) });
  }
  return { items: page.map((r) => selectFields(r, q.fields)), links };
}
