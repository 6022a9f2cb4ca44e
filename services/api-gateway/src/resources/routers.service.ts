import {
  buildRouter, checkInterfacePort, checkInterfaceSubnet, checkNewSubnets, checkRemoveSubnet, gatewayInUseByFloatingIp, gatewayInfo,
  interfaceInUseByFloatingIp, interfaceInfo, onSubnet, parseInterfaceBody, policyDenied, portNotFound, routerInUse, routerInterfaceNotFound,
  routerInterfaceNotFoundForSubnet, subnetNotFound, validateRouterCreate, validateRouterUpdate, isAdmin,
  type ExternalGatewayInfo, type GatewayRequest, type Port, type Router, type RouterNetworks, type Subnet,
} from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { NETWORK, PORT, ROUTER, SUBNET } from '../read/kinds';
import type { Reader } from '../read/reader';
import { createOneOrMany } from '../write/bulk';
import { newId, nowIso } from '../write/clock';
import { checkIfMatch } from '../write/if-match';
import type { Writer } from '../write/writer';
import type { PortsService } from './ports.service';
import type { RouterScheduler } from './router-scheduler';
import type { ServicePorts } from './service-ports';
import { ROUTER_GATEWAY_OWNER as GATEWAY_OWNER, ROUTER_INTERFACE_OWNER as INTERFACE_OWNER } from '@neutrino/naming';

/** Commands on /v2.0/routers: the router is one aggregate; its interfaces and gateway are ports whose device_id is the router. */
export class RoutersService {
  constructor(
    private readonly reader: Reader,
    private readonly writer: Writer,
    private readonly servicePorts: ServicePorts,
    private readonly scheduler: RouterScheduler,
    private readonly ports: () => PortsService,
  ) {}

  private networks(ctx: RequestContext): RouterNetworks {
    const model = this.reader.model;
    return {
      network: (id) => {
        const n = model.networks.get(id)?.value;
        return n && NETWORK.visible(n, ctx.actor, model) ? n : undefined;
      },
      subnetsOf: (id) => model.subnetsOf(id),
    };
  }

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const { one, many } = await createOneOrMany(raw, ROUTER, (b) => this.createOne(ctx, b), (r) => this.remove(ctx, r.id));
    const show = (r: Router) => ROUTER.present(this.reader.model.routers.get(r.id)!.value, ctx.actor);
    return one ? { router: show(one) } : { routers: many!.map(show) };
  }

  private async createOne(ctx: RequestContext, body: Record<string, unknown>): Promise<Router> {
    const attrs = validateRouterCreate(body, ctx.actor, this.networks(ctx));
    const id = newId();
    const gwPort = attrs.gateway ? await this.allocateGateway(ctx, id, attrs.gateway) : undefined;
    const router = buildRouter(attrs, { id, now: nowIso() }, gwPort ? gatewayInfo(attrs.gateway!, gwPort.fixed_ips) : null);
    try {
      await this.writer.append(ctx, { type: 'router', id }, [{ type: 'router.created', data: { router } }], 0);
    } catch (err) {
      if (gwPort) await this.servicePorts.release(ctx, gwPort);
      throw err;
    }
    if (gwPort) await this.servicePorts.record(ctx, gwPort);
    await this.scheduler.schedule(ctx, id);
    return router;
  }

  private allocateGateway(ctx: RequestContext, routerId: string, gw: GatewayRequest): Promise<Port> {
    const network = this.reader.model.networks.get(gw.network_id)!.value;
    return this.servicePorts.allocate(ctx, {
      network, project: '', device_id: routerId, device_owner: GATEWAY_OWNER, ips: gw.ips, host: this.scheduler.hostOf(routerId),
    });
  }

  update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    return this.writer.retrying(async () => {
      const model = this.reader.model;
      const current = this.reader.visible<Router>(ROUTER, id, ctx.actor);
      checkIfMatch(ifMatch, current.value);
      const own = model.portsOfDevice(id).filter((p) => p.device_owner === INTERFACE_OWNER || p.device_owner === GATEWAY_OWNER);
      const subnets = [...new Set(own.flatMap((p) => p.fixed_ips.map((f) => f.subnet_id)))].map((s) => model.subnets.get(s)?.value).filter((s): s is Subnet => !!s);
      const plan = validateRouterUpdate(parseJsonBody(raw), current.value, ctx.actor, {
        ...this.networks(ctx), addresses: { fixedIps: own.flatMap((p) => p.fixed_ips), subnets },
      });
      const changes: Partial<Router> = { ...plan.changes };
      if (plan.gateway !== undefined) {
        const gw = await this.changeGateway(ctx, current.value, plan.gateway);
        if (gw !== undefined) changes.external_gateway_info = gw;
      }
      if (Object.keys(changes).length) {
        const fresh = model.routers.get(id)!;
        await this.writer.append(ctx, { type: 'router', id }, [{ type: 'router.updated', data: { changes } }], fresh.seq);
      }
      await this.scheduler.schedule(ctx, id);
      return { router: ROUTER.present(model.routers.get(id)!.value, ctx.actor) };
    });
  }

  /** Sets, moves or clears the gateway; undefined when nothing changes. Clearing or moving is refused while floating IPs need it. */
  private async changeGateway(ctx: RequestContext, router: Router, gw: GatewayRequest | null): Promise<ExternalGatewayInfo | null | undefined> {
    const cur = router.external_gateway_info;
    if (gw === null && !cur) return undefined;
    if (gw && cur && gw.network_id === cur.network_id && !gw.fixedIpsGiven) {
      return gw.enable_snat === cur.enable_snat ? undefined : { ...cur, enable_snat: gw.enable_snat };
    }
    if (cur && (!gw || gw.network_id !== cur.network_id)) {
      if (this.reader.model.floatingIpsOfRouter(router.id).some((f) => f.floating_network_id === cur.network_id))
        throw gatewayInUseByFloatingIp(router.id, cur.network_id);
    }
    const old = this.gatewayPort(router.id);
    let port: Port | undefined;
    // Same network, other addresses: the old port gives its addresses back first (they may be asked for again).
    if (old && (!gw || gw.network_id === old.network_id)) await this.ports().remove(ctx, old.id);
    if (gw) {
      port = await this.allocateGateway(ctx, router.id, gw);
      if (old && gw.network_id !== old.network_id) await this.ports().remove(ctx, old.id);
      await this.servicePorts.record(ctx, port);
    }
    return gw ? gatewayInfo(gw, port!.fixed_ips) : null;
  }

  private gatewayPort(routerId: string): Port | undefined {
    return this.reader.model.portsOfDevice(routerId).find((p) => p.device_owner === GATEWAY_OWNER);
  }

  delete(ctx: RequestContext, id: string): Promise<void> {
    return this.writer.retrying(async () => {
      this.reader.visible<Router>(ROUTER, id, ctx.actor);
      const attached = this.reader.model.interfacesOf(id).map((p) => p.id).sort();
      if (attached.length) throw routerInUse(id, attached);
      await this.remove(ctx, id);
    });
  }

  /** Deletes the router with its gateway and HA ports. */
  private async remove(ctx: RequestContext, id: string): Promise<void> {
    for (const p of this.reader.model.portsOfDevice(id)) {
      if (p.device_owner !== INTERFACE_OWNER) await this.ports().remove(ctx, p.id);
    }
    const current = this.reader.model.routers.get(id);
    if (!current) return;
    await this.writer.append(ctx, { type: 'router', id }, [{ type: 'router.deleted', data: { router_id: id } }], current.seq);
  }

  addInterface(ctx: RequestContext, id: string, raw: unknown): Promise<Record<string, unknown>> {
    return this.writer.retrying(async () => {
      const model = this.reader.model;
      const router = this.reader.visible<Router>(ROUTER, id, ctx.actor).value;
      this.checkOwner(ctx, router, 'add_router_interface');
      const req = parseInterfaceBody(parseJsonBody(raw));
      const interfaces = model.interfacesOf(id);
      const subnetOf = (sid: string) => model.subnets.get(sid)?.value;
      let port: Port;
      if (req.subnet_id) {
        const subnet = this.visibleSubnet(ctx, req.subnet_id);
        checkNewSubnets(interfaces, subnetOf, [subnet]);
        checkInterfaceSubnet(subnet);
        port = await this.servicePorts.create(ctx, {
          network: model.networks.get(subnet.network_id)!.value, project: router.project_id, device_id: id, device_owner: INTERFACE_OWNER,
          ips: [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip! }], host: this.scheduler.hostOf(id),
        });
      } else {
        const found = model.ports.get(req.port_id!);
        if (!found || !PORT.visible(found.value, ctx.actor, model)) throw portNotFound(req.port_id!);
        checkInterfacePort(found.value);
        checkNewSubnets(interfaces, subnetOf, found.value.fixed_ips.map((f) => subnetOf(f.subnet_id)!).filter(Boolean));
        const changes: Partial<Port> = { device_id: id, device_owner: INTERFACE_OWNER };
        if (this.scheduler.hostOf(id)) changes['binding:host_id'] = this.scheduler.hostOf(id);
        await this.writer.append(ctx, { type: 'port', id: found.value.id }, [{ type: 'port.updated', data: { changes } }], found.seq);
        port = model.ports.get(found.value.id)!.value;
      }
      await this.scheduler.schedule(ctx, id);
      return interfaceInfo(router, port);
    });
  }

  removeInterface(ctx: RequestContext, id: string, raw: unknown): Promise<Record<string, unknown>> {
    return this.writer.retrying(async () => {
      const model = this.reader.model;
      const router = this.reader.visible<Router>(ROUTER, id, ctx.actor).value;
      this.checkOwner(ctx, router, 'remove_router_interface');
      const req = parseInterfaceBody(parseJsonBody(raw), true);
      const interfaces = model.interfacesOf(id);
      let port: Port;
      let subnetIds: string[];
      if (req.port_id) {
        const found = interfaces.find((p) => p.id === req.port_id);
        if (!found) throw routerInterfaceNotFound(id, req.port_id);
        port = found;
        subnetIds = port.fixed_ips.map((f) => f.subnet_id);
      } else {
        const subnet = this.visibleSubnet(ctx, req.subnet_id!);
        const found = interfaces.find((p) => p.fixed_ips.some((f) => f.subnet_id === subnet.id));
        if (!found) throw routerInterfaceNotFoundForSubnet(id, subnet.id);
        port = found;
        subnetIds = [subnet.id];
      }
      for (const sid of subnetIds) {
        const subnet = model.subnets.get(sid)!.value;
        checkRemoveSubnet(router, subnet);
        if (model.floatingIpsOfRouter(id).some((f) => f.fixed_ip_address && onSubnet(f.fixed_ip_address, subnet))) throw interfaceInUseByFloatingIp(id, sid);
      }
      if (port.fixed_ips.every((f) => subnetIds.includes(f.subnet_id))) await this.ports().remove(ctx, port.id);
      else for (const sid of subnetIds) await this.ports().dropSubnet(ctx, port.id, sid);
      await this.scheduler.schedule(ctx, id);
      return interfaceInfo(router, port, subnetIds);
    });
  }

  private visibleSubnet(ctx: RequestContext, id: string): Subnet {
    const s = this.reader.model.subnets.get(id)?.value;
    if (!s || !SUBNET.visible(s, ctx.actor, this.reader.model)) throw subnetNotFound(id);
    return s;
  }

  private checkOwner(ctx: RequestContext, router: Router, action: string): void {
    if (!isAdmin(ctx.actor) && router.project_id !== ctx.actor.project_id) throw policyDenied(`rule:${action}`);
  }
}
