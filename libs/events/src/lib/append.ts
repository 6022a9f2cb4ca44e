import { headers, type PubAck } from 'nats';
import { backoff, sleep } from './backoff';
import { assertAggregate, encodeEnvelope, toEnvelope } from './codec';
import type { StoreContext } from './context';
import { ConcurrencyError, isTransient, wrongLastSequence } from './errors';
import { subjectOf, type NewEvent, type StoredEvent } from './types';

export interface AppendOptions {
  /**
   * Optimistic concurrency: the subject's last sequence must be this (0 = the
   * subject must be empty). Otherwise ConcurrencyError is thrown.
   */
  expectedSubjectSeq?: number;
}

const PUBLISH_ATTEMPTS = 6;
// A JetStream ack takes well under a millisecond on a healthy server; a
// request lost in a reconnect only ends by timing out, so keep this short
// and rely on Nats-Msg-Id deduplication for the retry.
const PUBLISH_TIMEOUT_MS = 2_000;
// A stream whose leader is gone answers 503 (no responders) at once until its
// Raft group has elected another (seconds, on a cluster): retries go on for at
// least this long, so a leader's loss is ridden through, not answered 503.
const PUBLISH_RETRY_WINDOW_MS = 10_000;

/** Publishes one message; retried on transient failures (Nats-Msg-Id makes that idempotent). */
async function publishOnce(ctx: StoreContext, subject: string, body: Uint8Array, id: string, expected: number | undefined): Promise<PubAck> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    // Headers are set directly (not through opts.expect) so an expected 0 is sent too.
    const h = headers();
    h.set('Nats-Msg-Id', id);
    if (expected !== undefined) h.set('Nats-Expected-Last-Subject-Sequence', String(expected));
    await ctx.conn.whenConnected(PUBLISH_TIMEOUT_MS);
    try {
      return await ctx.js.publish(subject, body, { headers: h, timeout: PUBLISH_TIMEOUT_MS });
    } catch (err) {
      const wrong = wrongLastSequence(err);
      if (wrong) throw new ConcurrencyError(subject, expected ?? -1, wrong.actual);
      if (!isTransient(err) || (attempt >= PUBLISH_ATTEMPTS && Date.now() - started >= PUBLISH_RETRY_WINDOW_MS)) throw err;
      await sleep(backoff(attempt, 100, 1_000));
    }
  }
}

/**
 * Appends events of ONE aggregate, in order. The first carries the caller's
 * expected subject sequence (if any), each next one expects the sequence the
 * previous one got, so no foreign event can slip in between. JetStream 2.9
 * has no atomic batch: if a later event fails, the earlier ones stay stored.
 */
export async function appendEvents(ctx: StoreContext, events: NewEvent[], opts: AppendOptions = {}): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const first = events[0].aggregate;
  assertAggregate(first);
  for (const e of events) {
    if (e.aggregate?.type !== first.type || e.aggregate?.id !== first.id) {
      throw new Error(`append: all events must belong to one aggregate (${first.type}/${first.id}), got ${e.aggregate?.type}/${e.aggregate?.id}`);
    }
    if (typeof e.type !== 'string' || !e.type) throw new Error('append: event type is required');
  }
  const expected = opts.expectedSubjectSeq;
  if (expected !== undefined && (!Number.isInteger(expected) || expected < 0)) {
    throw new Error(`append: expectedSubjectSeq must be an integer >= 0, got ${expected}`);
  }
  const subject = subjectOf(first);
  const out: StoredEvent[] = [];
  let expect = expected;
  for (const e of events) {
    const env = toEnvelope(e);
    const ack = await publishOnce(ctx, subject, encodeEnvelope(env), env.id, expect);
    out.push({ ...env, seq: ack.seq, subject });
    expect = ack.seq;
  }
  return out;
}
