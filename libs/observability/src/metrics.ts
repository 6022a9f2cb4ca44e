import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics a Neutrino process exposes. Each process has its own
 * registry with the default process metrics (RSS, CPU, event-loop lag).
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'neutrino_http_requests_total',
    help: 'API requests by route, method and status code',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });

  readonly httpLatency = new Histogram({
    name: 'neutrino_http_request_duration_seconds',
    help: 'API request latency by route, method and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly appendLatency = new Histogram({
    name: 'neutrino_event_append_duration_seconds',
    help: 'Time to append events to the JetStream log',
    labelNames: ['aggregate'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1],
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: 'neutrino_projection_lag_events',
    help: 'Events in the log not yet applied to this projection',
    labelNames: ['projection'],
    registers: [this.registry],
  });

  readonly projectionSeq = new Gauge({
    name: 'neutrino_projection_applied_sequence',
    help: 'Last stream sequence applied to this projection',
    labelNames: ['projection'],
    registers: [this.registry],
  });

  readonly rpcLatency = new Histogram({
    name: 'neutrino_rpc_duration_seconds',
    help: 'NATS request/reply latency by subject and outcome',
    labelNames: ['subject', 'outcome'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
