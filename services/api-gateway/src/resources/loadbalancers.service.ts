import {
  canSeeLb, childrenOf, lbNotFound, loadBalancerDecider, NeutronError, parseLbCreate, planLoadBalancerCreate, presentHealthMonitor, presentListener, presentLoadBalancer,
  presentMember, presentPool, presentStatusTree, operatingStatuses, type Actor, type LbChild, type LbChildKind, type LoadBalancerCommand, type LoadBalancerState,
  type LoadBalancerTree, type Port,
} from '@neutrino/domain';
import type { LbaasStatsBucket } from '@neutrino/events';
import { LBAAS_AGENT_TYPE, LBAAS_VIP_OWNER } from '@neutrino/naming';
import type { AgentsService } from '../agents/agents.service';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import type { Reader } from '../read/reader';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { aggregate, visibleNetwork, visiblePort, visibleSubnet } from '../write/states';
import type { DefaultSecurityGroups } from './default-security-group';
import type { PortsService } from './ports.service';
import type { ServicePorts } from './service-ports';

type Query = Record<string, string | string[] | undefined>;
const PLURAL: Record<LbChildKind, string> = { listener: 'listeners', pool: 'pools', member: 'members', healthmonitor: 'healthmonitors' };
const PRESENT = { listener: presentListener, pool: presentPool, member: presentMember, healthmonitor: presentHealthMonitor } as const;
const CONTROL = new Set(['fields', 'limit', 'marker', 'sort', 'sort_key', 'sort_dir', 'page_reverse']);

/** A tree v2 can show: it has a VIP (a v1 pool whose VIP is not made yet has none). */
const servedByV2 = (t: LoadBalancerTree | undefined): t is LoadBalancerTree => !!t?.loadbalancer.vip_port_id;

export const noLbaasAgent = () =>
  new NeutronError(503, 'ServiceUnavailable', `No lbaas-agent (agent type "${LBAAS_AGENT_TYPE}") is alive to host the load balancer; start one and try again.`);

/** Octavia's list filters (?name=...&project_id=..., each key any of its values) and `fields=`. */
function listed(items: Array<Record<string, unknown>>, query: Query): Array<Record<string, unknown>> {
  const filters = Object.entries(query).filter(([k, v]) => !CONTROL.has(k) && v !== undefined);
  const kept = items.filter((o) => filters.every(([k, v]) => ([] as string[]).concat(v as string | string[]).includes(String(o[k]))));
  const fields = ([] as string[]).concat(query.fields ?? []).flatMap((f) => f.split(',')).filter(Boolean);
  return fields.length ? kept.map((o) => Object.fromEntries(fields.filter((f) => f in o).map((f) => [f, o[f]]))) : kept;
}

/**
 * The LBaaS v2 API in Octavia's shape (/v2/lbaas and neutron-lbaas's
 * /v2.0/lbaas): commands on one aggregate per load balancer
 * (loadBalancerDecider, evt.loadbalancer.<id>), the VIP port as a service port
 * of the load balancer, scheduling on an alive lbaas-agent.
 */
export class LoadBalancersService {
  private stats?: Promise<LbaasStatsBucket>;

  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    private readonly servicePorts: ServicePorts,
    private readonly agents: AgentsService,
    private readonly defaults: DefaultSecurityGroups,
    private readonly ports: () => PortsService,
    private readonly openStats: () => Promise<LbaasStatsBucket>,
  ) {}

  private get model() {
    return this.reader.model;
  }

  state(lbId: string, actor: Actor): { state: LoadBalancerState; seq: number } {
    const v = this.model.loadBalancers.get(lbId);
    return {
      state: { tree: v?.value, subnet: visibleSubnet(this.model, actor), subnetsOf: (id) => this.model.subnetsOf(id) },
      seq: v?.seq ?? 0,
    };
  }

  run(ctx: RequestContext, lbId: string, command: LoadBalancerCommand) {
    return this.handler.handle(ctx, {
      aggregate: aggregate('loadbalancer', lbId),
      load: () => this.state(lbId, ctx.actor),
      decide: (s) => loadBalancerDecider.decide(command, s),
    });
  }

  private tree(id: string, actor: Actor): LoadBalancerTree {
    const t = this.model.loadBalancers.get(id)?.value;
    if (!servedByV2(t) || !canSeeLb(t.loadbalancer, actor)) throw lbNotFound('loadbalancer', id);
    return t;
  }

  /** Alive, admin-up lbaas-agents: fewest load balancers, then host name. */
  async schedule(): Promise<string> {
    const candidates = (await this.agents.agentsOfType(LBAAS_AGENT_TYPE)).filter((a) => a.alive && a.admin_state_up);
    if (!candidates.length) throw noLbaasAgent();
    const counts = new Map<string, number>();
    for (const { value } of this.model.loadBalancers.values()) counts.set(value.loadbalancer.host, (counts.get(value.loadbalancer.host) ?? 0) + 1);
    const hosts = candidates.map((a) => a.host as string).sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || a.localeCompare(b));
    return hosts[0];
  }

  async hostAlive(host: string): Promise<boolean> {
    return (await this.agents.agentsOfType(LBAAS_AGENT_TYPE)).some((a) => a.host === host && a.alive);
  }

  // ---- load balancers ----

  list(ctx: RequestContext, query: Query) {
    const items = [...this.model.loadBalancers.values()].map((v) => v.value).filter((t) => servedByV2(t) && canSeeLb(t.loadbalancer, ctx.actor)).map((t) => presentLoadBalancer(t));
    return { loadbalancers: listed(items, query), loadbalancers_links: [] };
  }

  show(ctx: RequestContext, id: string, query: Query = {}) {
    const [one] = listed([presentLoadBalancer(this.tree(id, ctx.actor))], { fields: query.fields });
    return { loadbalancer: one };
  }

  status(ctx: RequestContext, id: string) {
    return presentStatusTree(this.tree(id, ctx.actor));
  }

  async loadBalancerStats(ctx: RequestContext, id: string) {
    this.tree(id, ctx.actor);
    const { listeners: _l, ...stats } = await this.statsOf(id);
    return { stats };
  }

  async listenerStats(ctx: RequestContext, id: string) {
    const { tree } = this.child(ctx.actor, 'listener', id);
    const all = await this.statsOf(tree.loadbalancer.id);
    return { stats: all.listeners[id] ?? { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 } };
  }

  async statsOf(lbId: string) {
    this.stats ??= this.openStats().catch((err) => {
      this.stats = undefined;
      throw err;
    });
    return (await this.stats).get(lbId);
  }

  /**
   * plan (body, VIP source; nothing taken yet) → schedule (503 when no agent is
   * alive) → the VIP port reserved and recorded → loadbalancer.created; a
   * refused decision takes the port back and releases its address.
   */
  async create(ctx: RequestContext, raw: unknown) {
    const body = parseJsonBody(raw);
    const actor = ctx.actor;
    const id = newId();
    const m = this.model;
    const { attrs, vip } = planLoadBalancerCreate(body, actor, {
      subnet: visibleSubnet(m, actor), network: (nid) => visibleNetwork(m, nid, actor), port: visiblePort(m, actor), subnetsOf: (nid) => m.subnetsOf(nid),
    });
    const host = await this.schedule();
    const now = nowIso();
    const command = (port: Port | { id: string; fixed_ips: Array<{ subnet_id: string; ip_address: string }> }): LoadBalancerCommand => {
      const ip = port.fixed_ips.find((f) => f.subnet_id === vip.subnet_id) ?? port.fixed_ips[0];
      return { type: 'CreateLoadBalancer', body, actor, id, now, host, vip: { address: ip.ip_address, port_id: port.id, subnet_id: ip.subnet_id, network_id: vip.network_id } };
    };
    if (vip.port_id) {
      const port = m.ports.get(vip.port_id)!.value;
      const own = { id: port.id, fixed_ips: [{ subnet_id: vip.subnet_id, ip_address: vip.ip_address! }] };
      await this.run(ctx, id, command(own));
      await this.servicePorts.bind(ctx, port.id, host);
      return this.show(ctx, id);
    }
    const project = attrs.project_id as string;
    const group = await this.defaults.ensure(ctx, project);
    const network = m.networks.get(vip.network_id)!.value;
    await this.servicePorts.withRecorded(
      ctx,
      {
        network, project, device_id: id, device_owner: LBAAS_VIP_OWNER, host, name: `loadbalancer-${id}`,
        ips: [vip.ip_address ? { subnet_id: vip.subnet_id, ip_address: vip.ip_address } : { subnet_id: vip.subnet_id }],
        security_groups: group ? [group] : [],
      },
      async (port) => {
        await this.run(ctx, id, command(port));
        return { result: undefined, used: true };
      },
      (port) => void loadBalancerDecider.decide(command(port), this.state(id, actor).state),
    );
    return this.show(ctx, id);
  }

  async update(ctx: RequestContext, id: string, raw: unknown) {
    this.tree(id, ctx.actor);
    await this.run(ctx, id, { type: 'UpdateLoadBalancer', body: parseJsonBody(raw), actor: ctx.actor });
    return this.show(ctx, id);
  }

  /**
   * loadbalancer.deleting (everything PENDING_DELETE), the VIP port deleted
   * (unless the caller gave it), and when no live agent hosts it the aggregate
   * ends here (loadbalancer.deleted; the agent appends it otherwise).
   */
  async delete(ctx: RequestContext, id: string, cascade: boolean) {
    const tree = this.tree(id, ctx.actor);
    await this.run(ctx, id, { type: 'DeleteLoadBalancer', actor: ctx.actor, cascade });
    for (const p of this.model.portsOfDevice(id)) if (p.device_owner === LBAAS_VIP_OWNER) await this.ports().remove(ctx, p.id);
    if (!(await this.hostAlive(tree.loadbalancer.host))) await this.run(ctx, id, { type: 'ForgetLoadBalancer' });
  }

  // ---- listeners, pools, members, health monitors ----

  private child(actor: Actor, kind: LbChildKind, id: string, parent?: string): { tree: LoadBalancerTree; o: LbChild } {
    const tree = this.model.loadBalancerOf(id)?.value;
    const list = servedByV2(tree) ? childrenOf(tree, kind) : [];
    const o = list.find((x) => x.id === id);
    if (!tree || !o || !canSeeLb(o, actor) || (parent && kind === 'member' && (o as { pool_id: string }).pool_id !== parent)) throw lbNotFound(kind, id);
    return { tree, o };
  }

  private presentChild(kind: LbChildKind, tree: LoadBalancerTree, o: LbChild, ops = operatingStatuses(tree)) {
    return (PRESENT[kind] as (t: LoadBalancerTree, o: LbChild, ops: ReturnType<typeof operatingStatuses>) => Record<string, unknown>)(tree, o, ops);
  }

  listChildren(ctx: RequestContext, kind: LbChildKind, query: Query, parent?: string) {
    if (parent) this.child(ctx.actor, 'pool', parent);
    const items: Array<Record<string, unknown>> = [];
    for (const { value: tree } of this.model.loadBalancers.values()) {
      if (!servedByV2(tree) || !canSeeLb(tree.loadbalancer, ctx.actor)) continue;
      const ops = operatingStatuses(tree);
      for (const o of childrenOf(tree, kind)) if (!parent || (o as { pool_id?: string }).pool_id === parent) items.push(this.presentChild(kind, tree, o, ops));
    }
    return { [PLURAL[kind]]: listed(items, query), [`${PLURAL[kind]}_links`]: [] };
  }

  showChild(ctx: RequestContext, kind: LbChildKind, id: string, query: Query = {}, parent?: string) {
    const { tree, o } = this.child(ctx.actor, kind, id, parent);
    const [one] = listed([this.presentChild(kind, tree, o)], { fields: query.fields });
    return { [kind]: one };
  }

  /** The load balancer a new child joins: named by the body (loadbalancer_id, listener_id, pool_id) or the path (a member's pool). */
  private parentTree(ctx: RequestContext, kind: LbChildKind, body: unknown, parent?: string): LoadBalancerTree {
    const item = parseLbCreate(kind, body, ctx.actor);
    const ref = (k: 'loadbalancer' | LbChildKind, rid: unknown): LoadBalancerTree => {
      const t = k === 'loadbalancer' ? this.model.loadBalancers.get(rid as string)?.value : this.model.loadBalancerOf(rid as string)?.value;
      if (!servedByV2(t) || !canSeeLb(t.loadbalancer, ctx.actor)) throw lbNotFound(k, rid as string);
      return t;
    };
    if (kind === 'member') return ref('pool', parent);
    if (kind === 'healthmonitor') return ref('pool', item.pool_id);
    if (kind === 'pool' && item.listener_id) return ref('listener', item.listener_id);
    return ref('loadbalancer', item.loadbalancer_id ?? '');
  }

  async createChild(ctx: RequestContext, kind: LbChildKind, raw: unknown, parent?: string) {
    const body = parseJsonBody(raw);
    const tree = this.parentTree(ctx, kind, body, parent);
    const id = newId();
    await this.run(ctx, tree.loadbalancer.id, { type: 'CreateChild', kind, body, actor: ctx.actor, id, now: nowIso(), parent });
    return this.showChild(ctx, kind, id);
  }

  async updateChild(ctx: RequestContext, kind: LbChildKind, id: string, raw: unknown, parent?: string) {
    const { tree } = this.child(ctx.actor, kind, id, parent);
    await this.run(ctx, tree.loadbalancer.id, { type: 'UpdateChild', kind, id, body: parseJsonBody(raw), actor: ctx.actor, parent });
    return this.showChild(ctx, kind, id);
  }

  async deleteChild(ctx: RequestContext, kind: LbChildKind, id: string, parent?: string) {
    const { tree } = this.child(ctx.actor, kind, id, parent);
    await this.run(ctx, tree.loadbalancer.id, { type: 'DeleteChild', kind, id, actor: ctx.actor, parent });
  }
}
