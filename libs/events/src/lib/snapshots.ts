import { StorageType, type ObjectStore } from 'nats';
import type { StoreContext } from './context';

export const SNAPSHOT_BUCKET = 'neutrino-snapshots';

export interface Snapshot<T = unknown> {
  /** Stream sequence the state reflects (replay resumes at seq + 1). */
  seq: number;
  state: T;
}

/** A stored snapshot's name and the sequence it covers. */
export interface SnapshotInfo {
  name: string;
  seq: number;
}

const DESCRIPTION = /^snapshot at seq (\d+)$/;

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Projection snapshots in a JetStream Object Store bucket (chunked, so states
 * of many MB are fine). One object per snapshot name; saving replaces it.
 */
export class SnapshotStore {
  private bucket: Promise<ObjectStore> | null = null;

  constructor(
    private readonly ctx: StoreContext,
    private readonly replicas: number,
    private readonly bucketName = SNAPSHOT_BUCKET,
  ) {}

  private open(): Promise<ObjectStore> {
    if (!this.bucket) {
      this.bucket = this.ctx.js.views.os(this.bucketName, { storage: StorageType.File, replicas: this.replicas });
      this.bucket.catch(() => (this.bucket = null));
    }
    return this.bucket;
  }

  async save(name: string, snap: Snapshot): Promise<void> {
    if (!Number.isInteger(snap.seq) || snap.seq < 0) throw new Error(`snapshot seq must be an integer >= 0, got ${snap.seq}`);
    const os = await this.open();
    const body = enc.encode(JSON.stringify({ seq: snap.seq, state: snap.state }));
    await os.putBlob({ name, description: `snapshot at seq ${snap.seq}` }, body);
  }

  async load<T>(name: string): Promise<Snapshot<T> | null> {
    const os = await this.open();
    const blob = await os.getBlob(name);
    if (!blob) return null;
    const parsed = JSON.parse(dec.decode(blob)) as Snapshot<T>;
    return { seq: parsed.seq, state: parsed.state };
  }

  /** Every snapshot in the bucket with the sequence it covers (read from its description, no download). */
  async list(): Promise<SnapshotInfo[]> {
    const os = await this.open();
    const out: SnapshotInfo[] = [];
    for (const info of await os.list()) {
      if (info.deleted) continue;
      const m = DESCRIPTION.exec(info.description ?? '');
      if (m) out.push({ name: info.name, seq: Number(m[1]) });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async remove(name: string): Promise<void> {
    const os = await this.open();
    await os.delete(name);
  }
}
