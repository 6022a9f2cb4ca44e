import { DiscardPolicy, nanos, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from 'nats';

export const DEFAULT_STREAM = 'NEUTRINO';
export const EVENT_SUBJECTS = 'evt.>';
/** How long the server remembers a Nats-Msg-Id: a publish retried within it is stored once. */
export const DUPLICATE_WINDOW_MS = 2 * 60_000;
const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;

/**
 * The event log's stream: every evt.> subject, on file, no purges. Deletes
 * of single messages are allowed: only the retention rule (compaction.ts)
 * uses them, after archiving what it trims.
 */
export function desiredStreamConfig(name: string, replicas: number): Partial<StreamConfig> {
  return {
    name,
    subjects: [EVENT_SUBJECTS],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: 0,
    max_msgs: -1,
    max_bytes: -1,
    max_msgs_per_subject: -1,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    num_replicas: replicas,
    // a single server answers direct gets; on a cluster, reads by subject go to the leader (direct-get.ts)
    allow_direct: replicas === 1,
    deny_delete: false,
    deny_purge: true,
  };
}

/** Fields an update may change (storage and retention are fixed at creation). */
const UPDATABLE: Array<keyof StreamConfig> = [
  'subjects',
  'max_age',
  'max_msgs',
  'max_bytes',
  'max_msgs_per_subject',
  'duplicate_window',
  'num_replicas',
  'allow_direct',
  'deny_delete',
  'deny_purge',
];

const errCode = (err: unknown) => (err as { api_error?: { err_code?: number } })?.api_error?.err_code;

/**
 * Creates the stream, or brings an existing one in line with the desired
 * config. Safe to call repeatedly and concurrently: creating an identical
 * stream is a no-op on the server, and a lost creation race falls back to an
 * update.
 */
export async function ensureStream(jsm: JetStreamManager, name: string, replicas: number): Promise<void> {
  const want = desiredStreamConfig(name, replicas);
  for (let attempt = 0; attempt < 5; attempt++) {
    let current: StreamConfig | null = null;
    try {
      current = (await jsm.streams.info(name)).config;
    } catch (err) {
      if (errCode(err) !== STREAM_NOT_FOUND) throw err;
    }
    if (!current) {
      try {
        await jsm.streams.add(want);
        return;
      } catch (err) {
        if (errCode(err) === STREAM_NAME_IN_USE) continue; // someone else created it: compare and update
        throw err;
      }
    }
    // A stream made before the retention rule denies deletes, and that cannot be cancelled: keep it (compaction then archives only).
    const target = { ...want, deny_delete: want.deny_delete || current.deny_delete };
    const differs = UPDATABLE.some((k) => JSON.stringify(current![k]) !== JSON.stringify(target[k]));
    if (!differs) return;
    const next = { ...current } as Record<string, unknown>;
    for (const k of UPDATABLE) next[k] = target[k];
    await jsm.streams.update(name, next as Partial<StreamConfig>);
    return;
  }
  throw new Error(`ensureStream(${name}): could not create or update the stream`);
}
