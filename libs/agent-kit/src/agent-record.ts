/**
 * What `GET /v2.0/agents` shows of an agent; registered in the log, alive through its heartbeat.
 * The event catalogue is the domain's (`AgentEventData` in libs/domain/src/agent/events.ts); the
 * agent kit is infrastructure and may not import the domain, so the record's shape is repeated
 * here and the services check at compile time that the two stay one (l3-agent agent-events spec).
 */
export interface AgentRecord {
  id: string;
  agent_type: string;
  binary: string;
  host: string;
  topic: string;
  description: string;
  admin_state_up: boolean;
  configurations: Record<string, unknown>;
  created_at: string;
  started_at: string;
}

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
  applied_seq: number;
  last_changes: number;
}

export const AGENTS_BUCKET = 'neutrino-agents';
