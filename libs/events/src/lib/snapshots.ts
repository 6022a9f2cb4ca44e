import { StorageType, type ObjectStore } from 'nats';
import type { StoreContext } from './context';

export const SNAPSHOT_BUCKET = 'neutrino-snapshots';

export interface Snapshot<T = unknown> {
  /** Stream sequence the state reflects (replay resumes at seq + 1). */
  seq: number;
  state: T;
}

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
}
