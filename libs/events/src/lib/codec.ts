import { randomUUID } from 'node:crypto';
import type { EventEnvelope, NewEvent, StoredEvent } from './types';

const TOKEN = /^[^\s.*>]+$/;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Checks that an aggregate maps to a valid three-token subject. */
export function assertAggregate(aggregate: { type: string; id: string } | undefined): void {
  if (!aggregate || !TOKEN.test(String(aggregate.type)) || !TOKEN.test(String(aggregate.id))) {
    throw new Error(`invalid aggregate ${JSON.stringify(aggregate)}: type and id must be non-empty subject tokens`);
  }
}

/** Fills id/at/schema defaults. */
export function toEnvelope<D>(e: NewEvent<D>): EventEnvelope<D> {
  return {
    id: e.id ?? randomUUID(),
    type: e.type,
    schema: e.schema ?? 1,
    aggregate: { type: e.aggregate.type, id: e.aggregate.id },
    at: e.at ?? new Date().toISOString(),
    actor: e.actor,
    request_id: e.request_id ?? null,
    causation_id: e.causation_id ?? null,
    data: e.data,
  };
}

export function encodeEnvelope(env: EventEnvelope): Uint8Array {
  return enc.encode(JSON.stringify(env));
}

/** Parses a message body into a StoredEvent at `seq` on `subject`. */
export function decodeStored(data: Uint8Array, seq: number, subject: string): StoredEvent {
  const body = JSON.parse(dec.decode(data)) as EventEnvelope;
  if (!body || typeof body !== 'object' || typeof body.type !== 'string') {
    throw new Error(`message ${seq} on ${subject} is not an event envelope`);
  }
  if (typeof body.schema !== 'number') body.schema = 1;
  return Object.assign(body, { seq, subject }) as StoredEvent;
}

/** Throws unless `filter` is a valid NATS subject filter ('>' only as the last token). */
export function assertFilter(filter: string | undefined): void {
  if (filter === undefined) return;
  const tokens = filter.split('.');
  const ok = tokens.every((t, i) => t.length > 0 && !/\s/.test(t) && (t === '>' ? i === tokens.length - 1 : !/[*>]/.test(t) || t === '*'));
  if (!ok) throw new Error(`invalid subject filter ${JSON.stringify(filter)}`);
}
