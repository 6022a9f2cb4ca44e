import type { Archive } from './archive';
import type { StoreContext } from './context';
import { lastSeqBySubject } from './direct-get';
import { runReplay } from './replay';
import type { SnapshotStore } from './snapshots';
import type { StoredEvent } from './types';

export interface CompactOptions {
  /** Events kept in the stream after the oldest snapshot's sequence anyway (default 0). */
  keepEvents?: number;
  /** Do nothing unless at least this many events would be archived (default 1). */
  minEvents?: number;
  /** Events per archive segment (default 20,000). */
  segmentEvents?: number;
  /** Snapshots that must exist before anything is trimmed (e.g. every service's). */
  requiredSnapshots?: string[];
  /**
   * Event types after which nothing is appended to their subject again (e.g.
   * port.deleted): a subject whose last message is one of them, inside the
   * trimmed range, is trimmed whole instead of keeping that last message.
   */
  finalTypes?: string[];
}

export interface CompactReport {
  /** Archived range (0, 0 when nothing was done). */
  from: number;
  to: number;
  archived: number;
  /** Subjects trimmed, and messages removed from the stream. */
  subjects: number;
  purged: number;
  /** Subjects trimmed whole (their last event was final). */
  closed?: number;
  /** Why nothing (or nothing more) was done. */
  skipped?: string;
}

const PURGE_CONCURRENCY = 16;
/** Deletes in flight at once: enough to trim a few hundred thousand messages in seconds, few enough to leave nats-server to the writers. */
const DELETE_CONCURRENCY = 16;

/**
 * The retention rule. Everything older than the oldest snapshot (every state
 * kept from the log can start from its snapshot) is archived, then trimmed
 * from the stream — except each subject's last message, which stays: it is
 * what `Nats-Expected-Last-Subject-Sequence` compares with, so optimistic
 * concurrency on every aggregate works as before (unless that message is a
 * final event: nothing is appended to that subject again). The archive is written
 * before anything is deleted, so the audit trail never has a hole.
 */
export async function compactLog(ctx: StoreContext, archive: Archive, snapshots: SnapshotStore, opts: CompactOptions = {}): Promise<CompactReport> {
  const none = (skipped: string): CompactReport => ({ from: 0, to: 0, archived: 0, subjects: 0, purged: 0, skipped });
  const snaps = await snapshots.list();
  const missing = (opts.requiredSnapshots ?? []).filter((n) => !snaps.some((s) => s.name === n));
  if (missing.length) return none(`no snapshot yet of ${missing.join(', ')}`);
  if (!snaps.length) return none('no snapshot');
  const info = await ctx.jsm.streams.info(ctx.stream);
  const floor = Math.min(...snaps.map((s) => s.seq), info.state.last_seq - (opts.keepEvents ?? 0));
  const from = Math.max((await archive.lastSeq()) + 1, info.state.first_seq);
  const to = floor; // archive and trim every seq <= floor
  if (to - from + 1 < Math.max(1, opts.minEvents ?? 1)) return none(`only ${Math.max(0, to - from + 1)} events older than every snapshot`);

  // 1. Archive [from, to] in segments.
  const lastInRange = new Map<string, number>();
  const seqsInRange = new Map<string, number[]>();
  const finalInRange = new Set<string>();
  const finals = new Set(opts.finalTypes ?? []);
  const size = opts.segmentEvents ?? 20_000;
  let segment: StoredEvent[] = [];
  let segFirst = from;
  let archived = 0;
  const flush = async (last: number) => {
    await archive.write(segFirst, last, segment);
    archived += segment.length;
    segment = [];
    segFirst = last + 1;
  };
  await runReplay(ctx, from, to, undefined, async (e) => {
    segment.push(e);
    lastInRange.set(e.subject, e.seq);
    const list = seqsInRange.get(e.subject);
    if (list) list.push(e.seq);
    else seqsInRange.set(e.subject, [e.seq]);
    if (finals.has(e.type)) finalInRange.add(e.subject);
    else finalInRange.delete(e.subject);
    if (segment.length >= size) await flush(e.seq);
  });
  if (segment.length || segFirst <= to) await flush(to);

  // 2. Trim: per subject, every message in the range but its last one (unless that is final).
  // Messages are deleted one by one, not purged by subject: a filtered purge moves the position of
  // live consumers on nats-server 2.9, and a follower would silently skip events.
  if (info.config.deny_delete) return { from, to, archived, subjects: 0, purged: 0, skipped: 'the stream denies deletes (created before the retention rule): archived only' };
  let purged = 0;
  let closed = 0;
  const subjects = [...lastInRange.keys()];
  const doomed: number[] = [];
  let next = 0;
  const resolveWorker = async () => {
    while (next < subjects.length) {
      const subject = subjects[next++];
      const last = await lastSeqBySubject(ctx, subject);
      const whole = last === lastInRange.get(subject) && finalInRange.has(subject);
      if (whole) closed++;
      for (const seq of seqsInRange.get(subject)!) if (whole || seq !== last) doomed.push(seq);
    }
  };
  await Promise.all(Array.from({ length: PURGE_CONCURRENCY }, resolveWorker));
  next = 0;
  const deleteWorker = async () => {
    while (next < doomed.length) {
      const seq = doomed[next++];
      try {
        if (await ctx.jsm.streams.deleteMessage(ctx.stream, seq, false)) purged++;
      } catch (err) {
        if (!/no message found/i.test(String((err as Error)?.message))) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: DELETE_CONCURRENCY }, deleteWorker));
  return { from, to, archived, subjects: subjects.length, purged, closed };
}
