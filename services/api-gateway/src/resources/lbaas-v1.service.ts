import {
  canSeeLb, isAdmin, lbMonitorDecider, loadBalancerDecider, madeByV1, NeutronError, parseV1, presentV1Member, presentV1Monitor, presentV1Pool, presentV1Vip,
  subnetNotFound, v1Errors, v1MemberBody, v1MemberSubnet, v1MonitorId, v1Shape, type Actor, type HealthMonitor, type LbMonitorCommand, type LoadBalancerCommand,
  type LoadBalancerTree, type Member, type Port, type V1HealthMonitor, type V1Shape,
} from '@neutrino/domain';
import { LBAAS_AGENT_TYPE, LBAAS_V1_VIP_OWNER } from '@neutrino/naming';
import type { AgentsService } from '../agents/agents.service';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { listPage } from '../read/list-page';
import { parseListQuery, selectFields } from '../read/list-query';
import type { Reader } from '../read/reader';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { uuid5 } from '@neutrino/domain';
import { aggregate, visibleNetwork, visibleSubnet } from '../write/states';
import type { DefaultSecurityGroups } from './default-security-group';
import type { LoadBalancersService } from './loadbalancers.service';
import type { PortsService } from './ports.service';
import type { ServicePorts } from './service-ports';

type Query = Record<string, string | string[] | undefined>;
const common = ['id', 'tenant_id', 'admin_state_up', 'status', 'status_description'];
/** The attributes each v1 list filters and sorts on (what its objects show, lists aside). */
const FILTERABLE = {
  pools: new Set([...common, 'vip_id', 'name', 'description', 'subnet_id', 'protocol', 'provider', 'lb_method']),
  vips: new Set([...common, 'name', 'description', 'subnet_id', 'address', 'port_id', 'protocol_port', 'protocol', 'pool_id', 'connection_limit']),
  members: new Set([...common, 'pool_id', 'address', 'protocol_port', 'weight']),
  health_monitors: new Set(['id', 'tenant_id', 'admin_state_up', 'type', 'delay', 'timeout', 'max_retries', 'http_method', 'url_path', 'expected_codes']),
};
const NOT_FOUND = { pools: v1Errors.poolNotFound, vips: v1Errors.vipNotFound, members: v1Errors.memberNotFound, health_monitors: v1Errors.monitorNotFound };
const fieldsOf = (q: Query) => {
  const f = ([] as string[]).concat(q.fields ?? []).flatMap((x) => x.split(',')).filter(Boolean);
  return f.length ? f : null;
};

/**
 * LBaaS v1 (`/v2.0/lb/...`, the seed book's workflow) on the one
 * load-balancer model (see libs/domain/src/loadbalancer/v1.ts for the
 * mapping): a pool is a tree scheduled to an lbaas-agent when it is made, its
 * VIP adds the address and the listener, members and monitors are the tree's.
 * Neutron's error bodies (the global NeutronError filter).
 */
export class LbaasV1Service {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    private readonly lbs: LoadBalancersService,
    private readonly servicePorts: ServicePorts,
    private readonly agents: AgentsService,
    private readonly defaults: DefaultSecurityGroups,
    private readonly ports: () => PortsService,
  ) {}

  private get model() {
    return this.reader.model;
  }

  /** Every tree v1 can express, visible to the caller. */
  private shapes(actor: Actor): V1Shape[] {
    const out: V1Shape[] = [];
    for (const { value } of this.model.loadBalancers.values()) {
      const shape = v1Shape(value);
      if (shape && canSeeLb(shape.pool, actor)) out.push(shape);
    }
    return out;
  }

  private shapeOfPool(actor: Actor, poolId: unknown): V1Shape {
    const tree = typeof poolId === 'string' ? this.model.loadBalancerOf(poolId)?.value : undefined;
    const shape = tree && v1Shape(tree);
    if (!shape || shape.pool.id !== poolId || !canSeeLb(shape.pool, actor)) throw v1Errors.poolNotFound(String(poolId));
    return shape;
  }

  private shapeOfVip(actor: Actor, vipId: string): V1Shape {
    const tree = this.model.loadBalancerOf(vipId)?.value;
    const shape = tree && v1Shape(tree);
    if (!shape?.vip || shape.vip.id !== vipId || !canSeeLb(shape.vip, actor)) throw v1Errors.vipNotFound(vipId);
    return shape;
  }

  private memberOf(actor: Actor, id: string): { shape: V1Shape; member: Member } {
    const tree = this.model.loadBalancerOf(id)?.value;
    const shape = tree && v1Shape(tree);
    const member = shape?.tree.members.find((m) => m.id === id);
    if (!shape || !member || !canSeeLb(member, actor)) throw v1Errors.memberNotFound(id);
    return { shape, member };
  }

  /** A v1 list through Neutron's list rules (filters refused when unknown, fields, sort, limit/marker with links). */
  private page(ctx: RequestContext, collection: keyof typeof FILTERABLE, items: Array<Record<string, unknown>>, query: Query, rawQuery: string) {
    const page = listPage(items, parseListQuery(query, FILTERABLE[collection]), {
      collection, notFound: NOT_FOUND[collection], selfUrl: `${ctx.baseUrl}/v2.0/lb/${collection}`, rawQuery,
    });
    return { [collection]: page.items, ...(page.links ? { [`${collection}_links`]: page.links } : {}) };
  }

  private run(ctx: RequestContext, lbId: string, command: LoadBalancerCommand) {
    return this.lbs.run(ctx, lbId, command);
  }

  // ---- pools ----

  listPools(ctx: RequestContext, q: Query, rawQuery = '') {
    return this.page(ctx, 'pools', this.shapes(ctx.actor).map(presentV1Pool), q, rawQuery);
  }

  showPool(ctx: RequestContext, id: string, q: Query = {}) {
    return { pool: selectFields(presentV1Pool(this.shapeOfPool(ctx.actor, id)), fieldsOf(q)) };
  }

  /** Scheduled to an lbaas-agent at once (as Kilo's agent scheduler); `health_monitors` given are associated after. */
  async createPool(ctx: RequestContext, raw: unknown) {
    const body = parseJsonBody(raw);
    const attrs = parseV1('pool', body, ctx.actor, true);
    const id = newId();
    const host = await this.lbs.schedule().catch((err) => {
      throw err instanceof NeutronError && err.status === 503 ? v1Errors.noAgent(id) : err;
    });
    await this.run(ctx, id, { type: 'CreateV1Pool', attrs, actor: ctx.actor, id, now: nowIso(), host });
    for (const monitorId of (attrs.health_monitors as string[] | null) ?? []) await this.associate(ctx, id, { health_monitor: { id: monitorId } });
    return this.showPool(ctx, id);
  }

  async updatePool(ctx: RequestContext, id: string, raw: unknown) {
    const shape = this.shapeOfPool(ctx.actor, id);
    const a = parseV1('pool', parseJsonBody(raw), ctx.actor, false);
    const pool: Record<string, unknown> = {};
    for (const k of ['name', 'description', 'admin_state_up'] as const) if (a[k] !== undefined) pool[k] = a[k];
    if (a.lb_method !== undefined) pool.lb_algorithm = a.lb_method;
    await this.run(ctx, shape.tree.loadbalancer.id, { type: 'UpdateChild', kind: 'pool', id, body: { pool }, actor: ctx.actor, v1: true });
    return this.showPool(ctx, id);
  }

  /** 409 PoolInUse while it has a VIP; a pool made through v1 takes its whole tree (and the agent's namespace) with it. */
  async deletePool(ctx: RequestContext, id: string) {
    const shape = this.shapeOfPool(ctx.actor, id);
    const lbId = shape.tree.loadbalancer.id;
    await this.run(ctx, lbId, { type: 'DeleteV1Pool', poolId: id, actor: ctx.actor });
    if (madeByV1(shape) && !(await this.lbs.hostAlive(shape.tree.loadbalancer.host))) await this.run(ctx, lbId, { type: 'ForgetLoadBalancer' });
  }

  async poolStats(ctx: RequestContext, id: string) {
    const shape = this.shapeOfPool(ctx.actor, id);
    const s = await this.lbs.statsOf(shape.tree.loadbalancer.id);
    return { stats: { bytes_in: s.bytes_in, bytes_out: s.bytes_out, active_connections: s.active_connections, total_connections: s.total_connections } };
  }

  /** POST /lb/pools/<id>/health_monitors {"health_monitor": {"id": ...}}: Kilo answers the pool's monitor ids. */
  async associate(ctx: RequestContext, poolId: string, raw: unknown) {
    const shape = this.shapeOfPool(ctx.actor, poolId);
    const body = parseJsonBody(raw) as { health_monitor?: { id?: unknown; tenant_id?: unknown } } | undefined;
    const item = body?.health_monitor;
    if (!item || typeof item !== 'object') throw new NeutronError(400, 'HTTPBadRequest', "Unable to find 'health_monitor' in request body");
    const extra = Object.keys(item).filter((k) => k !== 'id' && k !== 'tenant_id' && k !== 'project_id');
    if (extra.length) throw new NeutronError(400, 'HTTPBadRequest', `Unrecognized attribute(s) '${extra.join(', ')}'`);
    if (item.id === undefined) throw new NeutronError(400, 'HTTPBadRequest', "Failed to parse request. Required attribute 'id' not specified");
    const monitorId = String(item.id);
    const monitor = this.model.lbMonitors.get(monitorId)?.value;
    if (!monitor || !canSeeLb(monitor, ctx.actor)) throw v1Errors.monitorNotFound(monitorId);
    await this.run(ctx, shape.tree.loadbalancer.id, {
      type: 'AssociateV1Monitor', poolId, monitor, actor: ctx.actor, id: uuid5(monitor.id, poolId), now: nowIso(),
    });
    return { health_monitor: presentV1Pool(this.shapeOfPool(ctx.actor, poolId)).health_monitors };
  }

  async disassociate(ctx: RequestContext, poolId: string, monitorId: string) {
    const shape = this.shapeOfPool(ctx.actor, poolId);
    await this.run(ctx, shape.tree.loadbalancer.id, { type: 'DisassociateV1Monitor', poolId, monitorId, actor: ctx.actor });
  }

  /** GET /lb/pools/<id>/loadbalancer-agent (admin): the lbaas-agent hosting it. */
  async agentOfPool(ctx: RequestContext, poolId: string) {
    if (!isAdmin(ctx.actor)) throw new NeutronError(403, 'HTTPForbidden', 'rule:get_loadbalancer-agent is disallowed by policy');
    const shape = this.shapeOfPool(ctx.actor, poolId);
    const agent = (await this.agents.agentsOfType(LBAAS_AGENT_TYPE)).find((a) => a.host === shape.tree.loadbalancer.host);
    return { agent: agent ?? null };
  }

  /** GET /v2.0/agents/<id>/loadbalancer-pools (admin; `lb-pool-list-on-agent`). */
  async poolsOnAgent(ctx: RequestContext, agentId: string) {
    const { agent } = (await this.agents.show(ctx, agentId, {})) as { agent: { host: string; agent_type: string } };
    if (agent.agent_type !== LBAAS_AGENT_TYPE) return { pools: [] };
    return { pools: this.shapes(ctx.actor).filter((s) => s.tree.loadbalancer.host === agent.host).map(presentV1Pool) };
  }

  // ---- VIPs ----

  listVips(ctx: RequestContext, q: Query, rawQuery = '') {
    return this.page(ctx, 'vips', this.shapes(ctx.actor).map(presentV1Vip).filter((v): v is Record<string, unknown> => !!v), q, rawQuery);
  }

  showVip(ctx: RequestContext, id: string, q: Query = {}) {
    return { vip: selectFields(presentV1Vip(this.shapeOfVip(ctx.actor, id))!, fieldsOf(q)) };
  }

  /**
   * The VIP's port (`vip-<id>`, owner neutron:LOADBALANCER, bound to the pool's
   * agent host, the project's default security group) is reserved and recorded
   * first; a refused decision takes it back and releases its address.
   */
  async createVip(ctx: RequestContext, raw: unknown) {
    const body = parseJsonBody(raw);
    const actor = ctx.actor;
    const attrs = parseV1('vip', body, actor, true);
    const shape = this.shapeOfPool(actor, attrs.pool_id);
    const m = this.model;
    const subnet = visibleSubnet(m, actor)(attrs.subnet_id as string);
    if (!subnet) throw subnetNotFound(attrs.subnet_id as string);
    const id = newId();
    const lb = shape.tree.loadbalancer;
    const command = (vip: { address: string; port_id: string; subnet_id: string; network_id: string }): LoadBalancerCommand => ({
      type: 'CreateV1Vip', attrs, actor, id, now: nowIso(), vip,
    });
    if (lb.vip_port_id) {
      await this.run(ctx, lb.id, command({ address: lb.vip_address, port_id: lb.vip_port_id, subnet_id: lb.vip_subnet_id, network_id: lb.vip_network_id }));
      return this.showVip(ctx, id);
    }
    const network = visibleNetwork(m, subnet.network_id, actor) ?? m.networks.get(subnet.network_id)?.value;
    if (!network) throw subnetNotFound(subnet.id);
    const project = attrs.project_id as string;
    const group = await this.defaults.ensure(ctx, project);
    const address = attrs.address as string | undefined;
    const vipOf = (port: Port) => {
      const ip = port.fixed_ips.find((f) => f.subnet_id === subnet.id) ?? port.fixed_ips[0];
      return { address: ip.ip_address, port_id: port.id, subnet_id: ip.subnet_id, network_id: network.id };
    };
    await this.servicePorts.withRecorded(
      ctx,
      {
        network, project, device_id: lb.id, device_owner: LBAAS_V1_VIP_OWNER, host: lb.host, name: `vip-${id}`,
        ips: [address ? { subnet_id: subnet.id, ip_address: address } : { subnet_id: subnet.id }],
        security_groups: group ? [group] : [],
      },
      async (port) => {
        await this.run(ctx, lb.id, command(vipOf(port)));
        return { result: undefined, used: true };
      },
      (port) => void loadBalancerDecider.decide(command(vipOf(port)), this.lbs.state(lb.id, actor).state),
    );
    return this.showVip(ctx, id);
  }

  async updateVip(ctx: RequestContext, id: string, raw: unknown) {
    const shape = this.shapeOfVip(ctx.actor, id);
    const attrs = parseV1('vip', parseJsonBody(raw), ctx.actor, false);
    await this.run(ctx, shape.tree.loadbalancer.id, { type: 'UpdateV1Vip', vipId: id, attrs, actor: ctx.actor });
    return this.showVip(ctx, id);
  }

  /** The listener goes, the address with it (a pool made through v1 has no VIP again), and the VIP's port is deleted. */
  async deleteVip(ctx: RequestContext, id: string) {
    const shape = this.shapeOfVip(ctx.actor, id);
    const lbId = shape.tree.loadbalancer.id;
    await this.run(ctx, lbId, { type: 'DeleteV1Vip', vipId: id, actor: ctx.actor });
    for (const p of this.model.portsOfDevice(lbId)) if (p.device_owner === LBAAS_V1_VIP_OWNER) await this.ports().remove(ctx, p.id);
  }

  // ---- members ----

  listMembers(ctx: RequestContext, q: Query, rawQuery = '') {
    const items = this.shapes(ctx.actor).flatMap((s) => s.tree.members.filter((mb) => mb.pool_id === s.pool.id && canSeeLb(mb, ctx.actor)).map((mb) => presentV1Member(s.tree, mb)));
    return this.page(ctx, 'members', items, q, rawQuery);
  }

  showMember(ctx: RequestContext, id: string, q: Query = {}) {
    const { shape, member } = this.memberOf(ctx.actor, id);
    return { member: selectFields(presentV1Member(shape.tree, member), fieldsOf(q)) };
  }

  async createMember(ctx: RequestContext, raw: unknown) {
    const attrs = parseV1('member', parseJsonBody(raw), ctx.actor, true);
    const shape = this.shapeOfPool(ctx.actor, attrs.pool_id);
    const subnetId = v1MemberSubnet(shape, attrs.address as string, visibleSubnet(this.model, ctx.actor), (n) => this.model.subnetsOf(n));
    const id = newId();
    await this.run(ctx, shape.tree.loadbalancer.id, {
      type: 'CreateChild', kind: 'member', body: v1MemberBody(attrs, subnetId), actor: ctx.actor, id, now: nowIso(), parent: shape.pool.id, v1: true,
    });
    return this.showMember(ctx, id);
  }

  async updateMember(ctx: RequestContext, id: string, raw: unknown) {
    const { shape, member } = this.memberOf(ctx.actor, id);
    const a = parseV1('member', parseJsonBody(raw), ctx.actor, false);
    if (a.pool_id !== undefined && a.pool_id !== member.pool_id) {
      throw v1Errors.unsupported(
        `A member cannot move to another pool here (each pool is its own load balancer): delete member ${id} and create it in pool ${String(a.pool_id)}.`,
      );
    }
    const changes: Record<string, unknown> = {};
    for (const k of ['weight', 'admin_state_up'] as const) if (a[k] !== undefined) changes[k] = a[k];
    if (Object.keys(changes).length) {
      await this.run(ctx, shape.tree.loadbalancer.id, { type: 'UpdateChild', kind: 'member', id, body: { member: changes }, actor: ctx.actor, parent: member.pool_id, v1: true });
    }
    return this.showMember(ctx, id);
  }

  async deleteMember(ctx: RequestContext, id: string) {
    const { shape, member } = this.memberOf(ctx.actor, id);
    await this.run(ctx, shape.tree.loadbalancer.id, { type: 'DeleteChild', kind: 'member', id, actor: ctx.actor, parent: member.pool_id, v1: true });
  }

  // ---- health monitors ----

  /** v1 monitor id → the tree monitors that apply it (a template's, or a monitor made through v2 itself): one walk of the trees. */
  private servedIndex(): Map<string, Array<{ tree: LoadBalancerTree; h: HealthMonitor }>> {
    const index = new Map<string, Array<{ tree: LoadBalancerTree; h: HealthMonitor }>>();
    for (const { value: tree } of this.model.loadBalancers.values()) {
      for (const h of tree.healthmonitors) {
        if (h.provisioning_status === 'PENDING_DELETE') continue;
        const id = v1MonitorId(h);
        index.set(id, [...(index.get(id) ?? []), { tree, h }]);
      }
    }
    return index;
  }

  private served(monitorId: string): Array<{ tree: LoadBalancerTree; h: HealthMonitor }> {
    return this.servedIndex().get(monitorId) ?? [];
  }

  /** Templates, and the monitors made through v2 on trees v1 can express. */
  private monitors(actor: Actor): Array<{ m: V1HealthMonitor | HealthMonitor; served: HealthMonitor[] }> {
    const out: Array<{ m: V1HealthMonitor | HealthMonitor; served: HealthMonitor[] }> = [];
    const index = this.servedIndex();
    for (const { value } of this.model.lbMonitors.values()) if (canSeeLb(value, actor)) out.push({ m: value, served: (index.get(value.id) ?? []).map((x) => x.h) });
    for (const s of this.shapes(actor)) {
      for (const h of s.tree.healthmonitors) if (!h.v1_monitor_id && h.pool_id === s.pool.id && canSeeLb(h, actor)) out.push({ m: h, served: [h] });
    }
    return out;
  }

  private monitor(actor: Actor, id: string) {
    const found = this.monitors(actor).find((x) => x.m.id === id);
    if (!found) throw v1Errors.monitorNotFound(id);
    return found;
  }

  listMonitors(ctx: RequestContext, q: Query, rawQuery = '') {
    return this.page(ctx, 'health_monitors', this.monitors(ctx.actor).map((x) => presentV1Monitor(x.m, x.served)), q, rawQuery);
  }

  showMonitor(ctx: RequestContext, id: string, q: Query = {}) {
    const x = this.monitor(ctx.actor, id);
    return { health_monitor: selectFields(presentV1Monitor(x.m, x.served), fieldsOf(q)) };
  }

  private runMonitor(ctx: RequestContext, id: string, command: LbMonitorCommand) {
    return this.handler.handle(ctx, {
      aggregate: aggregate('lbmonitor', id),
      load: () => {
        const v = this.model.lbMonitors.get(id);
        return { state: { monitor: v?.value, pools: this.served(id).map((x) => x.h.pool_id) }, seq: v?.seq ?? 0 };
      },
      decide: (s) => lbMonitorDecider.decide(command, s),
    });
  }

  async createMonitor(ctx: RequestContext, raw: unknown) {
    const id = newId();
    await this.runMonitor(ctx, id, { type: 'CreateV1Monitor', body: parseJsonBody(raw), actor: ctx.actor, id, now: nowIso() });
    return this.showMonitor(ctx, id);
  }

  /**
   * The template first, then each pool's monitor. Every pool's change is
   * decided dry before anything is appended, so a value one of them cannot
   * take is refused with nothing changed.
   */
  async updateMonitor(ctx: RequestContext, id: string, raw: unknown) {
    const body = parseJsonBody(raw);
    const { m } = this.monitor(ctx.actor, id);
    const changes = parseV1('health_monitor', body, ctx.actor, false);
    const next = { ...m, ...changes } as { delay: number; timeout: number };
    if (next.delay < next.timeout) throw v1Errors.delayOrTimeout();
    const http = m.type === 'HTTP' || m.type === 'HTTPS';
    const treeChanges: Record<string, unknown> = {};
    for (const k of ['delay', 'timeout', 'max_retries', 'admin_state_up'] as const) if (changes[k] !== undefined) treeChanges[k] = changes[k];
    if (http) for (const k of ['http_method', 'url_path', 'expected_codes'] as const) if (changes[k] !== undefined) treeChanges[k] = changes[k];
    const commands = this.served(id).map(({ tree, h }) => ({
      lbId: tree.loadbalancer.id,
      command: { type: 'UpdateChild', kind: 'healthmonitor', id: h.id, body: { healthmonitor: treeChanges }, actor: ctx.actor, v1: true } as LoadBalancerCommand,
    }));
    for (const c of commands) loadBalancerDecider.decide(c.command, this.lbs.state(c.lbId, ctx.actor).state);
    if (this.model.lbMonitors.has(id)) await this.runMonitor(ctx, id, { type: 'UpdateV1Monitor', body, actor: ctx.actor, now: nowIso() });
    if (Object.keys(treeChanges).length) for (const c of commands) await this.run(ctx, c.lbId, c.command);
    return this.showMonitor(ctx, id);
  }

  /** 409 HealthMonitorInUse while it serves a pool (Kilo); one made through v2 is deleted from its tree. */
  async deleteMonitor(ctx: RequestContext, id: string) {
    this.monitor(ctx.actor, id);
    if (this.model.lbMonitors.has(id)) {
      await this.runMonitor(ctx, id, { type: 'DeleteV1Monitor', actor: ctx.actor });
      return;
    }
    const [{ tree }] = this.served(id);
    await this.run(ctx, tree.loadbalancer.id, { type: 'DeleteChild', kind: 'healthmonitor', id, actor: ctx.actor, v1: true });
  }
}
