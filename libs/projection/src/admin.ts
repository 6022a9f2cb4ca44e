import { createInbox, JSONCodec, type NatsConnection, type Subscription } from 'nats';
import type { Projection } from './projection';

const codec = JSONCodec<RebuildMessage>();
export const rebuildSubject = (service: string) => `neutrino.admin.${service}.projection.rebuild`;

export interface RebuildMessage {
  pid: number;
  phase: 'started' | 'progress' | 'done' | 'failed';
  seq: number;
  head: number;
  error?: string;
}

/**
 * Lets an operator rebuild a running service's projection: the service
 * drops its rows and replays the log, reporting progress to the caller.
 */
export function serveRebuild(nc: NatsConnection, service: string, projection: Projection): Subscription {
  return nc.subscribe(rebuildSubject(service), {
    callback: (_err, msg) => {
      if (!msg.reply) return;
      const reply = msg.reply;
      const send = (m: Omit<RebuildMessage, 'pid'>) => nc.publish(reply, codec.encode({ pid: process.pid, ...m }));
      send({ phase: 'started', seq: 0, head: 0 });
      let lastReport = 0;
      projection
        .rebuild((seq, head) => {
          if (Date.now() - lastReport > 200 || seq === head) {
            lastReport = Date.now();
            send({ phase: 'progress', seq, head });
          }
        })
        .then(async (seq) => {
          await projection.start();
          send({ phase: 'done', seq, head: seq });
        })
        .catch((err: Error) => send({ phase: 'failed', seq: projection.applied, head: 0, error: err.message }));
    },
  });
}

/** Asks every running instance of a service to rebuild; resolves when all that answered are done. */
export async function requestRebuild(nc: NatsConnection, service: string, onMessage: (m: RebuildMessage) => void, waitForFirstMs = 3000): Promise<RebuildMessage[]> {
  const inbox = createInbox();
  const sub = nc.subscribe(inbox);
  const open = new Set<number>();
  const finals: RebuildMessage[] = [];
  nc.publish(rebuildSubject(service), undefined, { reply: inbox });
  const firstTimer = setTimeout(() => open.size === 0 && sub.unsubscribe(), waitForFirstMs);
  for await (const msg of sub) {
    const m = codec.decode(msg.data);
    onMessage(m);
    if (m.phase === 'started') open.add(m.pid);
    if (m.phase === 'done' || m.phase === 'failed') {
      open.delete(m.pid);
      finals.push(m);
      if (!open.size) break;
    }
  }
  clearTimeout(firstTimer);
  sub.unsubscribe();
  return finals;
}
