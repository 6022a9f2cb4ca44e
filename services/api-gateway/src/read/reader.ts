import { isAdmin, type Actor } from '@neutrino/domain';

import type { RequestContext } from '../http/request-context';
import type { KindSpec } from './kinds';
import { listPage } from './list-page';
import { matchesFilters, parseListQuery, selectFields, type Query } from './list-query';
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

  list(spec: KindSpec, ctx: RequestContext, query: Query, rawQuery: string): Record<string, unknown> {
    const q = parseListQuery(query, spec.filterable);
    if (!isAdmin(ctx.actor) && [...q.filters.keys()].some((k) => ADMIN_ONLY.test(k))) {
      return { [spec.plural]: [] }; // a member cannot see these attributes, so nothing matches them
    }
    const items: Array<Record<string, unknown>> = [];
    // Filters match the stored attributes (the API names them the same), so only matches are presented.
    for (const { value } of this.model.table(spec.kind).values()) {
      if (matchesFilters(value as unknown as Record<string, unknown>, q.filters) && spec.visible(value, ctx.actor, this.model)) {
        items.push(spec.present(value, ctx.actor, this.model));
      }
    }
    const page = listPage(items, { ...q, filters: new Map() }, { collection: spec.plural, notFound: spec.notFound, selfUrl: `${ctx.baseUrl}${spec.path}`, rawQuery });
    const body: Record<string, unknown> = { [spec.plural]: page.items };
    if (page.links) body[`${spec.plural}_links`] = page.links;
    return body;
  }

  show(spec: KindSpec, ctx: RequestContext, id: string, query: Query): Record<string, unknown> {
    const v = this.visible<unknown>(spec, id, ctx.actor);
    const fields = ([] as string[]).concat(query.fields ?? []).flatMap((f) => f.split(',')).filter(Boolean);
    return { [spec.singular]: selectFields(spec.present(v.value, ctx.actor, this.model), fields.length ? fields : null) };
  }
}
