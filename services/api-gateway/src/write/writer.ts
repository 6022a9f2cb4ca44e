import { ConcurrencyError, type EventStore, type StoredEvent } from '@neutrino/events';
import type { Metrics } from '@neutrino/observability';
import type { Projection } from '@neutrino/projection';
import type { RequestContext } from '../http/request-context';

export interface PendingEvent {
  type: string;
  data: unknown;
}

const MAX_ATTEMPTS = 5;

/**
 * Appends a command's events to its aggregate's subject with optimistic
 * concurrency, then waits until the gateway's own projection has applied
 * them, so the caller reads its own write.
 */
export class Writer {
  constructor(
    private readonly store: EventStore,
    private readonly projection: Projection,
    private readonly metrics?: Metrics,
  ) {}

  async append(
    ctx: RequestContext,
    aggregate: { type: string; id: string },
    events: PendingEvent[],
    expectedSubjectSeq: number,
  ): Promise<StoredEvent[]> {
    const t0 = process.hrtime.bigint();
    const stored = await this.store.append(
      events.map((e) => ({
        type: e.type,
        aggregate,
        actor: ctx.actor,
        request_id: ctx.requestId,
        causation_id: null,
        data: e.data,
      })),
      { expectedSubjectSeq },
    );
    this.metrics?.appendLatency.observe({ aggregate: aggregate.type }, Number(process.hrtime.bigint() - t0) / 1e9);
    await this.projection.waitFor(stored[stored.length - 1].seq);
    return stored;
  }

  /** Brings the projection up to the stream's head. */
  async catchUp(): Promise<void> {
    await this.projection.catchUp();
  }

  /**
   * Runs a command; when its append lost a race (another writer appended to the
   * same subject first) the projection is caught up and the command decided again.
   */
  async retrying<T>(command: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await command();
      } catch (err) {
        if (!(err instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw err;
        await this.projection.catchUp();
      }
    }
  }
}
