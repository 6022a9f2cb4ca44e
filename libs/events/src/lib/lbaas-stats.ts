import { StorageType, type KV } from 'nats';
import type { StoreContext } from './context';

/** The bucket the lbaas-agent writes each load balancer's HAProxy counters to (key = lb id), read by the gateway's /stats. */
export const LBAAS_STATS_BUCKET = 'neutrino_lbaas_stats';

/** Octavia's stats fields (GET /v2/lbaas/loadbalancers/<id>/stats, /listeners/<id>/stats). */
export interface LbStatsCounters {
  bytes_in: number;
  bytes_out: number;
  active_connections: number;
  total_connections: number;
  request_errors: number;
}

export interface LbStats extends LbStatsCounters {
  listeners: Record<string, LbStatsCounters>;
}

export const ZERO_LB_COUNTERS: LbStatsCounters = { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 };

const counters = (v: unknown): LbStatsCounters => {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const n = (k: keyof LbStatsCounters) => (typeof o[k] === 'number' && Number.isFinite(o[k]) ? (o[k] as number) : 0);
  return { bytes_in: n('bytes_in'), bytes_out: n('bytes_out'), active_connections: n('active_connections'), total_connections: n('total_connections'), request_errors: n('request_errors') };
};

/**
 * The load balancers' statistics: a JetStream KV bucket (one entry per load
 * balancer, last value only). Not in the log: counters are not facts to
 * replay. The agent puts (at most every few seconds, only when changed) and
 * deletes the key with the load balancer; readers get zeros when absent.
 */
export class LbaasStatsBucket {
  private constructor(private readonly kv: KV) {}

  static async open(ctx: StoreContext, replicas: number): Promise<LbaasStatsBucket> {
    return new LbaasStatsBucket(await ctx.js.views.kv(LBAAS_STATS_BUCKET, { history: 1, storage: StorageType.File, replicas }));
  }

  async put(lbId: string, stats: LbStats): Promise<void> {
    await this.kv.put(lbId, JSON.stringify(stats));
  }

  async get(lbId: string): Promise<LbStats> {
    const e = await this.kv.get(lbId);
    if (!e || e.operation !== 'PUT' || !e.value.length) return { ...ZERO_LB_COUNTERS, listeners: {} };
    let raw: Record<string, unknown>;
    try {
      raw = e.json();
    } catch {
      return { ...ZERO_LB_COUNTERS, listeners: {} };
    }
    const listeners: Record<string, LbStatsCounters> = {};
    for (const [id, v] of Object.entries((raw.listeners ?? {}) as Record<string, unknown>)) listeners[id] = counters(v);
    return { ...counters(raw), listeners };
  }

  async delete(lbId: string): Promise<void> {
    await this.kv.delete(lbId);
  }
}
