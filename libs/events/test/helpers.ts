import { randomUUID } from 'node:crypto';
import { EventStore, type NewEvent } from '../src';
import { startNats, type NatsServer } from '@neutrino/testing';

export const actor = { user_id: 'u-1', project_id: 'p-1', roles: ['member'] };

/** A NewEvent for aggregate `type`/`id`. */
export function ev<D>(aggType: string, id: string, type: string, data: D, extra: Partial<NewEvent<D>> = {}): NewEvent<D> {
  return { type, aggregate: { type: aggType, id }, actor, request_id: 'req-1', causation_id: null, data, ...extra };
}

export const newId = (): string => randomUUID();

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** A promise with its resolve function exposed. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A real nats-server and an EventStore on it for the whole describe block:
 * started before its tests, closed and stopped after them. `use` receives both.
 */
export function withNatsStore(use: (s: { server: NatsServer; store: EventStore }) => void): void {
  let server: NatsServer | undefined;
  let store: EventStore | undefined;
  beforeAll(async () => {
    server = await startNats();
    store = await EventStore.connect({ servers: server.url });
    use({ server, store });
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });
}
