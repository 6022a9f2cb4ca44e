import type { NatsConnection } from 'nats';
import { decodeStored } from './codec';
import type { StoredEvent } from './types';

/**
 * Sequence of the last message on `subject`, via a direct get
 * ($JS.API.DIRECT.GET.<stream>.<subject>, needs allow_direct on the stream);
 * 0 when the subject holds no message.
 */
export async function lastSeqBySubject(nc: NatsConnection, stream: string, subject: string, timeoutMs = 5_000): Promise<number> {
  const m = await nc.request(`$JS.API.DIRECT.GET.${stream}.${subject}`, undefined, { timeout: timeoutMs });
  const h = m.headers;
  if (h && h.code === 404) return 0;
  if (h && h.code >= 400) throw new Error(`direct get ${subject}: ${h.code} ${h.description}`);
  const seq = Number(h?.get('Nats-Sequence'));
  if (!Number.isInteger(seq) || seq < 1) throw new Error(`direct get ${subject}: no Nats-Sequence in reply`);
  return seq;
}

/** The first message on `subject` with a sequence >= fromSeq (direct get next_by_subj); null when none. */
export async function nextBySubject(nc: NatsConnection, stream: string, subject: string, fromSeq: number, timeoutMs = 5_000): Promise<StoredEvent | null> {
  const body = new TextEncoder().encode(JSON.stringify({ seq: fromSeq, next_by_subj: subject }));
  const m = await nc.request(`$JS.API.DIRECT.GET.${stream}`, body, { timeout: timeoutMs });
  const h = m.headers;
  if (h && h.code === 404) return null;
  if (h && h.code >= 400) throw new Error(`direct get next ${subject}: ${h.code} ${h.description}`);
  const seq = Number(h?.get('Nats-Sequence'));
  if (!Number.isInteger(seq) || seq < 1) throw new Error(`direct get next ${subject}: no Nats-Sequence in reply`);
  return decodeStored(m.data, seq, h!.get('Nats-Subject') || subject);
}
