/** Zed's l3 scheduler, least-routers flavour: alive, admin-up L3 agents, the least loaded first; two for HA routers. */

export interface L3AgentLoad {
  host: string;
  alive: boolean;
  admin_state_up: boolean;
  /** How many routers the agent carries now. */
  routers: number;
}

export const HA_AGENTS = 2;

/** The hosts to carry the router (empty: none alive yet; the router waits for one). */
export function chooseL3Hosts(agents: L3AgentLoad[], ha: boolean): string[] {
  const eligible = agents
    .filter((a) => a.alive && a.admin_state_up)
    .sort((a, b) => a.routers - b.routers || a.host.localeCompare(b.host));
  return eligible.slice(0, ha ? HA_AGENTS : 1).map((a) => a.host);
}
