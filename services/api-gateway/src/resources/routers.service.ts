import {
  gatewayKey, interfaceInfo, parseInterfaceBody, planInterfaceAdd, planInterfaceRemove, planRouterUpdate, routerDecider, validateRouterCreate,
  type GatewayRequest, type Port, type Router, type RouterCommand,
} from '@neutrino/domain';
import type { QuotasService } from './quotas.service';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { ROUTER } from '../read/kinds';
import type { Reader } from '../read/reader';
import { createOneOrMany } from '../write/bulk';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { checkIfMatch } from '../write/if-match';
import { aggregate, routerState, visiblePort, visibleSubnet } from '../write/states';
import type { PortsService } from './ports.service';
import type { RouterScheduler } from './router-scheduler';
import type { ServicePorts } from './service-ports';
import { ROUTER_GATEWAY_OWNER as GATEWAY_OWNER, ROUTER_INTERFACE_OWNER as INTERFACE_OWNER } from '@neutrino/naming';

/**
 * Commands on /v2.0/routers (routerDecider): the router is one aggregate; its
 * interfaces and gateway are ports whose device_id is the router. Changes that
 * take several steps are processes: decided once, then each step acts once —
 * a gateway port is reserved and recorded once, and only the router's own
 * decision is retried when it loses a race.
 */
export class RoutersService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    private readonly servicePorts: ServicePorts,
    private readonly scheduler: RouterScheduler,
    private readonly ports: () => PortsService,
    private readonly quotas?: QuotasService,
  ) {}

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const { one, many } = await createOneOrMany(
      raw, ROUTER, (b, id) => this.createOne(ctx, b, id), (r) => this.remove(ctx, r.id), undefined,
      (b) => void validateRouterCreate(b, ctx.actor, routerState(this.reader.model, '', ctx.actor).state.networks), this.quotas?.claimsFor(ctx, 'router', { router: 1 }),
    );
    const show = (r: Router) => ROUTER.present(this.reader.model.routers.get(r.id)!.value, ctx.actor);
    return one ? { router: show(one) } : { routers: many!.map(show) };
  }

  private decideRouter(ctx: RequestContext, id: string, command: RouterCommand, check?: () => void) {
    return this.handler.handle(ctx, {
      aggregate: aggregate('router', id),
      load: () => {
        check?.();
        return routerState(this.reader.model, id, ctx.actor);
      },
      decide: (s) => routerDecider.decide(command, s),
    });
  }

  private async createOne(ctx: RequestContext, body: Record<string, unknown>, id = newId()): Promise<Router> {
    const attrs = validateRouterCreate(body, ctx.actor, routerState(this.reader.model, '', ctx.actor).state.networks);
    const now = nowIso();
    await this.withGatewayPort(ctx, id, attrs.gateway ?? undefined, (gateway) =>
      this.decideRouter(ctx, id, { type: 'CreateRouter', body, actor: ctx.actor, id, now, gateway }),
    );
    await this.scheduler.schedule(ctx, id);
    return this.reader.model.routers.get(id)!.value;
  }

  /** A new gateway port, reserved and recorded once, then the router's decision (`use`); see ServicePorts.withRecorded. */
  private withGatewayPort<T>(
    ctx: RequestContext, routerId: string, gw: GatewayRequest | undefined, use: (gateway?: { fixed_ips: Port['fixed_ips']; for: string }) => Promise<T>,
  ): Promise<T> {
    if (!gw) return use(undefined);
    const network = this.reader.model.networks.get(gw.network_id)!.value;
    const spec = { network, project: '', device_id: routerId, device_owner: GATEWAY_OWNER, ips: gw.ips, host: this.scheduler.hostOf(routerId) };
    return this.servicePorts.withRecorded(ctx, spec, async (port) => {
      const result = await use({ fixed_ips: port.fixed_ips, for: gatewayKey(gw) });
      // Decided on fresh state, the router may not need this port (another request set the same gateway first).
      const info = this.reader.model.routers.get(routerId)?.value.external_gateway_info;
      const used = !!info && port.fixed_ips.every((f) => info.external_fixed_ips.some((x) => x.ip_address === f.ip_address && x.subnet_id === f.subnet_id));
      return { result, used };
    });
  }

  async update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    const body = parseJsonBody(raw);
    const model = this.reader.model;
    const check = () => checkIfMatch(ifMatch, this.reader.visible<Router>(ROUTER, id, ctx.actor).value);
    check();
    const { gateway } = planRouterUpdate({ body, actor: ctx.actor }, routerState(model, id, ctx.actor).state);
    const old = this.gatewayPort(id);
    const update = (gw?: { fixed_ips: Port['fixed_ips']; for: string }) => this.decideRouter(ctx, id, { type: 'UpdateRouter', body, actor: ctx.actor, gateway: gw }, check);
    if (gateway.kind === 'set') {
      const req = gateway.request;
      // Same network, other addresses: the old port gives its addresses back first (they may be asked for again).
      if (old && req.network_id === old.network_id) await this.ports().remove(ctx, old.id);
      await this.withGatewayPort(ctx, id, req, update);
      if (old && req.network_id !== old.network_id) await this.ports().remove(ctx, old.id);
    } else {
      await update();
      if (gateway.kind === 'clear' && old) await this.ports().remove(ctx, old.id);
    }
    await this.scheduler.schedule(ctx, id);
    return { router: ROUTER.present(model.routers.get(id)!.value, ctx.actor) };
  }

  private gatewayPort(routerId: string): Port | undefined {
    return this.reader.model.portsOfDevice(routerId).find((p) => p.device_owner === GATEWAY_OWNER);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    this.reader.visible<Router>(ROUTER, id, ctx.actor);
    routerDecider.decide({ type: 'DeleteRouter', actor: ctx.actor }, routerState(this.reader.model, id, ctx.actor).state); // RouterInUse, before any port goes
    await this.remove(ctx, id, ctx);
  }

  /** Deletes the router with its gateway and HA ports. */
  private async remove(ctx: RequestContext, id: string, caller: RequestContext = { ...ctx, actor: { ...ctx.actor, roles: [...ctx.actor.roles, 'admin'] } }): Promise<void> {
    for (const p of this.reader.model.portsOfDevice(id)) {
      if (p.device_owner !== INTERFACE_OWNER) await this.ports().remove(ctx, p.id);
    }
    await this.decideRouter(caller, id, { type: 'DeleteRouter', actor: caller.actor });
  }

  /**
   * add_router_interface as a process: decided on the router's state, the
   * port is made (reserved and recorded) or attached, then its joining is
   * appended to the router's subject with the sequence that decision saw. A
   * concurrent add that got there first makes it decide again — without its
   * own port — and a refusal takes the port back.
   */
  async addInterface(ctx: RequestContext, id: string, raw: unknown): Promise<Record<string, unknown>> {
    const model = this.reader.model;
    const router = this.reader.visible<Router>(ROUTER, id, ctx.actor).value;
    const request = parseInterfaceBody(parseJsonBody(raw));
    const visible = { visibleSubnet: visibleSubnet(model, ctx.actor), visiblePort: visiblePort(model, ctx.actor) };
    const initial = routerState(model, id, ctx.actor);
    const plan = planInterfaceAdd(request, ctx.actor, { ...initial.state, ...visible });
    const join = (portId: string) =>
      this.handler.handle(ctx, {
        aggregate: aggregate('router', id),
        initial,
        load: () => routerState(model, id, ctx.actor),
        decide: (s) => routerDecider.decide({ type: 'AddRouterInterface', request, actor: ctx.actor, port_id: portId, ...visible }, s),
      });
    let port: Port;
    if (plan.kind === 'subnet') {
      const subnet = plan.subnet;
      port = await this.servicePorts.withRecorded(
        ctx,
        {
          network: model.networks.get(subnet.network_id)!.value, project: router.project_id, device_id: id, device_owner: INTERFACE_OWNER,
          ips: [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip! }], host: this.scheduler.hostOf(id),
        },
        async (p) => {
          await join(p.id);
          return { result: p, used: true };
        },
      );
    } else {
      const before = plan.port;
      const host = this.scheduler.hostOf(id);
      await this.ports().setDevice(ctx, before.id, { device_id: id, device_owner: INTERFACE_OWNER, ...(host ? { 'binding:host_id': host } : {}) }, true);
      try {
        await join(before.id);
      } catch (err) {
        // refused on fresh state: the port goes back to what it was
        await this.ports().setDevice(ctx, before.id, { device_id: before.device_id, device_owner: before.device_owner, 'binding:host_id': before['binding:host_id'] });
        throw err;
      }
      port = model.ports.get(before.id)!.value;
    }
    await this.scheduler.schedule(ctx, id);
    return interfaceInfo(router, port);
  }

  async removeInterface(ctx: RequestContext, id: string, raw: unknown): Promise<Record<string, unknown>> {
    const model = this.reader.model;
    const router = this.reader.visible<Router>(ROUTER, id, ctx.actor).value;
    const req = parseInterfaceBody(parseJsonBody(raw), true);
    const { port, subnetIds, wholePort } = planInterfaceRemove(req, ctx.actor, { ...routerState(model, id, ctx.actor).state, visibleSubnet: visibleSubnet(model, ctx.actor) });
    if (wholePort) await this.ports().remove(ctx, port.id);
    else for (const sid of subnetIds) await this.ports().dropSubnet(ctx, port.id, sid);
    await this.scheduler.schedule(ctx, id);
    return interfaceInfo(router, port, subnetIds);
  }
}
