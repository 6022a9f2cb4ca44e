import type { StoredEvent } from './types';

export type Upcaster = (data: any) => any;

/**
 * Schema migrations for event data: an upcaster lifts `type` from schema N to
 * N+1. Read paths apply them repeatedly until no upcaster matches, so every
 * consumer sees the latest schema.
 */
export class UpcasterRegistry {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  register(type: string, fromSchema: number, fn: Upcaster): void {
    if (!Number.isInteger(fromSchema) || fromSchema < 1) throw new Error(`invalid fromSchema ${fromSchema}`);
    let steps = this.byType.get(type);
    if (!steps) this.byType.set(type, (steps = new Map()));
    if (steps.has(fromSchema)) throw new Error(`upcaster for ${type} v${fromSchema} already registered`);
    steps.set(fromSchema, fn);
  }

  /** Returns the event lifted to the latest schema (the same object when nothing applies). */
  apply<E extends StoredEvent>(ev: E): E {
    const steps = this.byType.get(ev.type);
    if (!steps) return ev;
    let schema = ev.schema;
    let data = ev.data;
    for (let fn = steps.get(schema); fn; fn = steps.get(schema)) {
      data = fn(data);
      schema++;
    }
    return schema === ev.schema ? ev : { ...ev, schema, data };
  }
}
