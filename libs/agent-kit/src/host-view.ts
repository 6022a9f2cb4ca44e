import type { StoredEvent } from '@neutrino/events';

/**
 * What of the topology lands on one host, built from the log event by event.
 * apply() returns whether the event changed anything this host cares about;
 * only then is a reconcile scheduled.
 */
export interface HostView {
  apply(e: StoredEvent): boolean;
  /** A serialisable copy for snapshots (optional). */
  snapshot?(): unknown;
  restore?(state: unknown): void;
}

/** An event an agent reports back to the log (port status, HA state, member health …). */
export interface Report {
  aggregate: { type: string; id: string };
  type: string;
  data: unknown;
  /**
   * Append only if the aggregate's subject is still at this sequence (the state the report was decided on);
   * on a conflict the report is dropped — the event that came in between reaches the view and the agent decides again.
   */
  expectedSubjectSeq?: number;
}
