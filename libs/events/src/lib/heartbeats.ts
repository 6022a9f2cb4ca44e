import { StorageType, type KV, type KvEntry, type QueuedIterator } from 'nats';
import { nanos } from 'nats';
import type { StoreContext } from './context';
import { decodeKvKey, encodeKvKey } from './kv-key';

export interface HeartbeatEntry {
  key: string;
  value: any;
  updatedAt: Date;
}

/**
 * Liveness registry: a KV bucket whose entries expire ttlMs after their last
 * put (bucket max_age). Keys are arbitrary strings (host names with dots and
 * dashes included); they are escaped reversibly for KV.
 */
export class HeartbeatBucket {
  /** Every key's last entry, kept from a watch of the bucket once it has delivered what was there (see follow()). */
  private cache?: Map<string, KvEntry>;
  private watcher?: QueuedIterator<KvEntry>;

  private constructor(
    private readonly kv: KV,
    readonly name: string,
    readonly ttlMs: number,
  ) {}

  static async open(ctx: StoreContext, bucket: string, ttlMs: number, replicas: number): Promise<HeartbeatBucket> {
    if (!/^[-\w]+$/.test(bucket)) throw new Error(`invalid bucket name ${bucket}`);
    if (!(ttlMs > 0)) throw new Error('ttlMs must be > 0');
    const kv = await ctx.js.views.kv(bucket, { ttl: ttlMs, history: 1, storage: StorageType.File, replicas });
    // views.kv() binds to an existing bucket as is: align its max_age with ttlMs.
    const streamName = `KV_${bucket}`;
    const info = await ctx.jsm.streams.info(streamName);
    if (info.config.max_age !== nanos(ttlMs)) {
      const dupWindow = nanos(Math.min(ttlMs, 120_000));
      await ctx.jsm.streams.update(streamName, { ...info.config, max_age: nanos(ttlMs), duplicate_window: dupWindow });
    }
    return new HeartbeatBucket(kv, bucket, ttlMs);
  }

  async put(key: string, value: object): Promise<void> {
    await this.kv.put(encodeKvKey(key), JSON.stringify(value));
  }

  async get(key: string): Promise<{ value: any; updatedAt: Date } | null> {
    const e = await this.kv.get(encodeKvKey(key));
    return this.live(e) ? { value: e.json(), updatedAt: e.created } : null;
  }

  /**
   * Keeps every entry in memory from one watch of the bucket, so list() costs no
   * round trip (a reader that lists on every request — the router scheduler —
   * would otherwise make a consumer and one get per key each time). Until the
   * watch has delivered what the bucket held, and after it ended, list() asks
   * the server as before. Resolves once the watch has delivered the bucket's entries.
   */
  async follow(): Promise<void> {
    if (this.watcher) return;
    const entries = new Map<string, KvEntry>();
    let initialized!: () => void;
    const delivered = new Promise<void>((resolve) => (initialized = resolve));
    const it = await this.kv.watch({
      initializedFn: () => {
        this.cache = entries;
        initialized();
      },
    });
    this.watcher = it;
    void (async () => {
      try {
        for await (const e of it) {
          if (e.operation === 'PUT') entries.set(e.key, e);
          else entries.delete(e.key);
        }
      } catch {
        /* the connection closed or the watch failed: list() asks the server again */
      } finally {
        if (this.watcher === it) {
          this.watcher = undefined;
          this.cache = undefined;
        }
      }
    })();
    // resolves once the watch has delivered what the bucket held (bounded: a watch that never says so leaves list() asking the server)
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([delivered, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
  }

  stopFollowing(): void {
    const it = this.watcher;
    this.watcher = undefined;
    this.cache = undefined;
    it?.stop();
  }

  async list(): Promise<HeartbeatEntry[]> {
    if (this.cache) {
      const out: HeartbeatEntry[] = [];
      for (const [k, e] of this.cache) if (this.live(e)) out.push({ key: decodeKvKey(k), value: e.json(), updatedAt: e.created });
      return out.sort((a, b) => a.key.localeCompare(b.key));
    }
    const keys: string[] = [];
    for await (const k of await this.kv.keys()) keys.push(k);
    const out: HeartbeatEntry[] = [];
    for (const k of keys) {
      const e = await this.kv.get(k);
      if (this.live(e)) out.push({ key: decodeKvKey(k), value: e.json(), updatedAt: e.created });
    }
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(encodeKvKey(key));
  }

  /** A value entry still within its TTL (the server drops expired ones, with some lag). */
  private live(e: KvEntry | null): e is KvEntry {
    return !!e && e.operation === 'PUT' && e.created.getTime() + this.ttlMs > Date.now();
  }
}
