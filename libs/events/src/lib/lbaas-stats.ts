import { StorageType, type KV } from 'nats';
import type { StoreContext } from './context';
import { encodeKvKey } from './kv-key';

/** The KV bucket the lbaas-agents write their load balancers' counters to (not the log: they change all the time). */
export const LBAAS_STATS_BUCKET = 'neutrino_lbaas_stats';

/** HAProxy's counters of one frontend, or their sum over a load balancer's frontends. */
export interface LbaasCounters {
  bytes_in: number;
  bytes_out: number;
  active_connections: number;
  total_connections: number;
  request_errors: number;
}

/** A load balancer's stats: the sums, and each listener's own. */
export interface LbaasStats extends LbaasCounters {
  listeners: Record<string, LbaasCounters>;
}

/** Typed access to `neutrino_lbaas_stats`: key = load balancer id, value = its stats as JSON (the last only). */
export class LbaasStatsBucket {
  private constructor(private readonly kv: KV) {}

  static async open(ctx: StoreContext, replicas: number): Promise<LbaasStatsBucket> {
    return new LbaasStatsBucket(await ctx.js.views.kv(LBAAS_STATS_BUCKET, { history: 1, storage: StorageType.File, replicas }));
  }

  async put(loadbalancerId: string, stats: LbaasStats): Promise<void> {
    await this.kv.put(encodeKvKey(loadbalancerId), JSON.stringify(stats));
  }

  async get(loadbalancerId: string): Promise<LbaasStats | null> {
    const e = await this.kv.get(encodeKvKey(loadbalancerId));
    return e && e.operation === 'PUT' ? (e.json() as LbaasStats) : null;
  }

  async delete(loadbalancerId: string): Promise<void> {
    await this.kv.delete(encodeKvKey(loadbalancerId));
  }
}
