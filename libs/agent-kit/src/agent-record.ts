/** What `GET /v2.0/agents` shows of an agent: the domain's record (its events are the domain's `AgentEventData`). */
export type { AgentRecord } from '@neutrino/domain';

/** The heartbeat value an agent keeps in the KV bucket (expires after the bucket TTL). */
export interface AgentHeartbeat {
  id: string;
  host: string;
  binary: string;
  heartbeat_timestamp: string;
  started_at: string;
  configurations: Record<string, unknown>;
  /** the agent has applied the log up to the head it saw at start */
  synced: boolean;
  /** the last stream sequence folded into the agent's view */
  applied_seq: number;
  /** the convergence barrier: every event up to it is in the dataplane (absent from agents before it) */
  reconciled_seq?: number;
  last_changes: number;
}

export const AGENTS_BUCKET = 'neutrino-agents';
