import type { EntityManager, DataSource } from 'typeorm';
import type { EventStore, Follower, StoredEvent } from '@neutrino/events';
import type { Logger, Metrics } from '@neutrino/observability';
import { ProjectionCheckpoint } from './checkpoint.entity';
import { SeqWaiters } from './seq-waiters';

/** What a service plugs into the projection runner: how events change its tables. */
export interface ProjectionHandler {
  readonly name: string;
  /** Applies a batch inside the projection's transaction. Events it does not care about are ignored. */
  apply(manager: EntityManager, events: StoredEvent[]): Promise<void>;
  /** Called after the transaction committed (e.g. to update an in-memory cache). */
  committed?(events: StoredEvent[]): void;
  /** Deletes every row the projection owns (rebuild). */
  reset(manager: EntityManager): Promise<void>;
  /** Called after the rows were replaced by a snapshot's (e.g. to reload an in-memory cache). */
  restored?(manager: EntityManager): Promise<void>;
}

/** A projection's snapshot: the rows of every table of its database, by table. */
export type ProjectionSnapshot = Record<string, Array<Record<string, unknown>>>;

const RESTORE_CHUNK = 200;

export interface ProjectionOptions {
  filter?: string;
  /** Save a snapshot (rows + checkpoint) to the object store this often (0 = only on saveSnapshot()). */
  snapshotEveryMs?: number;
  logger?: Logger;
  metrics?: Metrics;
}

/**
 * Keeps one read model in step with the log: follows the stream from the
 * stored checkpoint, applies each batch and moves the checkpoint in one
 * transaction, and lets writers wait until their own events are applied.
 */
export class Projection {
  private follower?: Follower;
  private lagTimer?: NodeJS.Timeout;
  private snapshotTimer?: NodeJS.Timeout;
  private savedSeq = -1;
  /** Applies and snapshot reads share the database's one connection: they run one after the other. */
  private dbTail: Promise<unknown> = Promise.resolve();
  /** Sequence of the snapshot the last start restored (0 = none: it started from its own checkpoint or from the log). */
  restoredFrom = 0;
  private appliedSeq = 0;
  private readonly waiters = new SeqWaiters();

  constructor(
    private readonly store: EventStore,
    private readonly ds: DataSource,
    private readonly handler: ProjectionHandler,
    private readonly opts: ProjectionOptions = {},
  ) {}

  get applied(): number {
    return this.appliedSeq;
  }

  get snapshotName(): string {
    return `projection.${this.handler.name}`;
  }

  /** Follows the log from the checkpoint; an empty database is first filled from the latest snapshot, if any. */
  async start(): Promise<void> {
    this.appliedSeq = await this.loadCheckpoint();
    // A newer snapshot than the own checkpoint (an empty database, or one that was stopped for long) is the quicker start.
    const snap = (await this.store.listSnapshots()).find((s) => s.name === this.snapshotName);
    if (snap && snap.seq > this.appliedSeq) this.appliedSeq = await this.restoreSnapshot();
    // Older than what the stream still holds: the replay reads the archive, then the stream.
    if (this.appliedSeq < (await this.store.archivedSeq())) await this.replayFrom(this.appliedSeq + 1);
    this.savedSeq = Math.max(this.savedSeq, this.restoredFrom || -1);
    const every = this.opts.snapshotEveryMs ?? 0;
    if (every > 0 && !this.snapshotTimer) {
      this.snapshotTimer = setInterval(() => {
        this.saveSnapshot().catch((err) => this.opts.logger?.warn({ err }, `snapshot of projection ${this.handler.name} failed`));
      }, every);
      this.snapshotTimer.unref();
    }
    this.follower = this.store.follow({ fromSeq: this.appliedSeq + 1, filter: this.opts.filter }, (batch) =>
      this.applyBatch(batch),
    );
    const metrics = this.opts.metrics;
    if (metrics && !this.lagTimer) {
      this.lagTimer = setInterval(() => {
        this.store
          .lastSeq()
          .then((head) => metrics.projectionLag.set({ projection: this.handler.name }, Math.max(0, head - this.appliedSeq)))
          .catch(() => undefined);
      }, 2000).unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.lagTimer);
    this.lagTimer = undefined;
    clearInterval(this.snapshotTimer);
    this.snapshotTimer = undefined;
    await this.follower?.stop();
    this.follower = undefined;
    this.waiters.rejectAll(new Error(`projection ${this.handler.name} stopped`));
  }

  /** Resolves once every event up to seq is applied. */
  waitFor(seq: number, timeoutMs = 10_000): Promise<void> {
    if (seq <= this.appliedSeq) return Promise.resolve();
    return this.waiters.wait(seq, timeoutMs, () => `projection ${this.handler.name} did not reach ${seq} (at ${this.appliedSeq})`);
  }

  /** Resolves once the projection has applied everything that is in the log now. */
  async catchUp(timeoutMs = 30_000): Promise<void> {
    await this.waitFor(await this.store.lastSeq(), timeoutMs);
  }

  /** Drops every row and the checkpoint, then replays the whole log (archive and stream). */
  async rebuild(onProgress?: (seq: number, head: number) => void): Promise<number> {
    await this.stop();
    await this.ds.transaction(async (m) => {
      await this.handler.reset(m);
      await m.delete(ProjectionCheckpoint, { name: this.handler.name });
    });
    this.appliedSeq = 0;
    return this.replayFrom(1, onProgress);
  }

  /** Applies, in batches, every event from fromSeq to the head (the archived part too). */
  private async replayFrom(fromSeq: number, onProgress?: (seq: number, head: number) => void): Promise<number> {
    const head = await this.store.lastSeq();
    let batch: StoredEvent[] = [];
    const flush = async () => {
      if (batch.length) await this.applyBatch(batch);
      batch = [];
      onProgress?.(this.appliedSeq, head);
    };
    await this.store.replay({ fromSeq, filter: this.opts.filter, untilSeq: head }, async (e) => {
      batch.push(e);
      if (batch.length >= 500) await flush();
    });
    await flush();
    return this.appliedSeq;
  }

  /**
   * Saves every row of the projection's tables with the checkpoint they were
   * read with (one read transaction), unless nothing changed since the last
   * save. Resolves to the sequence saved.
   */
  async saveSnapshot(): Promise<number> {
    const { seq, tables } = await this.serially(() => this.ds.transaction(async (m) => {
      const row = await m.findOneBy(ProjectionCheckpoint, { name: this.handler.name });
      const at = row?.seq ?? 0;
      if (at === this.savedSeq) return { seq: at, tables: null };
      const out: ProjectionSnapshot = {};
      for (const meta of this.ds.entityMetadatas) {
        if (meta.target === ProjectionCheckpoint) continue;
        out[meta.tableName] = (await m.createQueryBuilder().select('*').from(meta.tableName, 't').getRawMany()) as Array<Record<string, unknown>>;
      }
      return { seq: at, tables: out };
    }));
    if (tables) {
      await this.store.saveSnapshot(this.snapshotName, { seq, state: tables });
      this.savedSeq = seq;
    }
    return seq;
  }

  /** Replaces the rows with the latest snapshot's (when there is one); resolves to its sequence (0 = none). */
  private async restoreSnapshot(): Promise<number> {
    const snap = await this.store.loadSnapshot<ProjectionSnapshot>(this.snapshotName);
    if (!snap || snap.seq === 0) return 0;
    await this.ds.transaction(async (m) => {
      await this.handler.reset(m);
      for (const [table, rows] of Object.entries(snap.state)) {
        for (let i = 0; i < rows.length; i += RESTORE_CHUNK) {
          await m.createQueryBuilder().insert().into(table).values(rows.slice(i, i + RESTORE_CHUNK)).execute();
        }
      }
      await m.upsert(ProjectionCheckpoint, { name: this.handler.name, seq: snap.seq }, ['name']);
    });
    await this.handler.restored?.(this.ds.manager);
    this.restoredFrom = snap.seq;
    this.opts.logger?.info({ projection: this.handler.name, seq: snap.seq }, 'projection restored from its snapshot');
    return snap.seq;
  }

  private async loadCheckpoint(): Promise<number> {
    const row = await this.ds.getRepository(ProjectionCheckpoint).findOneBy({ name: this.handler.name });
    return row?.seq ?? 0;
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.dbTail.then(fn, fn);
    this.dbTail = run.catch(() => undefined);
    return run;
  }

  private applyBatch(batch: StoredEvent[]): Promise<void> {
    return this.serially(() => this.applyNow(batch));
  }

  private async applyNow(batch: StoredEvent[]): Promise<void> {
    const fresh = batch.filter((e) => e.seq > this.appliedSeq);
    if (!fresh.length) return;
    const last = fresh[fresh.length - 1].seq;
    await this.ds.transaction(async (m) => {
      await this.handler.apply(m, fresh);
      await m.upsert(ProjectionCheckpoint, { name: this.handler.name, seq: last }, ['name']);
    });
    this.handler.committed?.(fresh);
    this.appliedSeq = last;
    this.opts.metrics?.projectionSeq.set({ projection: this.handler.name }, last);
    this.waiters.release(last);
  }
}
