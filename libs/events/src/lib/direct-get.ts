import type { NatsConnection } from 'nats';
import { decodeStored } from './codec';
import type { StoredEvent } from './types';

/**
 * How single messages are read by subject. On one server: a direct get
 * ($JS.API.DIRECT.GET, the stream has allow_direct), which skips the
 * stream's API and its JSON. On a cluster (the stream replicated) any replica
 * answers a direct get, and a follower may not have applied the newest
 * appends yet — a stale "last on subject" would make a reader stop early and
 * the retention rule trim the wrong event — so reads go to the stream's
 * leader ($JS.API.STREAM.MSG.GET), which has every acknowledged append.
 */
export interface SubjectReads {
  readonly nc: NatsConnection;
  readonly stream: string;
  /** the stream is replicated: read from its leader */
  readonly leaderReads: boolean;
}

interface MsgGetReply {
  message?: { subject: string; seq: number; data?: string };
  error?: { code: number; err_code?: number; description?: string };
}

/** The leader's answer to a STREAM.MSG.GET, or null for "no such message". */
async function leaderGet(r: SubjectReads, request: object, what: string, timeoutMs: number): Promise<{ subject: string; seq: number; data: Uint8Array } | null> {
  const m = await r.nc.request(`$JS.API.STREAM.MSG.GET.${r.stream}`, new TextEncoder().encode(JSON.stringify(request)), { timeout: timeoutMs });
  const reply = JSON.parse(new TextDecoder().decode(m.data)) as MsgGetReply;
  if (reply.error) {
    if (reply.error.code === 404) return null;
    throw new Error(`${what}: ${reply.error.code} ${reply.error.description ?? ''}`);
  }
  const msg = reply.message;
  if (!msg || !Number.isInteger(msg.seq) || msg.seq < 1) throw new Error(`${what}: no message in the stream's reply`);
  return { subject: msg.subject, seq: msg.seq, data: Buffer.from(msg.data ?? '', 'base64') };
}

/** Sequence of the last message on `subject`; 0 when the subject holds no message. */
export async function lastSeqBySubject(r: SubjectReads, subject: string, timeoutMs = 5_000): Promise<number> {
  if (r.leaderReads) return (await leaderGet(r, { last_by_subj: subject }, `last on ${subject}`, timeoutMs))?.seq ?? 0;
  const m = await r.nc.request(`$JS.API.DIRECT.GET.${r.stream}.${subject}`, undefined, { timeout: timeoutMs });
  const h = m.headers;
  if (h && h.code === 404) return 0;
  if (h && h.code >= 400) throw new Error(`direct get ${subject}: ${h.code} ${h.description}`);
  const seq = Number(h?.get('Nats-Sequence'));
  if (!Number.isInteger(seq) || seq < 1) throw new Error(`direct get ${subject}: no Nats-Sequence in reply`);
  return seq;
}

/** The first message on `subject` with a sequence >= fromSeq; null when none. */
export async function nextBySubject(r: SubjectReads, subject: string, fromSeq: number, timeoutMs = 5_000): Promise<StoredEvent | null> {
  if (r.leaderReads) {
    const got = await leaderGet(r, { seq: fromSeq, next_by_subj: subject }, `next on ${subject}`, timeoutMs);
    return got && decodeStored(got.data, got.seq, got.subject || subject);
  }
  const body = new TextEncoder().encode(JSON.stringify({ seq: fromSeq, next_by_subj: subject }));
  const m = await r.nc.request(`$JS.API.DIRECT.GET.${r.stream}`, body, { timeout: timeoutMs });
  const h = m.headers;
  if (h && h.code === 404) return null;
  if (h && h.code >= 400) throw new Error(`direct get next ${subject}: ${h.code} ${h.description}`);
  const seq = Number(h?.get('Nats-Sequence'));
  if (!Number.isInteger(seq) || seq < 1) throw new Error(`direct get next ${subject}: no Nats-Sequence in reply`);
  return decodeStored(m.data, seq, h!.get('Nats-Subject') || subject);
}
