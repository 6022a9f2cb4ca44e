import type { NatsConnection } from 'nats';

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
