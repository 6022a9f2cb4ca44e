import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { appendEvents, type AppendOptions } from './append';
import { Archive } from './archive';
import { compactLog, type CompactOptions, type CompactReport } from './compaction';
import { assertFilter } from './codec';
import { ConnectionState } from './connection-state';
import type { Resettable, StoreContext } from './context';
import { lastSeqBySubject, nextBySubject } from './direct-get';
import { DurableFollower, type DurableOptions } from './durable';
import { HeartbeatBucket } from './heartbeats';
import { LbaasStatsBucket } from './lbaas-stats';
import { LiveFollower, type BatchHandler, type FollowOptions } from './live-follower';
import { runReplay, type EventHandler, type ReplayOptions } from './replay';
import { SnapshotStore, type Snapshot, type SnapshotInfo } from './snapshots';
import { DEFAULT_STREAM, ensureStream } from './stream-config';
import type { Follower, NewEvent, StoredEvent } from './types';
import { UpcasterRegistry, type Upcaster } from './upcasters';

export interface EventStoreOptions {
  servers: string | string[];
  /** Stream name (default 'NEUTRINO'). */
  stream?: string;
  /** Stream / bucket replicas (default 1). */
  replicas?: number;
  /** Connection name shown by the server. */
  name?: string;
  /** Where background problems are reported (default console.warn). */
  warn?: (message: string, err?: unknown) => void;
  /**
   * How often the client pings the server (default 10 s). Two pings unanswered and the connection
   * is called stale and made again — and what the client had buffered for the old one is dropped.
   */
  pingIntervalMs?: number;
}

const hasWildcard = (s: string) => s.split('.').some((t) => t === '*' || t === '>');

/** The project's only gateway to JetStream: append, read, follow, snapshots, liveness. */
export class EventStore {
  private readonly ctx: StoreContext;
  private readonly snapshots: SnapshotStore;
  private readonly archive: Archive;
  private readonly followers = new Set<Follower>();

  private constructor(
    private readonly nc: NatsConnection,
    js: JetStreamClient,
    jsm: JetStreamManager,
    readonly stream: string,
    private readonly replicas: number,
    warn: (message: string, err?: unknown) => void,
  ) {
    const resettables = new Set<Resettable>();
    const conn = new ConnectionState(nc);
    // After a reconnect, every live reader re-creates its consumer where it left off.
    conn.onReconnect(() => {
      for (const r of [...resettables]) r.reset();
    });
    this.ctx = { nc, js, jsm, stream, leaderReads: replicas > 1, upcasters: new UpcasterRegistry(), resettables, conn, warn };
    this.snapshots = new SnapshotStore(this.ctx, replicas);
    this.archive = new Archive(this.ctx, replicas);
  }

  static async connect(opts: EventStoreOptions): Promise<EventStore> {
    const nc = await connect({
      servers: opts.servers,
      name: opts.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      reconnectJitter: 100,
      pingInterval: opts.pingIntervalMs ?? 10_000,
    });
    try {
      const jsm = await nc.jetstreamManager();
      const warn = opts.warn ?? ((m: string, e?: unknown) => console.warn(m, e ?? ''));
      const store = new EventStore(nc, nc.jetstream(), jsm, opts.stream ?? DEFAULT_STREAM, opts.replicas ?? 1, warn);
      await store.ensureStream();
      return store;
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  /** Whether the connection to NATS is up (not reconnecting, not closed). */
  get connected(): boolean {
    return this.ctx.conn.connected;
  }

  /** The raw connection (for NATS request/reply between services). */
  get connection(): NatsConnection {
    return this.nc;
  }

  ensureStream(): Promise<void> {
    return ensureStream(this.ctx.jsm, this.stream, this.replicas);
  }

  append(events: NewEvent[], opts?: AppendOptions): Promise<StoredEvent[]> {
    return appendEvents(this.ctx, events, opts);
  }

  /** The stream's last sequence (0 when empty). */
  async lastSeq(): Promise<number> {
    const info = await this.ctx.jsm.streams.info(this.stream);
    return info.state.last_seq;
  }

  /** The stream's first and last sequence and its size (messages, bytes). */
  async streamState(): Promise<{ firstSeq: number; lastSeq: number; messages: number; bytes: number }> {
    const { state } = await this.ctx.jsm.streams.info(this.stream);
    return { firstSeq: state.first_seq, lastSeq: state.last_seq, messages: state.messages, bytes: state.bytes };
  }

  /** The last sequence moved to the archive (0 = none); every event up to it is read from there. */
  archivedSeq(): Promise<number> {
    return this.archive.lastSeq();
  }

  /** Applies the retention rule once: archives what every snapshot covers, then trims it (see compaction.ts). */
  compact(opts?: CompactOptions): Promise<CompactReport> {
    return compactLog(this.ctx, this.archive, this.snapshots, opts);
  }

  /** The last sequence stored on `subject` (0 when none). */
  async subjectLastSeq(subject: string): Promise<number> {
    return lastSeqBySubject(this.ctx, subject);
  }

  /**
   * The event with this id (its Nats-Msg-Id) if it is stored on `subject`
   * after sequence `afterSeq`, else null — how a writer whose publish ended
   * without an answer finds out whether it landed. Throws when the stream
   * cannot be read (the outcome is still unknown then).
   */
  async findEvent(subject: string, eventId: string, afterSeq = 0): Promise<StoredEvent | null> {
    const until = await this.subjectLastSeq(subject);
    if (until <= afterSeq) return null;
    let found: StoredEvent | null = null;
    await this.replay({ filter: subject, fromSeq: afterSeq + 1, untilSeq: until }, (e) => {
      if (e.id === eventId) found = e;
    });
    return found;
  }

  /**
   * The first event on `subject` (a filter with wildcards too) after `afterSeq` (null when none) — e.g. to
   * find out whether an append whose outcome was unknown is the one that
   * followed its expected sequence.
   */
  async nextOnSubject(subject: string, afterSeq: number): Promise<StoredEvent | null> {
    const e = await nextBySubject(this.ctx, subject, afterSeq + 1);
    return e && e.seq > afterSeq ? this.ctx.upcasters.apply(e) : null;
  }

  /** Every event on one subject, in order. */
  async readSubject(subject: string): Promise<StoredEvent[]> {
    let until: number | undefined;
    if (!hasWildcard(subject)) {
      until = await this.subjectLastSeq(subject);
      if (until === 0) {
        // Empty in the stream: it never existed, or the retention rule archived it whole.
        if ((await this.archive.lastSeq()) === 0) return [];
        until = undefined;
      }
    }
    const out: StoredEvent[] = [];
    await this.replay({ filter: subject, untilSeq: until }, (e) => void out.push(e));
    return out;
  }

  /**
   * Ordered replay from fromSeq to the head seen at the start (or untilSeq);
   * returns the last seq delivered. What the retention rule moved out of the
   * stream is read from the archive first, so a replay from 1 still sees the
   * whole history.
   */
  async replay(opts: ReplayOptions, onEvent: EventHandler): Promise<number> {
    assertFilter(opts.filter);
    const from = opts.fromSeq ?? 1;
    if (!Number.isInteger(from) || from < 1) throw new Error(`replay: fromSeq must be an integer >= 1, got ${from}`);
    const head = opts.untilSeq ?? (await this.lastSeq());
    if (head < from) return from - 1;
    let start = from;
    let last = from - 1;
    const archived = await this.archive.lastSeq();
    if (from <= archived) {
      const until = Math.min(archived, head);
      last = await this.archive.read(from, until, opts.filter, onEvent);
      start = until + 1;
      if (start > head) return last;
    }
    return Math.max(last, await runReplay(this.ctx, start, head, opts.filter, onEvent));
  }

  /** Live tail from a checkpoint (fromSeq = last applied seq + 1). */
  follow(opts: FollowOptions, onBatch: BatchHandler): Follower {
    assertFilter(opts.filter);
    return this.track(new LiveFollower(this.ctx, opts, onBatch));
  }

  /** A server-side durable consumer with explicit acks, for workers without a local checkpoint. */
  async consumeDurable(name: string, opts: DurableOptions, handler: (e: StoredEvent) => Promise<void>): Promise<Follower> {
    assertFilter(opts.filter);
    return this.track(await DurableFollower.start(this.ctx, name, opts, handler));
  }

  registerUpcaster(type: string, fromSchema: number, fn: Upcaster): void {
    this.ctx.upcasters.register(type, fromSchema, fn);
  }

  saveSnapshot(name: string, snap: Snapshot): Promise<void> {
    return this.snapshots.save(name, snap);
  }

  loadSnapshot<T>(name: string): Promise<Snapshot<T> | null> {
    return this.snapshots.load<T>(name);
  }

  /** Every saved snapshot with the sequence it covers. */
  listSnapshots(): Promise<SnapshotInfo[]> {
    return this.snapshots.list();
  }

  /** Removes a snapshot (e.g. of a decommissioned agent, so it no longer holds the log's trimming back). */
  removeSnapshot(name: string): Promise<void> {
    return this.snapshots.remove(name);
  }

  /** The lbaas-agents' statistics bucket (neutrino_lbaas_stats). */
  lbaasStats(): Promise<LbaasStatsBucket> {
    return LbaasStatsBucket.open(this.ctx, this.replicas);
  }

  /** A KV bucket whose entries expire ttlMs after their last put. */
  heartbeats(bucket: string, ttlMs: number): Promise<HeartbeatBucket> {
    return HeartbeatBucket.open(this.ctx, bucket, ttlMs, this.replicas);
  }

  /** Stops every follower, then closes the connection. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.followers].map((f) => f.stop()));
    this.followers.clear();
    if (!this.nc.isClosed()) await this.nc.close();
  }

  private track<F extends Follower>(f: F): F {
    this.followers.add(f);
    const stop = f.stop.bind(f);
    f.stop = async () => {
      this.followers.delete(f);
      await stop();
    };
    return f;
  }
}
