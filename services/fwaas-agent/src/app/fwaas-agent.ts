import { createAgent, createDriver, type Agent, type AgentDeps } from '@neutrino/agent-kit';
import type { HostState, ReconcileResult } from '@neutrino/dataplane';
import type { EventStore } from '@neutrino/events';
import { FWAAS_AGENT_BINARY, FWAAS_AGENT_TYPE } from '@neutrino/naming';
import type { FwaasConfig } from '../config/fwaas-config';
import { fwaasDesired, routerFirewalls, type RouterFirewall } from '../desired/fwaas-desired';
import { FwaasView } from '../view/fwaas-view';
import { acceptLines, forgetRemovedAccepts, type Run } from './conntrack';
import { fwaasOwnership } from './fwaas-ownership';
import { fwaasReports } from './fwaas-reports';

export interface FwaasAgentDeps extends AgentDeps {
  /** runs `conntrack -D` (default: the real program with the linux driver, nothing with the memory one) */
  conntrack?: Run;
}
export type FwaasAgent = Agent<FwaasView>;

/**
 * The fwaas-agent of one (network) host: in the `qrouter-` namespaces the l3-agent made here, the
 * chains of the firewall groups on their interface ports (spec/fwaas.md §5) and only those; the
 * status of each group back into the API once applied (firewall.group_applied).
 */
export function createFwaasAgent(store: EventStore, cfg: FwaasConfig, deps: FwaasAgentDeps): FwaasAgent {
  const view = new FwaasView(cfg.host);
  const configurations: Record<string, unknown> = { routers: 0, firewall_groups: 0 };
  let routers: RouterFirewall[] = [];
  let accepts = new Set<string>();
  let pending = new Set<string>();
  const conntrack: Run | undefined = deps.conntrack ?? (cfg.driver === 'linux' ? undefined : async () => undefined);
  return createAgent(
    store,
    {
      agentType: FWAAS_AGENT_TYPE,
      binary: FWAAS_AGENT_BINARY,
      topic: 'firewall_agent',
      host: cfg.host,
      configurations,
      view,
      desired: (v): HostState => {
        routers = routerFirewalls(v, cfg.netnsPrefix);
        const state = fwaasDesired(routers);
        pending = acceptLines(state);
        return state;
      },
      scope: { ownership: fwaasOwnership() },
      driver: deps.driver ?? createDriver(cfg.driver, { hostNetns: cfg.hostNetns, dataDir: deps.dataDir, agent: 'fwaas', host: cfg.host }),
      report: (v, _desired, result) => {
        configurations.routers = routers.length;
        configurations.firewall_groups = new Set(routers.flatMap((r) => r.groups.map((g) => g.id))).size;
        return fwaasReports(v, routers, result);
      },
      afterReconcile: async (result: ReconcileResult) => {
        if (result.applied.failed) return;
        const before = accepts;
        accepts = pending;
        await forgetRemovedAccepts(before, accepts, conntrack);
      },
    },
    { logger: deps.logger, registry: deps.registry, resyncMs: deps.resyncMs, heartbeatTtlMs: deps.heartbeatTtlMs, coalesceMs: deps.coalesceMs },
  );
}
