import type { AgentHealth } from './agent-runner';
import type { HostView, Report } from './host-view';

/**
 * What a source may ask of the runner that drives it.
 */
export interface SourceContext {
  /** Schedule a reconcile (coalesced with whatever else is pending, diffed against the installed state). */
  reconcile(): void;
  /** Append reports through the runner, as the definition's own: each state once, with the agent as the actor. */
  report(reports: Report[]): Promise<void>;
}

/**
 * Work of an agent beside the log's tail that its runner drives: a probe of the
 * host (keepalived's VIP state), a sync through an API (the DHCP ports). The
 * runner starts each source after its first reconcile — the view has caught up
 * with the log and the host converged once — and stops them, in reverse
 * order, before it stops itself.
 */
export interface AgentSource {
  /** After the first reconcile (awaited: a source that cannot start fails the agent's start). */
  start?(ctx: SourceContext): void | Promise<void>;
  /** Before the runner stops: end what runs. */
  stop?(): Promise<void>;
  /** A probe: every `pollMs` (0 or none: never) the runner calls poll(), never two at once. */
  readonly pollMs?: number;
  poll?(): Promise<void>;
  /** Resolves once what the source has scheduled so far is done (the agent's settled() waits for it). */
  settled?(): Promise<void>;
}

/** An agent's sources by name. */
export type AgentSources = Record<string, AgentSource>;

/**
 * One agent of a host, whatever its type: built by its service's
 * `createXxxAgent(store, cfg, deps)` from an AgentDefinition (createAgent).
 */
export interface Agent<V extends HostView = HostView, S extends AgentSources = AgentSources> {
  /** The agent's id (a name-based UUID of host and binary). */
  readonly id: string;
  /** What of the topology lands on this host, built from the log. */
  readonly view: V;
  /** The definition's sources, by name. */
  readonly sources: S;
  /** The last log sequence folded into the view. */
  readonly applied: number;
  /** Changes the last reconcile applied (-1 before the first). */
  readonly changesOfLastReconcile: number;
  /** Caught up, reconciled, connected (GET /healthz). */
  health(): AgentHealth;
  /** Register, replay, reconcile once, start the sources, follow the tail. */
  start(): Promise<void>;
  /** Stop the sources, then the tail, timers and reconciles. */
  stop(): Promise<void>;
  /** Resolves once what the sources and the tail scheduled so far is done. */
  settled(): Promise<void>;
}
