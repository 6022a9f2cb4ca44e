import { AckPolicy, DeliverPolicy, nanos, type ConsumerConfig, type ConsumerMessages, type JsMsg } from 'nats';
import { backoff, sleep } from './backoff';
import { decodeStored } from './codec';
import type { StoreContext } from './context';
import type { Follower, StoredEvent } from './types';

export interface DurableOptions {
  /** Subject filter (default: every event). Only used when the consumer is created. */
  filter?: string;
  /** Where a new consumer starts (default 1). Ignored when the consumer exists: it resumes where it was. */
  fromSeq?: number;
  /**
   * Unacknowledged messages the server may hand out at once. The default 1
   * keeps strict order even across redeliveries (a failing event blocks the
   * ones after it until it succeeds).
   */
  maxAckPending?: number;
  /** How long the server waits for an ack before redelivering (ms, default 30 s). */
  ackWaitMs?: number;
  /** Called when the handler throws (the message is nak'ed and redelivered). */
  onError?: (err: unknown, ev: StoredEvent) => void;
}

const NOT_FOUND = 10014;

/** Creates the durable pull consumer unless it exists. */
async function ensureDurable(ctx: StoreContext, name: string, opts: DurableOptions): Promise<void> {
  try {
    await ctx.jsm.consumers.info(ctx.stream, name);
    return;
  } catch (err) {
    if ((err as { api_error?: { err_code?: number } }).api_error?.err_code !== NOT_FOUND) throw err;
  }
  const cfg: Partial<ConsumerConfig> = {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(opts.ackWaitMs ?? 30_000),
    max_ack_pending: opts.maxAckPending ?? 1,
    max_deliver: -1,
    deliver_policy: opts.fromSeq && opts.fromSeq > 1 ? DeliverPolicy.StartSequence : DeliverPolicy.All,
  };
  if (opts.fromSeq && opts.fromSeq > 1) cfg.opt_start_seq = opts.fromSeq;
  if (opts.filter && opts.filter !== '>') cfg.filter_subject = opts.filter;
  await ctx.jsm.consumers.add(ctx.stream, cfg);
}

/**
 * A JetStream durable pull consumer with explicit acks: an event is acked once
 * its handler resolved, nak'ed (redelivered after a growing delay) if it threw.
 * Delivery is at-least-once, so handlers must be idempotent.
 */
export class DurableFollower implements Follower {
  private last = 0;
  private stopped = false;
  private messages: ConsumerMessages | null = null;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly ctx: StoreContext,
    private readonly name: string,
    private readonly opts: DurableOptions,
    private readonly handler: (e: StoredEvent) => Promise<void>,
  ) {}

  static async start(
    ctx: StoreContext,
    name: string,
    opts: DurableOptions,
    handler: (e: StoredEvent) => Promise<void>,
  ): Promise<DurableFollower> {
    await ensureDurable(ctx, name, opts);
    const f = new DurableFollower(ctx, name, opts, handler);
    f.loop = f.run();
    return f;
  }

  lastDelivered(): number {
    return this.last;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.messages?.stop();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await ensureDurable(this.ctx, this.name, this.opts);
        const consumer = await this.ctx.js.consumers.get(this.ctx.stream, this.name);
        this.messages = await consumer.consume({ max_messages: 64 });
        if (this.stopped) this.messages.stop();
        failures = 0;
        for await (const m of this.messages) {
          await this.handle(m);
          if (this.stopped) break;
        }
      } catch (err) {
        if (this.stopped) break;
        failures++;
        if (failures === 1 || failures % 20 === 0) this.ctx.warn(`durable ${this.name}: consume failed, retrying`, err);
      }
      this.messages = null;
      if (!this.stopped) await sleep(backoff(Math.max(1, failures)));
    }
  }

  private async handle(m: JsMsg): Promise<void> {
    let ev: StoredEvent;
    try {
      ev = this.ctx.upcasters.apply(decodeStored(m.data, m.seq, m.subject));
    } catch (err) {
      this.ctx.warn(`durable ${this.name}: terminating undecodable message ${m.seq} on ${m.subject}`, err);
      m.term();
      return;
    }
    try {
      await this.handler(ev);
      m.ack();
      this.last = ev.seq;
    } catch (err) {
      if (this.opts.onError) this.opts.onError(err, ev);
      else this.ctx.warn(`durable ${this.name}: handler failed on ${ev.seq} (${ev.type}), redelivering`, err);
      m.nak(backoff(m.info.redeliveryCount, 100, 5_000));
    }
  }
}
