import {
  AckPolicy,
  createInbox,
  DeliverPolicy,
  nanos,
  ReplayPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  type Msg,
  type Subscription,
} from 'nats';
import { parseAckSubject } from './ack-subject';
import { backoff, sleep } from './backoff';
import { decodeStored } from './codec';
import type { Resettable, StoreContext } from './context';
import type { StoredEvent } from './types';

export interface OrderedReaderOptions {
  /** First stream sequence to deliver. */
  startSeq: number;
  /** Subject filter (default: the whole stream). */
  filter?: string;
  /** Idle heartbeat interval asked of the server (ms). */
  heartbeatMs?: number;
  /** Give up (close with error) after this many consecutive failed consumer creations. */
  maxOpenAttempts?: number;
  /** Called synchronously for each event in stream order; `pending` = matching messages after it. */
  onEvent(ev: StoredEvent, pending: number): void;
  /** Called after each (re)creation of the server-side consumer. */
  onOpen?(info: ConsumerInfo): void;
  /** Called once if the reader gives up. */
  onFatal?(err: unknown): void;
  /** Called on an idle heartbeat: the server had nothing to deliver for heartbeatMs (not a stall). */
  onIdle?(): void;
}

/**
 * An ordered, gap-checked push consumption of the stream from a sequence on.
 * Each session is an ephemeral, in-memory, ack-less push consumer with flow
 * control and idle heartbeats. A consumer-sequence gap, a missed heartbeat,
 * a "consumer deleted" status or a reconnect throws the session away and
 * starts a new one right after the last sequence handed out, so events come
 * out exactly once and in order across server restarts.
 *
 * Backpressure: while held, flow-control replies are withheld, which makes
 * the server pause delivery after its flow-control window.
 */
export class OrderedReader implements Resettable {
  private nextSeq: number;
  private gen = 0;
  private sub: Subscription | null = null;
  private consumer: string | null = null;
  private expectedCseq = 1;
  private lastActivity = Date.now();
  private watchdog: NodeJS.Timeout | null = null;
  private held = false;
  private fcReplies: string[] = [];
  private opening: Promise<void> | null = null;
  private reopen = false;
  private closed = false;
  private readonly hbMs: number;

  constructor(
    private readonly ctx: StoreContext,
    private readonly opts: OrderedReaderOptions,
  ) {
    this.nextSeq = Math.max(1, opts.startSeq);
    this.hbMs = opts.heartbeatMs ?? 2_000;
  }

  /** Opens the first session; resolves once the server-side consumer exists. */
  start(): Promise<void> {
    this.ctx.resettables.add(this);
    this.watchdog = setInterval(() => this.checkHeartbeat(), this.hbMs);
    this.watchdog.unref();
    return this.open();
  }

  /** The next stream sequence this reader will hand out. */
  get position(): number {
    return this.nextSeq;
  }

  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    const replies = this.fcReplies.splice(0);
    for (const r of replies) this.publishQuiet(r);
  }

  /** Throws the current session away and resumes after the last event handed out. */
  reset(): void {
    if (this.closed) return;
    void this.open().catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.shutdown();
    await this.opening?.catch(() => undefined);
    this.teardown();
  }

  private shutdown(): void {
    this.closed = true;
    this.ctx.resettables.delete(this);
    if (this.watchdog) clearInterval(this.watchdog);
    this.teardown();
  }

  private open(): Promise<void> {
    if (this.opening) {
      this.reopen = true;
      return this.opening;
    }
    this.opening = this.openLoop().finally(() => (this.opening = null));
    return this.opening;
  }

  private async openLoop(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      this.reopen = false;
      this.teardown();
      const gen = ++this.gen;
      const inbox = createInbox();
      this.sub = this.ctx.nc.subscribe(inbox, { callback: (err, m) => this.onMsg(gen, err, m) });
      this.expectedCseq = 1;
      this.fcReplies = [];
      try {
        const info = await this.ctx.jsm.consumers.add(this.ctx.stream, this.config(inbox));
        this.consumer = info.name;
        this.lastActivity = Date.now();
        if (this.closed) return this.teardown();
        if (this.reopen) continue;
        this.opts.onOpen?.(info);
        return;
      } catch (err) {
        failures++;
        if (this.closed) return;
        if (failures >= (this.opts.maxOpenAttempts ?? Infinity)) {
          this.shutdown();
          this.opts.onFatal?.(err);
          throw err;
        }
        if (failures === 1 || failures % 20 === 0) this.ctx.warn(`event reader: creating consumer failed (attempt ${failures})`, err);
        await sleep(backoff(failures));
      }
    }
  }

  private config(inbox: string): Partial<ConsumerConfig> {
    const cfg: Partial<ConsumerConfig> = {
      deliver_subject: inbox,
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.nextSeq,
      replay_policy: ReplayPolicy.Instant,
      flow_control: true,
      idle_heartbeat: nanos(this.hbMs),
      mem_storage: true,
      num_replicas: 1,
      inactive_threshold: nanos(Math.max(10_000, this.hbMs * 5)),
    };
    if (this.opts.filter && this.opts.filter !== '>') cfg.filter_subject = this.opts.filter;
    return cfg;
  }

  private teardown(): void {
    this.sub?.unsubscribe();
    this.sub = null;
    const name = this.consumer;
    this.consumer = null;
    if (name && !this.ctx.nc.isClosed()) {
      this.ctx.jsm.consumers.delete(this.ctx.stream, name).catch(() => undefined);
    }
  }

  private checkHeartbeat(): void {
    if (this.closed || this.opening) return;
    if (Date.now() - this.lastActivity > this.hbMs * 3) {
      this.ctx.warn(`event reader: no heartbeat for ${Date.now() - this.lastActivity} ms, recreating consumer at ${this.nextSeq}`);
      this.reset();
    }
  }

  private flowControl(reply: string): void {
    if (this.held) this.fcReplies.push(reply);
    else this.publishQuiet(reply);
  }

  private publishQuiet(subject: string): void {
    try {
      if (!this.ctx.nc.isClosed()) this.ctx.nc.publish(subject);
    } catch {
      /* connection going away: a reset follows */
    }
  }

  private onMsg(gen: number, err: Error | null, m: Msg): void {
    if (gen !== this.gen || this.closed) return;
    if (err) return this.reset();
    this.lastActivity = Date.now();
    const ack = parseAckSubject(m.reply);
    if (!ack) return this.onStatus(m);
    if (ack.consumerSeq !== this.expectedCseq) return this.reset();
    this.expectedCseq++;
    if (ack.streamSeq < this.nextSeq) return;
    this.nextSeq = ack.streamSeq + 1;
    let ev: StoredEvent;
    try {
      ev = this.ctx.upcasters.apply(decodeStored(m.data, ack.streamSeq, m.subject));
    } catch (e) {
      this.ctx.warn(`event reader: skipping undecodable message ${ack.streamSeq} on ${m.subject}`, e);
      return;
    }
    this.opts.onEvent(ev, ack.pending);
  }

  private onStatus(m: Msg): void {
    const h = m.headers;
    if (!h) return;
    if (h.code === 100) {
      if (m.reply) return this.flowControl(m.reply);
      const stalled = h.get('Nats-Consumer-Stalled');
      if (stalled) this.flowControl(stalled);
      const lastCseq = Number(h.get('Nats-Last-Consumer') || 0);
      if (lastCseq > this.expectedCseq - 1) return this.reset();
      if (!stalled && !this.held) this.opts.onIdle?.();
      return;
    }
    if (h.code >= 400) this.reset();
  }
}
