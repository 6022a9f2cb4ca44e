import type { Actor } from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import type { KindSpec } from './kinds';
import { listPage } from './list-page';
import { parseListQuery, selectFields, type Query } from './list-query';
import type { ReadModel } from './read-model';

/** GET on collections and members: visibility, presentation, filters, fields, paging. */
export class Reader {
  constructor(readonly model: ReadModel) {}

  /** The resource if the caller may see it, else the kind's 404. */
  visible<T>(spec: KindSpec, id: string, actor: Actor): { value: T; seq: number } {
    const v = this.model.get(spec.kind, id);
    if (!v || !spec.visible(v.value, actor, this.model)) throw spec.notFound(id);
    return v as { value: T; seq: number };
  }

  list(spec: KindSpec, ctx: RequestContext, query: Query, rawQuery: string): Record<string, unknown> {
    const q = parseListQuery(query, spec.filterable);
    const items: Array<Record<string, unknown>> = [];
    for (const { value } of this.model.table(spec.kind).values()) {
      if (spec.visible(value, ctx.actor, this.model)) items.push(spec.present(value, ctx.actor));
    }
    const page = listPage(items, q, { collection: spec.plural, notFound: spec.notFound, selfUrl: `${ctx.baseUrl}${spec.path}`, rawQuery });
    const body: Record<string, unknown> = { [spec.plural]: page.items };
    if (page.links) body[`${spec.plural}_links`] = page.links;
    return body;
  }

  show(spec: KindSpec, ctx: RequestContext, id: string, query: Query): Record<string, unknown> {
    const v = this.visible<unknown>(spec, id, ctx.actor);
    const fields = ([] as string[]).concat(query.fields ?? []).flatMap((f) => f.split(',')).filter(Boolean);
    return { [spec.singular]: selectFields(spec.present(v.value, ctx.actor), fields.length ? fields : null) };
  }
}
