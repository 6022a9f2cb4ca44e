import { intSetting } from '@neutrino/config';
import { InstalledState, isDesiredObjects, reconcile, scopeFor, type DesiredObjects, type Driver, type HostState, type ReconcileResult, type Scope } from '@neutrino/dataplane';
import { ConcurrencyError, type EventStore, type Follower, type HeartbeatBucket, type StoredEvent } from '@neutrino/events';
import type { Logger } from '@neutrino/observability';
import type { Registry } from 'prom-client';
import type { Agent, AgentSource, AgentSources, SourceContext } from './agent';
import { agentId } from './agent-identity';
import { AgentMetrics } from './agent-metrics';
import { AGENTS_BUCKET, type AgentHeartbeat, type AgentRecord } from './agent-record';
import { Coalescer } from './coalescer';
import { InstalledStateFile } from './installed-file';
import type { HostView, Report } from './host-view';


/** At most one heartbeat for the convergence barrier per this many ms (a burst of events is one put, sent at most this late). */
const BARRIER_BEAT_MS = 20;
export interface AgentDefinition<V extends HostView, S extends AgentSources = AgentSources> {
  agentType: string;
  binary: string;
  topic: string;
  host: string;
  configurations: Record<string, unknown>;
  view: V;
  /**
   * The host's whole desired dataplane for the current view (pure), or the agent's own objects of it
   * with the keys its events since the last call touched (then a reconcile costs what they touched).
   */
  desired(view: V): HostState | DesiredObjects;
  scope: Scope;
  driver: Driver;
  /** Events to report after a reconcile (e.g. ports now wired → ACTIVE), from what was applied and what could not be. */
  report?(view: V, desired: HostState | DesiredObjects, result: ReconcileResult): Report[];
  /** Subjects to follow (default evt.>). */
  filter?: string;
  /** Work that follows from what was applied and is not state (e.g. ending connections a removed rule allowed). */
  afterReconcile?(result: ReconcileResult): Promise<void>;
  /**
   * A second dataplane of the host beside the kernel's (the openvswitch mechanism's OVSDB and flows),
   * made equal to the view after each kernel reconcile by its own observe-and-diff; returns the
   * changes it applied (counted with the kernel's). A throw is logged and retried like a failed apply.
   */
  sideplane?(view: V): Promise<number>;
  /** Work beside the log's tail the runner drives (a probe of the host, a sync through an API): started after the first reconcile, stopped first. */
  sources?: S;
}

/** What GET /healthz of an agent answers (200 when status is ok, else 503). */
export interface AgentHealth {
  status: 'ok' | 'starting' | 'failing';
  agent_id: string;
  host: string;
  binary: string;
  nats_connected: boolean;
  applied_seq: number;
  reconciled_seq: number;
  last_reconcile: { at: string; ok: boolean; changes: number; error?: string } | null;
}

export interface AgentOptions {
  logger: Logger;
  registry?: Registry;
  /** Periodic observe-and-diff that repairs drift made by others (default NEUTRINO_AGENT_RESYNC_INTERVAL_MS; 0 = off). */
  resyncMs?: number;
  heartbeatMs?: number;
  heartbeatTtlMs?: number;
  /** Pause that turns a burst of events into one reconcile (default 10 ms). */
  coalesceMs?: number;
  /**
   * While something could not be wired (a device that is not there yet, like a
   * VM's tap the hypervisor has not plugged), look again after this pause,
   * doubling up to 64x (default 50 ms, so at most every 3.2 s) — a fallback: a driver that
   * reports link events (the linux driver's `ip monitor link`) makes the agent look at once.
   */
  retryMs?: number;
  /**
   * Where the installed state is kept between runs (none by default). Written after the host converged,
   * dropped before any change is applied; at start it stands in for the full observe when the driver's
   * identity of the host (boot, namespaces and their inodes) is the one it was written with — the agent
   * is ready at once and reads the host in full right after (a resync), repairing any drift.
   */
  installedStateFile?: string;
}

type Reason = 'start' | 'event' | 'resync' | 'retry';


/**
 * Builds an agent from its definition: what every service's `createXxxAgent(store, cfg, deps)` returns.
 */
/** What every createXxxAgent(store, cfg, deps) of a host agent with a dataplane takes beside its own extras. */
export interface AgentDeps {
  logger: Logger;
  registry?: Registry;
  dataDir: string;
  resyncMs?: number;
  heartbeatTtlMs?: number;
  /** pause that turns a burst of events into one reconcile (the kit's default: 10 ms) */
  coalesceMs?: number;
  /** default: createDriver(cfg.driver …) */
  driver?: Driver;
}

export function createAgent<V extends HostView, S extends AgentSources = AgentSources>(store: EventStore, def: AgentDefinition<V, S>, opts: AgentOptions): Agent<V, S> {
  return new AgentRunner(store, def, opts);
}

/**
 * The loop every agent runs: replay the log into the host view, then one
 * reconcile (observe → diff → apply) once the replay has reached the head
 * seen at start, then follow the tail — each relevant event schedules a
 * coalesced reconcile, diffed against the state it installed last (no read
 * of the host) — with a periodic resync that reads the host again and
 * repairs drift, status reports back to the log and a liveness heartbeat.
 * The definition's sources (probes, syncs) start after the first reconcile
 * and stop before the rest.
 */
export class AgentRunner<V extends HostView, S extends AgentSources = AgentSources> implements Agent<V, S> {
  readonly id: string;
  readonly view: V;
  readonly sources: S;
  private follower?: Follower;
  private heartbeats?: HeartbeatBucket;
  private timers: NodeJS.Timeout[] = [];
  private readonly coalescer: Coalescer;
  private reason: Reason = 'event';
  private appliedSeq = 0;
  private synced = false;
  private lastChanges = -1;
  private readonly startedAt = new Date().toISOString();
  private readonly metrics?: AgentMetrics;
  /** Reports already sent, by aggregate and type, so a state is reported once. */
  private readonly reported = new Map<string, string>();
  private retryTimer?: NodeJS.Timeout;
  /** The sequence of our agent.deleted when we must register again, else null. */
  private registration: number | null = null;
  private retries = 0;
  /** What this agent last installed on its host: the diff's other side between full observes. */
  private readonly installed = new InstalledState();
  private stopWatch?: () => void;
  /** whether the last reconcile found something desired missing (a device not plugged yet) */
  private missing = false;
  /** a link event came while something was missing: re-read the host's foreign devices before the next diff */
  private linksChanged = false;
  /** the start trusted a persisted installed state: the full observe follows at once */
  private trustedStart = false;
  /** inside reconcileOnce */
  private busy = false;
  /**
   * The convergence barrier's sequence: every event up to it is in the dataplane (its reconcile applied
   * without a failure), or needed nothing (the view called it irrelevant). Sent in the heartbeat as
   * `reconciled_seq` as soon as it moves (`neutrino wait`, GET /v2.0/agents' applied_seq).
   */
  private reconciledSeq = 0;
  /** a reconcile is triggered and has not started yet */
  private queued = false;
  /** a relevant event was folded while the running reconcile computed its desired state */
  private relevantSinceStart = false;
  private beatQueued = false;
  private lastBarrierBeat = 0;
  private readonly persisted?: InstalledStateFile;
  /** the sources' poll timers, and their polls running now */
  private sourceTimers: NodeJS.Timeout[] = [];
  private readonly polling = new Map<AgentSource, Promise<void>>();
  private sourcesStarted: AgentSource[] = [];
  /** the last reconcile's outcome, for health() */
  private lastReconcile?: { at: string; ok: boolean; changes: number; error?: string };
  /**
   * the last reconcile failed (an apply or the sideplane failed, or it threw): what it left unapplied is
   * not in place, so an irrelevant event folded before the next good reconcile must not move reconciled_seq
   */
  private failedSinceReconciled = false;

  constructor(
    private readonly store: EventStore,
    readonly def: AgentDefinition<V, S>,
    private readonly opts: AgentOptions,
  ) {
    this.id = agentId(def.host, def.binary);
    this.view = def.view;
    this.sources = def.sources ?? ({} as S);
    this.metrics = opts.registry ? new AgentMetrics(opts.registry, async () => Math.max(0, (await this.store.lastSeq()) - this.reconciledSeq)) : undefined;
    if (opts.installedStateFile) {
      this.persisted = new InstalledStateFile(opts.installedStateFile, this.id, this.installed, def.driver, def.scope.ownership, () => this.busy, opts.logger);
    }
    this.coalescer = new Coalescer(() => this.reconcileOnce(), opts.coalesceMs ?? 10, (err) => {
      this.metrics?.errors.inc({ stage: 'reconcile' });
      this.lastReconcile = { at: new Date().toISOString(), ok: false, changes: 0, error: String((err as Error)?.message ?? err) };
      this.failedSinceReconciled = true;
      opts.logger.error({ err }, 'reconcile failed');
    });
  }

  get applied(): number {
    return this.appliedSeq;
  }

  get changesOfLastReconcile(): number {
    return this.lastChanges;
  }

  /**
   * For a supervisor's or load balancer's health check (GET /healthz): healthy once the view has
   * caught up with the log and reconciled once, while connected to NATS and the last reconcile applied
   * everything it tried.
   */
  health(): AgentHealth {
    const connected = this.store.connected;
    const last = this.lastReconcile;
    const healthy = this.synced && !!last && last.ok && connected;
    return {
      status: healthy ? 'ok' : !this.synced || !last ? 'starting' : 'failing',
      agent_id: this.id, host: this.def.host, binary: this.def.binary, nats_connected: connected,
      applied_seq: this.appliedSeq, reconciled_seq: this.reconciledSeq, last_reconcile: last ?? null,
    };
  }

  async start(): Promise<void> {
    const { logger } = this.opts;
    await this.register();
    this.heartbeats = await this.store.heartbeats(AGENTS_BUCKET, this.opts.heartbeatTtlMs ?? intSetting('agentDownTimeMs'));
    const head = await this.store.lastSeq();
    const t0 = Date.now();
    this.appliedSeq = await this.store.replay({ fromSeq: 1, filter: this.def.filter, untilSeq: head }, (e) => void this.fold(e));
    this.appliedSeq = Math.max(this.appliedSeq, head);
    this.synced = true;
    logger.info({ head, replayMs: Date.now() - t0 }, 'host view caught up with the log');
    this.reason = 'start';
    this.coalescer.trigger();
    await this.coalescer.settled();
    // started from the persisted installed state: read the host in full now (drift is repaired at once, not at the timer)
    if (this.trustedStart) this.trigger('resync');
    // A device another program plugs (a VM's tap) is noticed from the kernel's link events, not only by the retry's polling.
    this.stopWatch = this.def.driver.watchLinks?.(() => {
      this.linksChanged = true;
      if (this.missing) this.trigger('event');
    });
    this.follower = this.store.follow({ fromSeq: this.appliedSeq + 1, filter: this.def.filter }, (batch) => this.onBatch(batch));
    const resync = this.opts.resyncMs ?? intSetting('agentResyncIntervalMs');
    if (resync > 0) this.timers.push(setInterval(() => this.trigger('resync'), resync));
    await this.beat();
    this.timers.push(setInterval(() => void this.beat().catch(() => undefined), this.opts.heartbeatMs ?? intSetting('agentReportIntervalMs')));
    await this.startSources();
  }

  async stop(): Promise<void> {
    await this.stopSources();
    this.stopWatch?.();
    clearTimeout(this.retryTimer);
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.follower?.stop();
    this.coalescer.stop();
    await this.coalescer.settled();
    await this.persisted?.flush();
  }

  /** Resolves once what the sources scheduled so far is done and everything scheduled so far has been reconciled. */
  async settled(): Promise<void> {
    for (const s of Object.values(this.sources)) await s.settled?.();
    await this.coalescer.settled();
  }

  trigger(reason: Reason): void {
    if (reason === 'resync' || this.reason === 'event') this.reason = reason;
    this.queued = true;
    this.coalescer.trigger();
  }

  private async startSources(): Promise<void> {
    const ctx: SourceContext = { reconcile: () => this.trigger('event'), report: (reports) => this.send(reports) };
    for (const [name, s] of Object.entries(this.sources)) {
      await s.start?.(ctx);
      this.sourcesStarted.push(s);
      const every = s.pollMs ?? 0;
      if (s.poll && every > 0) this.sourceTimers.push(setInterval(() => this.pollSource(name, s), every));
    }
  }

  /** One poll of a source, unless its last one still runs (a slow probe is not overtaken). */
  private pollSource(name: string, s: AgentSource): void {
    if (this.polling.has(s)) return;
    const running = s.poll!()
      .catch((err) => this.opts.logger.warn({ err, source: name }, 'source poll failed'))
      .finally(() => this.polling.delete(s));
    this.polling.set(s, running);
  }

  private async stopSources(): Promise<void> {
    for (const t of this.sourceTimers) clearInterval(t);
    this.sourceTimers = [];
    await Promise.all(this.polling.values());
    for (const s of this.sourcesStarted.splice(0).reverse()) await s.stop?.();
  }

  private fold(e: StoredEvent): boolean {
    // An operator deleted this agent (DELETE /v2.0/agents/<id>): it registers again, as Neutron's agents do on their next report.
    if (e.aggregate.type === 'agent' && e.aggregate.id === this.id) this.registration = e.type === 'agent.deleted' ? e.seq : null;
    const relevant = this.def.view.apply(e);
    this.appliedSeq = e.seq;
    return relevant;
  }

  private onBatch(batch: StoredEvent[]): void {
    let dirty = false;
    for (const e of batch) dirty = this.fold(e) || dirty;
    this.metrics?.appliedSeq.set(this.appliedSeq);
    if (dirty) {
      this.relevantSinceStart = true;
      this.trigger('event');
    } else if (!this.busy && !this.queued && !this.failedSinceReconciled) this.advanceReconciled(this.appliedSeq);
  }

  private async reconcileOnce(): Promise<void> {
    this.busy = true;
    try {
      await this.reconcileBody();
    } finally {
      this.busy = false;
    }
  }

  private async reconcileBody(): Promise<void> {
    const reason = this.reason;
    this.reason = 'event';
    this.queued = false;
    this.relevantSinceStart = false;
    const startSeq = this.appliedSeq;
    const t0 = process.hrtime.bigint();
    if (this.linksChanged && this.missing && this.installed.known && this.def.driver.observeHostLinks) {
      this.linksChanged = false;
      this.installed.refreshForeignLinks(await this.def.driver.observeHostLinks(), this.def.scope.ownership);
    }
    const cpu0 = process.cpuUsage();
    const td = performance.now();
    const desired = this.def.desired(this.def.view);
    const desiredMs = Math.round((performance.now() - td) * 10) / 10;
    // The host is read at start-up, on the resync timer, after a failed apply (the installed state is then unknown)
    // and when something desired was not there (a device another program plugs); otherwise the diff is against what was installed.
    // the scope names the desired namespaces: O(the whole state), so computed only when needed (trusting at start, persisting)
    let scope: Scope | undefined;
    const scopeOf = () => (scope ??= scopeFor(isDesiredObjects(desired) ? desired.state() : desired, this.def.scope));
    const tt = performance.now();
    const trusted = reason === 'start' && !!(await this.persisted?.trust(scopeOf()));
    const trustMs = Math.round(performance.now() - tt);
    if (reason === 'start') this.trustedStart = trusted;
    const result = await reconcile(this.def.driver, desired, this.def.scope, {
      installed: this.installed,
      observe: reason !== 'event' && !trusted,
      beforeApply: () => this.persisted?.drop(),
    });
    const converged = this.installed.known && !result.applied.failed && !result.unresolved.length;
    // written at once after a full observe, a second after an event's changes (a burst is written once)
    if (!converged || result.changes.length || result.observed) this.persisted?.reconciled(converged ? scopeOf : undefined, reason === 'event' ? 1000 : 0);
    let side = 0;
    let sideFailed = false;
    if (this.def.sideplane) {
      try {
        side = await this.def.sideplane(this.def.view);
      } catch (err) {
        sideFailed = true;
        this.opts.logger.warn({ err }, 'reconcile of the sideplane failed');
      }
    }
    const n = result.changes.length + side;
    this.lastChanges = n;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    this.metrics?.reconciles.inc({ reason });
    this.metrics?.changes.inc({ reason }, n);
    this.metrics?.lastChanges.set(n);
    this.metrics?.duration.observe({ reason }, seconds);
    const kinds: Record<string, number> = {};
    for (const c of result.changes) kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
    const cpu = process.cpuUsage(cpu0);
    // CPU time of the whole reconcile beside the wall times of its pieces (wall times are inflated on a shared machine)
    const cpuMs = Math.round((cpu.user + cpu.system) / 100) / 10;
    const log = { reason, changes: n, ...(this.def.sideplane ? { sideplane: side } : {}), observed: result.observed, failed: result.applied.failed, ms: Math.round(seconds * 1000), seq: this.appliedSeq, kinds, scoped: result.scoped, desiredMs, ...result.timings, cpuMs, ...(trusted ? { trusted, trustMs } : {}) };
    if (result.applied.failed) this.metrics?.errors.inc({ stage: 'apply' });
    if (sideFailed) this.metrics?.errors.inc({ stage: 'sideplane' });
    this.lastReconcile = {
      at: new Date().toISOString(), ok: !result.applied.failed && !sideFailed, changes: n,
      ...(result.applied.failed ? { error: result.applied.errors.map((e) => e.message).join('; ') } : sideFailed ? { error: 'the sideplane failed' } : {}),
    };
    if (result.applied.failed) this.opts.logger.warn({ ...log, errors: result.applied.errors.map((e) => e.message) }, `reconcile: applied ${n - result.applied.failed} of ${n} changes`);
    else if (n || reason === 'start' || reason === 'resync') this.opts.logger.info(log, `reconcile: applied ${n} changes`);
    if (n && this.def.afterReconcile) await this.def.afterReconcile(result);
    if (this.def.report) await this.send(this.def.report(this.def.view, desired, result));
    this.missing = result.unresolved.length > 0;
    // the barrier moves past what this reconcile applied (and past irrelevant events folded meanwhile); a device still
    // missing (a tap not plugged yet) does not hold it: what the log asked of the dataplane is in place
    this.failedSinceReconciled = !!result.applied.failed || sideFailed;
    if (!this.failedSinceReconciled) this.advanceReconciled(this.relevantSinceStart ? startSeq : this.appliedSeq);
    // a device that appeared while this reconcile ran: look again now
    if (this.missing && this.linksChanged) this.trigger('event');
    this.scheduleRetry(result.unresolved.length + result.applied.failed > 0 || sideFailed);
  }

  private scheduleRetry(needed: boolean): void {
    if (!needed) {
      // everything is in place: a retry still pending from an earlier reconcile would only observe the whole host again
      this.retries = 0;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      return;
    }
    if (this.retryTimer) return;
    const pause = (this.opts.retryMs ?? 50) * 2 ** Math.min(this.retries++, 6);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.trigger('retry');
    }, pause);
  }

  private async send(reports: Report[]): Promise<void> {
    for (const r of reports) {
      const key = `${r.aggregate.type}:${r.aggregate.id}:${r.type}`;
      const value = JSON.stringify(r.data);
      if (this.reported.get(key) === value) continue;
      const { expectedSubjectSeq, ...event } = r;
      try {
        await this.store.append(
          [{ ...event, actor: { user_id: `agent:${this.def.binary}@${this.def.host}`, project_id: null, roles: ['service'] }, request_id: null, causation_id: null }],
          expectedSubjectSeq === undefined ? undefined : { expectedSubjectSeq },
        );
      } catch (err) {
        if (expectedSubjectSeq === undefined || !(err instanceof ConcurrencyError)) throw err;
        this.opts.logger.debug({ aggregate: r.aggregate, type: r.type, expectedSubjectSeq }, 'report decided on a stale state: dropped, decided again on the newer one');
        continue;
      }
      this.reported.set(key, value);
    }
  }

  /** An agent is registered once (agent.registered on evt.agent.<id>); restarts reuse the record. */
  private async register(expectedSubjectSeq = 0): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const agent: AgentRecord = {
      id: this.id, agent_type: this.def.agentType, binary: this.def.binary, host: this.def.host, topic: this.def.topic,
      description: '', admin_state_up: true, configurations: this.def.configurations, created_at: now, started_at: now,
    };
    const actor = { user_id: `agent:${this.def.binary}@${this.def.host}`, project_id: null, roles: ['service'] };
    try {
      await this.store.append([{ type: 'agent.registered', aggregate: { type: 'agent', id: this.id }, actor, request_id: null, causation_id: null, data: { agent } }], {
        expectedSubjectSeq,
      });
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
    }
  }

  private advanceReconciled(seq: number): void {
    if (seq <= this.reconciledSeq) return;
    this.reconciledSeq = seq;
    this.metrics?.reconciledSeq.set(seq);
    if (this.beatQueued || !this.heartbeats) return;
    // every agent moves on every event (an irrelevant one too): one heartbeat per BARRIER_BEAT_MS at most, carrying the
    // sequence reached by then, rather than a KV put per event on every host
    this.beatQueued = true;
    const wait = Math.max(0, this.lastBarrierBeat + BARRIER_BEAT_MS - Date.now());
    setTimeout(() => {
      this.beatQueued = false;
      this.lastBarrierBeat = Date.now();
      // only the heartbeat: a registration an operator deleted comes back on the next report, as in Neutron
      void this.putHeartbeat().catch(() => undefined);
    }, wait).unref();
  }

  /** The convergence barrier's sequence (see reconciledSeq). */
  get reconciled(): number {
    return this.reconciledSeq;
  }

  private async beat(): Promise<void> {
    if (this.registration !== null) {
      await this.register(this.registration);
      this.registration = null;
    }
    await this.putHeartbeat();
  }

  private async putHeartbeat(): Promise<void> {
    const hb: AgentHeartbeat = {
      id: this.id, host: this.def.host, binary: this.def.binary, heartbeat_timestamp: new Date().toISOString(), started_at: this.startedAt,
      configurations: this.def.configurations, synced: this.synced, applied_seq: this.appliedSeq, reconciled_seq: this.reconciledSeq, last_changes: this.lastChanges,
    };
    await this.heartbeats?.put(this.id, hb);
  }
}
