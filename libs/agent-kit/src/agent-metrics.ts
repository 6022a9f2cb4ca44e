import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Per-agent reconcile metrics, registered in the process's registry. */
export class AgentMetrics {
  readonly reconciles: Counter<'reason'>;
  readonly changes: Counter<'reason'>;
  readonly lastChanges: Gauge;
  readonly duration: Histogram<'reason'>;
  readonly appliedSeq: Gauge;
  readonly reconciledSeq: Gauge;
  readonly errors: Counter<'stage'>;
  readonly lag: Gauge;

  /** `lag`: events in the stream not yet in the dataplane, asked when scraped. */
  constructor(registry: Registry, lag?: () => Promise<number>) {
    const registers = [registry];
    this.reconciles = new Counter({ name: 'neutrino_agent_reconciles_total', help: 'Reconciles run, by reason', labelNames: ['reason'], registers });
    this.changes = new Counter({ name: 'neutrino_agent_changes_applied_total', help: 'Dataplane changes applied, by reason', labelNames: ['reason'], registers });
    this.lastChanges = new Gauge({ name: 'neutrino_agent_last_reconcile_changes', help: 'Changes applied by the last reconcile', registers });
    this.duration = new Histogram({
      name: 'neutrino_agent_reconcile_duration_seconds', help: 'observe + diff + apply time', labelNames: ['reason'], registers,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    this.appliedSeq = new Gauge({ name: 'neutrino_agent_applied_sequence', help: 'Last log sequence folded into the host view', registers });
    this.reconciledSeq = new Gauge({ name: 'neutrino_agent_reconciled_sequence', help: 'Log sequence up to which every event is in the dataplane (the convergence barrier)', registers });
    this.errors = new Counter({ name: 'neutrino_agent_reconcile_errors_total', help: 'Reconciles that failed, by stage: apply (a change the host refused), sideplane, reconcile (an exception)', labelNames: ['stage'], registers });
    this.lag = new Gauge({
      name: 'neutrino_agent_lag_events', help: 'Events in the stream after the reconciled sequence (asked when scraped)', registers,
      async collect() {
        if (lag) this.set(await lag().catch(() => NaN));
      },
    });
  }
}
