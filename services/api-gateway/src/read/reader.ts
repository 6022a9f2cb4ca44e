import { StreamableFile } from '@nestjs/common';
import { isAdmin, type Actor } from '@neutrino/domain';

import type { RequestContext } from '../http/request-context';
import type { KindSpec } from './kinds';
import { indexedPage, listPage, pagedById, pageLinks, type Link } from './list-page';
import { matchesFilters, parseListQuery, selectFields, type ListQuery, type Query } from './list-query';
import { presentInChunks, selectInChunks, streamedList } from './presenting';
import type { ReadModel } from './read-model';

const ADMIN_ONLY = /^(provider:|binding:(host_id|profile|vif_type|vif_details)$)/;

/** GET on collections and members: visibility, presentation, filters, fields, paging. */
export class Reader {
  constructor(readonly model: ReadModel) {}

  /** The resource if the caller may see it, else the kind's 404. */
  visible<T>(spec: KindSpec, id: string, actor: Actor): { value: T; seq: number } {
    const v = this.model.get(spec.kind, id);
    if (!v) throw spec.notFound(id);
    if (!spec.visible(v.value, actor, this.model)) throw (spec.hidden ?? spec.notFound)(id);
    return v as { value: T; seq: number };
  }

  /**
   * A collection. Pages in id order come from the table's sorted ids; other
   * sort keys sort the matching items. Long answers are selected, presented
   * and serialized in chunks that give the event loop back between them, and
   * streamed, so one client's full list does not hold up everyone else.
   */
  async list(spec: KindSpec, ctx: RequestContext, query: Query, rawQuery: string): Promise<Record<string, unknown> | StreamableFile> {
    const q = parseListQuery(query, spec.filterable);
    if (!isAdmin(ctx.actor) && [...q.filters.keys()].some((k) => ADMIN_ONLY.test(k))) {
      return { [spec.plural]: [] }; // a member cannot see these attributes, so nothing matches them
    }
    // Filters match the stored attributes (the API names them the same), so only matches are presented;
    // a derived one (a subnet's `shared`) matches the value derived from the stored resource.
    const { stored, derived } = splitFilters(q.filters, spec);
    const keep = (value: unknown) =>
      matchesFilters(value as Record<string, unknown>, stored) &&
      derived.every(([key, wanted, of]) => matchesFilters({ [key]: of(value, this.model) }, new Map([[key, wanted]]))) &&
      spec.visible(value, ctx.actor, this.model);
    const present = (value: unknown) => selectFields(spec.present(value, ctx.actor, this.model), q.fields);
    const opts = { collection: spec.plural, notFound: spec.notFound, selfUrl: `${ctx.baseUrl}${spec.path}`, rawQuery };

    const byId = pagedById(q);
    if (byId) {
      const paged = q as ListQuery & { limit: number };
      const table = this.model.table(spec.kind);
      const page = indexedPage(this.model.sortedIds(spec.kind), (id) => table.get(id)?.value, keep, paged, byId, spec.notFound);
      const links = pageLinks(page.rows.map((r) => (r as { id: string }).id), page.more, paged, opts);
      return this.answer(spec.plural, page.rows, present, links);
    }
    // A snapshot of the table (references only), so the chunks below see one state of it.
    const values = await selectInChunks([...this.model.table(spec.kind).values()].map((v) => v.value), keep);
    if (q.limit === null && !q.sorts.length) return this.answer(spec.plural, values, present, null);
    // Another sort key: sort what matched (not indexed; the matching items are presented first).
    const items = await presentInChunks(values, (v) => spec.present(v, ctx.actor, this.model));
    const page = listPage(items, { ...q, filters: new Map() }, opts);
    return this.answer(spec.plural, page.items, (i) => i, page.links);
  }

  show(spec: KindSpec, ctx: RequestContext, id: string, query: Query): Record<string, unknown> {
    const v = this.visible<unknown>(spec, id, ctx.actor);
    const fields = ([] as string[]).concat(query.fields ?? []).flatMap((f) => f.split(',')).filter(Boolean);
    return { [spec.singular]: selectFields(spec.present(v.value, ctx.actor, this.model), fields.length ? fields : null) };
  }

  /** A short answer as a plain body; a long one streamed in chunks. */
  private answer<T>(plural: string, rows: T[], present: (row: T) => Record<string, unknown>, links: Link[] | null): Record<string, unknown> | StreamableFile {
    if (streamedList.worth(rows.length)) return streamedList(plural, rows, present, links);
    const body: Record<string, unknown> = { [plural]: rows.map(present) };
    if (links) body[`${plural}_links`] = links;
    return body;
  }
}

/**
 * The query's filters on stored attributes, and those on derived ones (only
 * their first value, as Zed; a bad boolean is refused even when nothing is listed).
 */
function splitFilters(filters: Map<string, string[]>, spec: KindSpec) {
  const stored = new Map<string, string[]>();
  const derived: Array<[string, string[], (value: unknown, model: ReadModel) => unknown]> = [];
  for (const [key, wanted] of filters) {
    const of = spec.derivedFilters?.[key];
    if (!of) stored.set(key, wanted);
    else {
      const first = wanted.slice(0, 1);
      matchesFilters({ [key]: false }, new Map([[key, first]])); // throws Zed's InvalidInput for a value that is no boolean
      derived.push([key, first, of]);
    }
  }
  return { stored, derived };
}
