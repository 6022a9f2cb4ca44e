import type { EventStore } from './event-store';
import type { Follower, StoredEvent } from './types';

/** In-memory state kept from the log that can be saved and restored (an ipam ledger, an agent's host view). */
export interface SnapshotState<S> {
  /** The snapshot's object name (one per state; replicas of a service share it). */
  readonly snapshotName: string;
  /** Subject filter of the events the state reads (default: every event). */
  readonly filter?: string;
  apply(e: StoredEvent): void;
  /** A serialisable copy of the state (taken synchronously, so it matches the position). */
  snapshot(): S;
  /** Replaces the state with a snapshot's. */
  restore(state: S): void;
}

export interface SnapshottedOptions {
  /** Save a snapshot this often (0 = only when saveSnapshot() is called). */
  everyMs?: number;
  /** Where a failed periodic save is reported. */
  warn?: (message: string, err?: unknown) => void;
}

export interface StartReport {
  /** Sequence of the snapshot the start restored (0 = none). */
  snapshotSeq: number;
  /** Events replayed after it. */
  replayed: number;
}

/**
 * Keeps a SnapshotState current: starts from its latest snapshot, replays
 * only the tail after the snapshot's sequence, follows the live log, and
 * saves a new snapshot periodically. The position saved is the last sequence
 * delivered in stream order, so a restore followed by a replay from position+1
 * never misses an event (applying an event twice must be a no-op for states
 * that also apply events out of band, e.g. their own appends).
 */
export class SnapshottedState<S> {
  private follower?: Follower;
  private timer?: NodeJS.Timeout;
  private position = 0;
  private savedSeq = -1;
  private saving?: Promise<number>;

  constructor(
    private readonly store: EventStore,
    private readonly state: SnapshotState<S>,
    private readonly opts: SnapshottedOptions = {},
  ) {}

  /** The last stream sequence the state reflects in order. */
  get seq(): number {
    return this.position;
  }

  async start(): Promise<StartReport> {
    const snap = await this.store.loadSnapshot<S>(this.state.snapshotName);
    let from = 1;
    if (snap) {
      this.state.restore(snap.state);
      from = snap.seq + 1;
      this.savedSeq = snap.seq;
    }
    const head = await this.store.lastSeq();
    let replayed = 0;
    await this.store.replay({ fromSeq: from, filter: this.state.filter, untilSeq: head }, (e) => {
      this.state.apply(e);
      replayed++;
    });
    this.position = Math.max(from - 1, head);
    this.follower = this.store.follow({ fromSeq: this.position + 1, filter: this.state.filter }, (batch) => {
      for (const e of batch) this.state.apply(e);
      if (batch.length) this.position = Math.max(this.position, batch[batch.length - 1].seq);
    });
    const every = this.opts.everyMs ?? 0;
    if (every > 0) {
      const warn = this.opts.warn ?? ((m: string, e?: unknown) => console.warn(m, e ?? ''));
      this.timer = setInterval(() => void this.saveSnapshot().catch((err) => warn(`snapshot ${this.state.snapshotName} failed`, err)), every);
      this.timer.unref();
    }
    return { snapshotSeq: snap?.seq ?? 0, replayed };
  }

  /**
   * Saves the state at its current position (nothing when unchanged since the
   * last save); resolves to the position saved. A state whose events are rare
   * (networks among ports) would otherwise keep an old position and hold the
   * log's trimming back: when the stream holds none of its events after its
   * position, the position moves to the head.
   */
  saveSnapshot(): Promise<number> {
    if (this.saving) return this.saving;
    this.saving = this.quietUpTo()
      .then(async (quiet) => {
        const seq = Math.max(this.position, quiet);
        if (seq === this.savedSeq) return seq;
        const state = this.state.snapshot();
        await this.store.saveSnapshot(this.state.snapshotName, { seq, state });
        this.savedSeq = seq;
        return seq;
      })
      .finally(() => (this.saving = undefined));
    return this.saving;
  }

  /** The last sequence up to which the stream holds no event of the state's filter after its position. */
  private async quietUpTo(): Promise<number> {
    const from = this.position;
    const head = await this.store.lastSeq();
    if (head <= from) return from;
    const next = await this.store.nextOnSubject(this.state.filter ?? '>', from);
    return next ? next.seq - 1 : head;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.saving?.catch(() => undefined);
    await this.follower?.stop();
    this.follower = undefined;
  }
}
