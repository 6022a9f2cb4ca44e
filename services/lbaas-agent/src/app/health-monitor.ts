import * as path from 'node:path';
import type { AgentSource, SourceContext } from '@neutrino/agent-kit';
import { decideHealthReport } from '@neutrino/domain';
import type { LbStats } from '@neutrino/events';
import type { Logger } from '@neutrino/observability';
import { servedListeners } from '../desired/haproxy-config';
import type { LbaasView } from '../view/lbaas-view';
import { lbStats, memberHealth, parseShowStat, showStat } from './haproxy-stats';
import { asReport } from './lbaas-reports';

/** Where the stats go (the `neutrino_lbaas_stats` bucket; a map in tests). */
export interface StatsSink {
  put(lbId: string, stats: LbStats): Promise<void>;
}

export interface HealthMonitorOptions {
  logger: Logger;
  pollMs: number;
  /** `<dataDir>/lbaas/v2`: each HAProxy's socket is `<confRoot>/<lb_id>/sock` */
  confRoot: string;
  stats?: () => Promise<StatsSink>;
  /** the stats of a load balancer are written at most this often (default 5 s) */
  statsEveryMs?: number;
  read?: (socketPath: string) => Promise<string>;
}

/**
 * Reads every HAProxy of this host through its stats socket: members whose
 * health changed are reported (loadbalancer.health_reported, decided by the
 * domain on the view's tree, appended at the subject's sequence), and the
 * frontends' counters are written to the stats bucket when they changed, at
 * most every `statsEveryMs`. A source of the agent's runner: polled every
 * `pollMs` after the first reconcile.
 */
export class LbHealthMonitor implements AgentSource {
  private ctx?: SourceContext;
  private sink?: StatsSink;
  private readonly written = new Map<string, { json: string; at: number }>();

  constructor(
    private readonly view: LbaasView,
    private readonly opts: HealthMonitorOptions,
  ) {}

  get pollMs(): number {
    return this.opts.pollMs;
  }

  async start(ctx: SourceContext): Promise<void> {
    this.ctx = ctx;
    this.sink = await this.opts.stats?.();
  }

  async poll(): Promise<void> {
    const read = this.opts.read ?? showStat;
    for (const tree of this.view.hosted()) {
      const lb = tree.loadbalancer;
      if (lb.provisioning_status === 'PENDING_DELETE' || !servedListeners(tree).length) continue;
      let rows;
      try {
        rows = parseShowStat(await read(path.join(this.opts.confRoot, lb.id, 'sock')));
      } catch (err) {
        this.opts.logger.debug({ err, loadbalancer: lb.id }, 'stats socket not readable (yet)');
        continue;
      }
      const health = decideHealthReport(tree, this.view.host, memberHealth(rows));
      if (health && this.ctx) await this.ctx.report(asReport(this.view, lb.id, health));
      await this.writeStats(lb.id, lbStats(rows));
    }
  }

  private async writeStats(lbId: string, stats: LbStats): Promise<void> {
    if (!this.sink) return;
    const json = JSON.stringify(stats);
    const last = this.written.get(lbId);
    const now = Date.now();
    if (last && (last.json === json || now - last.at < (this.opts.statsEveryMs ?? 5000))) return;
    await this.sink.put(lbId, stats);
    this.written.set(lbId, { json, at: now });
  }
}
