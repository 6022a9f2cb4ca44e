import type { Port } from '../model';
import type { RouterPlacement } from '../router/evolve';

/** What `GET /v2.0/agents` shows of an agent; registered in the log (evt.agent.<id>), alive through its heartbeat. */
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

/**
 * The events of host agents (evt.agent.<id>): an agent registers once (restarts
 * reuse the record, appended with expected subject sequence 0), an operator
 * updates (admin_state_up, description) or deletes it; after a deletion the
 * agent registers again, expecting the sequence of the deletion.
 */
export interface AgentEventData {
  'agent.registered': { agent: AgentRecord };
  'agent.updated': { changes: Partial<Pick<AgentRecord, 'admin_state_up' | 'description'>> };
  'agent.deleted': { agent_id: string };
}

export type AgentEventType = keyof AgentEventData;

/** An event an agent decides to append: its type and data, typed by the catalogue. */
export type Decided<K extends string, D> = { type: K; data: D };

/**
 * The active member of an HA router takes the router's interface and gateway
 * ports (spec/l2.md §7.5): a binding change of the port to this host, or
 * nothing when the port is gone, no longer the router's or bound here already.
 */
export function decideHaPortBinding(port: Port | undefined, routerId: string, host: string): Decided<'port.updated', { changes: Partial<Port> }> | null {
  if (!port || port.device_id !== routerId || port['binding:host_id'] === host) return null;
  return { type: 'port.updated', data: { changes: { 'binding:host_id': host } } };
}

/** An l3-agent's report of its keepalived's VRRP state; nothing when the router is gone or the state is already what the log says. */
export function decideHaStateReport(
  exists: boolean,
  placement: RouterPlacement | undefined,
  routerId: string,
  host: string,
  haState: 'active' | 'standby' | 'unknown',
): Decided<'router.ha_state_reported', { router_id: string; host: string; ha_state: 'active' | 'standby' | 'unknown' }> | null {
  if (!exists || placement?.ha_states[host] === haState) return null;
  return { type: 'router.ha_state_reported', data: { router_id: routerId, host, ha_state: haState } };
}
