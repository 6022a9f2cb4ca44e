import { randomUUID } from 'node:crypto';
import { subjectOf, ConcurrencyError, type EventStore, type NewEvent, type StoredEvent } from '@neutrino/events';
import type { AggregateRef, CoreEvent } from '@neutrino/domain';
import type { Metrics } from '@neutrino/observability';
import type { Projection } from '@neutrino/projection';
import type { RequestContext } from '../http/request-context';
import { AppendNotStored, AppendOutcomeUnknown } from './append-outcome';

/** What the writer needs of the event store (an EventStore, or a fake in unit tests). */
export type WriterStore = Pick<EventStore, 'append' | 'findEvent'>;
/** What the writer needs of the gateway's projection. */
export type WriterProjection = Pick<Projection, 'waitFor' | 'catchUp'>;

/**
 * Appends a command's events to its aggregate's subject with optimistic
 * concurrency, then waits until the gateway's own projection has applied
 * them, so the caller reads its own write.
 *
 * A publish that ended without an answer (a timeout, a lost connection) may
 * still have been stored. The writer then finds out: it publishes the same
 * events again — same Nats-Msg-Id, same expected sequence; JetStream's
 * duplicate check comes before the sequence check, so a stored event is
 * acknowledged as a duplicate and a missing one is stored now or refused —
 * and, if that is refused, looks for the first event's id on the subject.
 * Only "provably not stored" lets a caller release what it reserved
 * (AppendNotStored); otherwise it throws AppendOutcomeUnknown.
 */
export class Writer {
  constructor(
    private readonly store: WriterStore,
    private readonly projection: WriterProjection,
    private readonly metrics?: Metrics,
  ) {}

  async append(ctx: RequestContext, aggregate: AggregateRef, events: CoreEvent[], expectedSubjectSeq: number): Promise<StoredEvent[]> {
    const t0 = process.hrtime.bigint();
    const envelopes: NewEvent[] = events.map((e) => ({
      id: randomUUID(),
      type: e.type,
      aggregate,
      actor: ctx.actor,
      request_id: ctx.requestId,
      causation_id: null,
      data: e.data,
    }));
    let stored: StoredEvent[];
    try {
      stored = await this.store.append(envelopes, { expectedSubjectSeq });
    } catch (err) {
      if (err instanceof ConcurrencyError) throw err;
      stored = await this.settle(envelopes, expectedSubjectSeq, err);
    }
    this.metrics?.appendLatency.observe({ aggregate: aggregate.type }, Number(process.hrtime.bigint() - t0) / 1e9);
    await this.projection.waitFor(stored[stored.length - 1].seq);
    return stored;
  }

  /** After a failed publish: the events as stored, or AppendNotStored / AppendOutcomeUnknown. */
  private async settle(envelopes: NewEvent[], expected: number, cause: unknown): Promise<StoredEvent[]> {
    const subject = subjectOf(envelopes[0].aggregate);
    try {
      return await this.store.append(envelopes, { expectedSubjectSeq: expected });
    } catch (again) {
      if (!(again instanceof ConcurrencyError)) throw new AppendOutcomeUnknown(subject, cause);
    }
    // Refused on the sequence: someone else appended after `expected`. Ours is in only if its id is there.
    let found: StoredEvent | null;
    try {
      found = await this.store.findEvent(subject, envelopes[0].id!, expected);
    } catch {
      throw new AppendOutcomeUnknown(subject, cause);
    }
    if (!found) throw new AppendNotStored(subject, cause);
    if (envelopes.length === 1) return [found];
    // A part of a multi-event append stored, then someone else's event: not a clean failure either.
    throw new AppendOutcomeUnknown(subject, cause);
  }

  /** Brings the projection up to the stream's head. */
  async catchUp(): Promise<void> {
    await this.projection.catchUp();
  }
}
