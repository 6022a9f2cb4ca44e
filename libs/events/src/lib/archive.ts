import { gunzipSync, gzipSync } from 'node:zlib';
import { StorageType, type ObjectStore } from 'nats';
import type { StoreContext } from './context';
import { subjectMatches } from './subject-match';
import type { StoredEvent } from './types';

export const ARCHIVE_BUCKET = 'neutrino-archive';
const STREAM_NOT_FOUND = 10059;

/** One archived segment: the events with first <= seq <= last that were in the stream, as gzipped NDJSON. */
export interface ArchiveSegment {
  name: string;
  first: number;
  last: number;
  /** The aggregate types (second subject token) it holds, so a filtered read skips the others (undefined = unknown). */
  types?: string[];
}

const NAME = /^events-(\d+)-(\d+)\.ndjson\.gz$/;
const TYPES = / types=([^ ]*)$/;
const pad = (n: number) => String(n).padStart(12, '0');

/**
 * The part of the log trimmed from the stream, in a JetStream object store
 * bucket (so every host reads it; compressed about 10:1). Segments never
 * change; two compactions racing may write overlapping ones, and readers
 * skip a sequence they have already delivered.
 */
export class Archive {
  private bucket: Promise<ObjectStore> | null = null;

  constructor(
    private readonly ctx: StoreContext,
    private readonly replicas: number,
    private readonly bucketName = ARCHIVE_BUCKET,
  ) {}

  private open(): Promise<ObjectStore> {
    if (!this.bucket) {
      this.bucket = this.ctx.js.views.os(this.bucketName, { storage: StorageType.File, replicas: this.replicas });
      this.bucket.catch(() => (this.bucket = null));
    }
    return this.bucket;
  }

  /** Whether the bucket exists (checked without creating it). */
  private async exists(): Promise<boolean> {
    try {
      await this.ctx.jsm.streams.info(`OBJ_${this.bucketName}`);
      return true;
    } catch (err) {
      if ((err as { api_error?: { err_code?: number } })?.api_error?.err_code === STREAM_NOT_FOUND) return false;
      throw err;
    }
  }

  /** Every segment, oldest first. */
  async segments(): Promise<ArchiveSegment[]> {
    if (!(await this.exists())) return [];
    const os = await this.open();
    const out: ArchiveSegment[] = [];
    for (const info of await os.list()) {
      const m = NAME.exec(info.name);
      const t = TYPES.exec(info.description ?? '');
      if (m && !info.deleted) out.push({ name: info.name, first: Number(m[1]), last: Number(m[2]), types: t ? t[1].split(',').filter(Boolean) : undefined });
    }
    return out.sort((a, b) => a.first - b.first || a.last - b.last);
  }

  /** The last sequence archived (0 = nothing). */
  async lastSeq(): Promise<number> {
    const segs = await this.segments();
    return segs.reduce((m, s) => Math.max(m, s.last), 0);
  }

  /** Stores the events of [first, last] (those still in the stream then) as one segment. */
  async write(first: number, last: number, events: StoredEvent[]): Promise<ArchiveSegment> {
    const os = await this.open();
    const name = `events-${pad(first)}-${pad(last)}.ndjson.gz`;
    const body = gzipSync(Buffer.from(events.map((e) => JSON.stringify(e)).join('\n') + '\n'));
    const types = [...new Set(events.map((e) => e.subject.split('.')[1]))].sort();
    await os.putBlob({ name, description: `events ${first}..${last} (${events.length}) types=${types.join(',')}` }, body);
    return { name, first, last, types };
  }

  /**
   * Delivers, in order, the archived events with from <= seq <= until on
   * `filter`; resolves to the last archived sequence looked at (from-1 when the
   * archive does not reach from).
   */
  async read(from: number, until: number, filter: string | undefined, onEvent: (e: StoredEvent) => void | Promise<void>): Promise<number> {
    let delivered = from - 1;
    let covered = from - 1;
    for (const seg of await this.segments()) {
      if (seg.last < from || seg.first > until || seg.last <= delivered) continue;
      if (seg.types && !mayHold(filter, seg.types)) {
        covered = Math.max(covered, Math.min(seg.last, until));
        continue;
      }
      const os = await this.open();
      const blob = await os.getBlob(seg.name);
      if (!blob) continue;
      for (const line of gunzipSync(blob).toString('utf8').split('\n')) {
        if (!line) continue;
        const e = JSON.parse(line) as StoredEvent;
        if (e.seq <= delivered || e.seq > until) continue;
        delivered = e.seq;
        if (!subjectMatches(filter, e.subject)) continue;
        const r = onEvent(this.ctx.upcasters.apply(e));
        if (r) await r;
      }
      covered = Math.max(covered, Math.min(seg.last, until));
    }
    return Math.max(covered, delivered);
  }
}

/** Whether a segment with these aggregate types can hold events on `filter` (evt.<type>.…). */
function mayHold(filter: string | undefined, types: string[]): boolean {
  const t = filter?.split('.');
  if (!t || t[0] === '>' || t.length < 2 || t[1] === '*' || t[1] === '>') return true;
  return types.includes(t[1]);
}
