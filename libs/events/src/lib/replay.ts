import type { StoreContext } from './context';
import { nextBySubject } from './direct-get';
import { OrderedReader } from './ordered-reader';
import type { StoredEvent } from './types';

export interface ReplayOptions {
  /** First stream sequence (default 1). */
  fromSeq?: number;
  /** Subject filter (default: every event). */
  filter?: string;
  /** Last stream sequence to deliver (default: the head when the replay starts). */
  untilSeq?: number;
}

export type EventHandler = (e: StoredEvent) => void | Promise<void>;

/** Idle heartbeats of a replay's consumer: how long a replay may wait at its end when the server's pending count is wrong. */
const REPLAY_HEARTBEAT_MS = 1_000;
/** A replay that has received nothing for this long before its end asks the stream whether anything is left. */
const QUIET_PROBE_MS = 50;

/**
 * Delivers, in order, every event with fromSeq <= seq <= head, calling
 * onEvent one at a time (awaiting it when it returns a promise). Resolves to
 * the last sequence delivered (fromSeq-1 when none); rejects with the
 * handler's error if it throws.
 */
export function runReplay(ctx: StoreContext, from: number, head: number, filter: string | undefined, onEvent: EventHandler): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let last = from - 1;
    let queue: StoredEvent[] = [];
    let caughtUp = false;
    let running = false;
    let scheduled = false;
    let settled = false;

    const finish = (err: unknown | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(quiet);
      reader.close().finally(() => (err ? reject(err) : resolve(last)));
    };

    const maybeDone = () => {
      if (caughtUp && queue.length === 0 && !running) finish(null);
    };

    const drain = async () => {
      scheduled = false;
      if (running || settled) return;
      running = true;
      try {
        while (queue.length > 0 && !settled) {
          const batch = queue;
          queue = [];
          reader.release();
          for (const ev of batch) {
            const r = onEvent(ev);
            if (r && typeof (r as Promise<void>).then === 'function') await r;
            last = ev.seq;
          }
        }
      } catch (err) {
        running = false;
        return finish(err);
      }
      running = false;
      maybeDone();
    };

    // A filtered replay ends when the server says nothing matching is pending, or at the head.
    // nats-server 2.9 can count a filtered consumer's pending wrong after single-message deletes
    // (the retention rule's trimming): it says >0 when no message left matches, and the replay
    // would wait forever (ipam's start hung after an hour of churn, docs/benchmarks.md). So when
    // the consumer opens, and when it goes idle, the stream is asked directly whether a matching
    // event is left up to the head.
    let probing = false;
    let quiet: NodeJS.Timeout | undefined;
    const probe = () => {
      if (caughtUp || probing || !filter || filter === '>') return;
      probing = true;
      const after = Math.max(last, reader.position - 1);
      nextBySubject(ctx, filter, after + 1)
        .then((next) => {
          if (!caughtUp && reader.position - 1 <= after && (!next || next.seq > head)) {
            caughtUp = true;
            maybeDone();
          }
        })
        .catch(() => undefined)
        .finally(() => (probing = false));
    };
    const reader = new OrderedReader(ctx, {
      startSeq: from,
      filter,
      maxOpenAttempts: 20,
      heartbeatMs: REPLAY_HEARTBEAT_MS,
      onOpen: (info) => {
        if (info.num_pending === 0) {
          caughtUp = true;
          maybeDone();
        } else probe();
      },
      onIdle: probe,
      onEvent: (ev, pending) => {
        if (caughtUp) return;
        // Quiet for a moment with the end not reached: ask the stream rather than wait for the idle heartbeat.
        clearTimeout(quiet);
        quiet = setTimeout(probe, QUIET_PROBE_MS);
        if (ev.seq <= head) queue.push(ev);
        if (ev.seq >= head || pending === 0) caughtUp = true;
        if (queue.length >= 10_000) reader.hold();
        if (!running && !scheduled) {
          scheduled = true;
          queueMicrotask(() => void drain());
        }
      },
      onFatal: (err) => finish(err),
    });
    reader.start().catch((err) => finish(err));
  });
}
