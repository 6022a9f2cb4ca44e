import { backoff, sleep } from './backoff';
import type { StoreContext } from './context';
import { OrderedReader } from './ordered-reader';
import type { Follower, StoredEvent } from './types';

export interface FollowOptions {
  /** First stream sequence to deliver: the caller's checkpoint + 1. */
  fromSeq: number;
  /** Subject filter, e.g. 'evt.network.*' (default: every event). */
  filter?: string;
  /** Largest batch handed to onBatch (default 5000). */
  maxBatch?: number;
  /** Called when onBatch throws; the batch is retried after a backoff. */
  onError?: (err: unknown, batch: StoredEvent[]) => void;
}

export type BatchHandler = (events: StoredEvent[]) => Promise<void> | void;

/**
 * Live tail of the stream. Events that arrive together (one socket read, or
 * while the previous onBatch was running) are handed over as one batch; a
 * new batch is only handed over after the previous promise settled. A batch
 * whose handler throws is retried (with whatever arrived since) after a
 * backoff, so lastDelivered() only ever moves over handled events.
 */
export class LiveFollower implements Follower {
  private readonly reader: OrderedReader;
  private queue: StoredEvent[] = [];
  private last: number;
  private busy = false;
  private scheduled = false;
  private stopped = false;
  private pumping: Promise<void> = Promise.resolve();
  private readonly maxBatch: number;
  private readonly highWater: number;

  constructor(
    ctx: StoreContext,
    private readonly opts: FollowOptions,
    private readonly onBatch: BatchHandler,
  ) {
    if (!Number.isInteger(opts.fromSeq) || opts.fromSeq < 1) throw new Error(`follow: fromSeq must be an integer >= 1, got ${opts.fromSeq}`);
    this.last = opts.fromSeq - 1;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 5_000);
    this.highWater = Math.max(2 * this.maxBatch, 10_000);
    this.reader = new OrderedReader(ctx, {
      startSeq: opts.fromSeq,
      filter: opts.filter,
      onEvent: (ev) => this.enqueue(ev),
    });
    this.reader.start().catch(() => undefined);
  }

  lastDelivered(): number {
    return this.last;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.reader.close();
    await this.pumping;
  }

  private enqueue(ev: StoredEvent): void {
    this.queue.push(ev);
    if (this.queue.length >= this.highWater) this.reader.hold();
    if (!this.scheduled && !this.busy) {
      this.scheduled = true;
      // A microtask runs after the whole socket read was parsed: a burst becomes one batch.
      queueMicrotask(() => {
        this.scheduled = false;
        this.pumping = this.pump();
      });
    }
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    let failures = 0;
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const batch = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
        this.queue = batch === this.queue ? [] : this.queue.slice(batch.length);
        if (this.queue.length < this.highWater / 2) this.reader.release();
        try {
          await this.onBatch(batch);
          this.last = batch[batch.length - 1].seq;
          failures = 0;
        } catch (err) {
          this.queue = batch.concat(this.queue);
          failures++;
          if (this.opts.onError) this.opts.onError(err, batch);
          else console.warn(`follow: onBatch failed (attempt ${failures}), retrying`, err);
          await sleep(backoff(failures, 100, 5_000));
        }
      }
    } finally {
      this.busy = false;
    }
  }
}
