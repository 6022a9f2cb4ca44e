import {
  HA_CIDR, HA_OWNER, chooseL3Hosts, routerDecider, haNetworkName, haPortName, haSubnetName, httpBadRequest, invalidL3Agent, isAdmin, notFound, policyDenied,
  routerNotFound, type Actor, type Network, type Router, type Subnet,
} from '@neutrino/domain';
import type { AgentsService } from '../agents/agents.service';
import type { RequestContext } from '../http/request-context';
import type { Reader } from '../read/reader';
import type { CommandHandler } from '../write/command-handler';
import { aggregate, routerState } from '../write/states';
import type { NetworksService } from './networks.service';
import type { ServicePorts } from './service-ports';
import type { SubnetsService } from './subnets.service';

/**
 * Places routers on l3-agents: alive, admin-up L3 agents, least loaded
 * first, two for an HA router (router.scheduled {hosts}). A router that
 * finds no agent stays unscheduled; every later command on it (update,
 * interface add/remove) tries again. Once placed, the router's ports are
 * bound to its first host, and an HA router gets its project's HA network
 * and one ha- port per host.
 */
export class RouterScheduler {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    private readonly ports: ServicePorts,
    private readonly agents: AgentsService,
    private readonly networks: () => NetworksService,
    private readonly subnets: () => SubnetsService,
    private readonly removePort: (ctx: RequestContext, id: string) => Promise<void> = async () => undefined,
  ) {}

  /**
   * POST /v2.0/agents/<id>/l3-routers {"router_id"} (admin): the router runs on that l3-agent's host —
   * one more for an HA router (its ha- port made), the only one for a router that runs nowhere; a
   * legacy router on another agent is RouterHostedByL3Agent. Zed's order: the router, the agent, the
   * agent's type and admin state.
   */
  async addToAgent(ctx: RequestContext, agentId: string, raw: unknown): Promise<null> {
    if (!isAdmin(ctx.actor)) throw policyDenied('rule:create_l3-router');
    const routerId = (raw as { router_id?: unknown } | null)?.router_id;
    if (typeof routerId !== 'string') throw httpBadRequest("Invalid input: the body must be {\"router_id\": \"<router id>\"}.");
    const model = this.reader.model;
    const router = model.routers.get(routerId)?.value;
    if (!router) throw routerNotFound(routerId);
    const agent = await this.agent(agentId);
    if (agent.agent_type !== 'L3 agent' || !agent.admin_state_up) throw invalidL3Agent(agentId);
    const agents = await this.agents.l3Agents();
    const agentOfHost = (host: string) => (agents.find((a) => a.host === host)?.id as string) ?? host;
    await this.handler.handle(ctx, {
      aggregate: aggregate('router', routerId),
      load: () => routerState(model, routerId, ctx.actor),
      decide: (s) => routerDecider.decide({ type: 'AddRouterToAgent', host: agent.host as string, agentOfHost }, s),
    });
    await this.place(ctx, router, model.placements.get(routerId)?.hosts ?? []);
    return null;
  }

  /** DELETE /v2.0/agents/<id>/l3-routers/<router> (admin): off that host (an HA router's ha- port there deleted). */
  async removeFromAgent(ctx: RequestContext, agentId: string, routerId: string): Promise<void> {
    if (!isAdmin(ctx.actor)) throw policyDenied('rule:delete_l3-router');
    const agent = await this.agent(agentId);
    const model = this.reader.model;
    await this.handler.handle(ctx, {
      aggregate: aggregate('router', routerId),
      load: () => routerState(model, routerId, ctx.actor),
      decide: (s) => routerDecider.decide({ type: 'RemoveRouterFromAgent', host: agent.host as string }, s),
    });
    for (const p of model.portsOfDevice(routerId)) {
      if (p.device_owner === HA_OWNER && p['binding:host_id'] === agent.host) await this.removePort(ctx, p.id);
    }
  }

  /**
   * allow_automatic_l3agent_failover: every legacy router whose only l3-agent is dead moves to the
   * least loaded alive, enabled one (its ports bound there); none alive leaves it where it is. HA
   * routers have keepalived for that. Returns how many moved.
   */
  async rescheduleFromDeadAgents(ctx: RequestContext): Promise<number> {
    const loads = await this.loads();
    const dead = new Set(loads.filter((a) => !a.alive).map((a) => a.host));
    if (!dead.size) return 0;
    const model = this.reader.model;
    let moved = 0;
    for (const [routerId, placement] of [...model.placements.entries()]) {
      const router = model.routers.get(routerId)?.value;
      if (!router || router.ha || placement.hosts.length !== 1 || !dead.has(placement.hosts[0])) continue;
      const [to] = chooseL3Hosts(loads, false);
      if (!to) return moved;
      const from = placement.hosts[0];
      await this.handler.handle(ctx, {
        aggregate: aggregate('router', routerId),
        load: () => routerState(model, routerId, ctx.actor),
        decide: (s) => routerDecider.decide({ type: 'RescheduleRouter', from, to }, s),
      });
      const load = loads.find((l) => l.host === to);
      if (load) load.routers++;
      await this.place(ctx, router, model.placements.get(routerId)?.hosts ?? []);
      moved++;
    }
    return moved;
  }

  private async agent(agentId: string): Promise<Record<string, unknown>> {
    const agent = await this.agents.byId(agentId);
    if (!agent) throw notFound('AgentNotFound', `Agent ${agentId} could not be found.`);
    return agent;
  }

  async schedule(ctx: RequestContext, routerId: string): Promise<void> {
    const model = this.reader.model;
    const router = model.routers.get(routerId);
    if (!router) return;
    let hosts = model.placements.get(routerId)?.hosts ?? [];
    if (!hosts.length) {
      hosts = chooseL3Hosts(await this.loads(), router.value.ha);
      if (!hosts.length) return;
      const chosen = hosts;
      await this.handler.handle(ctx, {
        aggregate: aggregate('router', routerId),
        load: () => routerState(model, routerId, ctx.actor),
        // Scheduled meanwhile by another command: keep that placement.
        decide: (s) => (model.placements.get(routerId)?.hosts.length ? [] : routerDecider.decide({ type: 'ScheduleRouter', hosts: chosen }, s)),
      });
      hosts = model.placements.get(routerId)?.hosts ?? hosts;
    }
    await this.place(ctx, router.value, hosts);
  }

  /** The host a new port of the router is bound to ('' while unscheduled). */
  hostOf(routerId: string): string {
    return this.reader.model.placements.get(routerId)?.hosts[0] ?? '';
  }

  /**
   * Binds the router's ports to its first host — unless they are bound to one of
   * its hosts already: an HA router's active member rebinds them to itself on
   * failover, and a later router command must not move them back.
   */
  private async place(ctx: RequestContext, router: Router, hosts: string[]): Promise<void> {
    for (const p of this.reader.model.portsOfDevice(router.id)) {
      if (p.device_owner !== HA_OWNER && !hosts.includes(p['binding:host_id'])) await this.ports.bind(ctx, p.id, hosts[0]);
    }
    if (router.ha) await this.ensureHaPorts(ctx, router, hosts);
  }

  private async loads() {
    const counts = new Map<string, number>();
    for (const p of this.reader.model.placements.values()) for (const h of p.hosts) counts.set(h, (counts.get(h) ?? 0) + 1);
    return (await this.agents.l3Agents()).map((a) => ({
      host: a.host as string, alive: a.alive as boolean, admin_state_up: a.admin_state_up as boolean, routers: counts.get(a.host as string) ?? 0,
    }));
  }

  private async ensureHaPorts(ctx: RequestContext, router: Router, hosts: string[]): Promise<void> {
    const { network, subnet } = await this.haNetwork(ctx, router.project_id);
    const have = this.reader.model.portsOfDevice(router.id).filter((p) => p.device_owner === HA_OWNER).map((p) => p['binding:host_id']);
    for (const host of hosts.filter((h) => !have.includes(h))) {
      await this.ports.create(ctx, {
        network, project: '', device_id: router.id, device_owner: HA_OWNER, ips: [{ subnet_id: subnet.id }], host, name: haPortName(router.project_id),
      });
    }
  }

  /** The project's HA network (Zed: "HA network tenant <project>", owned by tenant '' so the project does not see it), made on first use. */
  private async haNetwork(ctx: RequestContext, project: string): Promise<{ network: Network; subnet: Subnet }> {
    const model = this.reader.model;
    const find = () => [...model.networks.values()].map((v) => v.value).find((n) => n.project_id === '' && n.name === haNetworkName(project));
    let network = find();
    const system: RequestContext = { ...ctx, actor: { user_id: ctx.actor.user_id, project_id: ctx.actor.project_id, roles: ['admin'] } as Actor };
    if (!network) {
      await this.networks().create(system, { network: { name: haNetworkName(project), tenant_id: '' } });
      network = find()!;
    }
    let [subnet] = model.subnetsOf(network.id);
    if (!subnet) {
      await this.subnets().create(system, {
        subnet: { network_id: network.id, name: haSubnetName(project), cidr: HA_CIDR, ip_version: 4, enable_dhcp: false, gateway_ip: null, tenant_id: '' },
      });
      [subnet] = model.subnetsOf(network.id);
    }
    return { network, subnet };
  }
}
