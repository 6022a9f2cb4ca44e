import { isAdmin, notFound, policyDenied, presentRouter } from '@neutrino/domain';
import type { AgentsService } from '../agents/agents.service';
import type { RequestContext } from '../http/request-context';
import { ROUTER } from '../read/kinds';
import type { Reader } from '../read/reader';

/** Which l3-agents carry a router, and which routers an l3-agent carries (admin only, as Zed's policy). */
export class L3AgentsView {
  constructor(
    private readonly reader: Reader,
    private readonly agents: AgentsService,
  ) {}

  async agentsOfRouter(ctx: RequestContext, routerId: string): Promise<Record<string, unknown>> {
    if (!isAdmin(ctx.actor)) throw policyDenied('rule:get_l3-agents');
    const router = this.reader.visible<{ ha: boolean }>(ROUTER, routerId, ctx.actor).value;
    const placement = this.reader.model.placements.get(routerId);
    const hosts = placement?.hosts ?? [];
    const agents = (await this.agents.l3Agents()).filter((a) => hosts.includes(a.host as string));
    return {
      agents: agents.map((a) => ({ ...a, ha_state: router.ha ? (placement?.ha_states[a.host as string] ?? 'standby') : null })),
    };
  }

  async routersOfAgent(ctx: RequestContext, agentId: string): Promise<Record<string, unknown>> {
    if (!isAdmin(ctx.actor)) throw policyDenied('rule:get_l3-routers');
    const agent = (await this.agents.l3Agents()).find((a) => a.id === agentId);
    if (!agent) throw notFound('AgentNotFound', `Agent ${agentId} could not be found.`);
    const model = this.reader.model;
    const routers = [...model.routers.values()]
      .filter((r) => model.placements.get(r.value.id)?.hosts.includes(agent.host as string))
      .map((r) => presentRouter(r.value, ctx.actor));
    return { routers };
  }
}
