import {
  NeutronError, buildFloatingIp, checkSubnetIp, decideAssociation, subnetNotFound, validateFloatingIpCreate, validateFloatingIpUpdate,
  type Association, type AssociationContext, type FloatingIp, type FloatingIpCreateAttrs, type IpRequest, type Subnet,
} from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { FLOATINGIP, NETWORK, PORT } from '../read/kinds';
import type { Reader } from '../read/reader';
import { createOneOrMany } from '../write/bulk';
import { newId, nowIso } from '../write/clock';
import { checkIfMatch } from '../write/if-match';
import type { Writer } from '../write/writer';
import type { PortsService } from './ports.service';
import type { ServicePorts } from './service-ports';

const FIP_OWNER = 'network:floatingip';

/** Commands on /v2.0/floatingips (evt.floatingip.<id>); each floating IP holds a port on its external network. */
export class FloatingIpsService {
  constructor(
    private readonly reader: Reader,
    private readonly writer: Writer,
    private readonly servicePorts: ServicePorts,
    private readonly ports: () => PortsService,
  ) {}

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const { one, many } = await createOneOrMany(raw, FLOATINGIP, (b) => this.createOne(ctx, b), (f) => this.remove(ctx, f.id));
    const show = (f: FloatingIp) => FLOATINGIP.present(this.reader.model.floatingIps.get(f.id)!.value, ctx.actor, this.reader.model);
    return one ? { floatingip: show(one) } : { floatingips: many!.map(show) };
  }

  private async createOne(ctx: RequestContext, body: Record<string, unknown>): Promise<FloatingIp> {
    const model = this.reader.model;
    const attrs = validateFloatingIpCreate(body, ctx.actor, {
      network: (id) => {
        const n = model.networks.get(id)?.value;
        return n && NETWORK.visible(n, ctx.actor, model) ? n : undefined;
      },
      subnetsOf: (id) => model.subnetsOf(id),
    });
    const id = newId();
    const network = model.networks.get(attrs.floating_network_id)!.value;
    const ips = [this.addressRequest(attrs, model.subnetsOf(network.id))];
    const decide = (address: string) =>
      decideAssociation(
        { id, floating_ip_address: address, floating_network_id: network.id, project_id: attrs.project_id, port_id: null },
        { port_id: attrs.port_id, fixed_ip_address: attrs.fixed_ip_address },
        ctx.actor,
        this.associationContext(ctx),
      );
    // Decided before any address is taken, so a refused request leaves no trace; only "already associated"
    // needs the new address for Zed's message, so that one is decided again once the address is known.
    let assoc: Association | undefined;
    try {
      assoc = decide(ips[0].ip_address ?? '');
    } catch (err) {
      if (!(err instanceof NeutronError) || err.type !== 'FloatingIPPortAlreadyAssociated') throw err;
    }
    const port = await this.servicePorts.allocate(ctx, { network, project: '', device_id: id, device_owner: FIP_OWNER, ips, status: 'N/A' });
    const address = port.fixed_ips[0].ip_address;
    if (!assoc) {
      try {
        assoc = decide(address);
      } finally {
        if (!assoc) await this.servicePorts.release(ctx, port);
      }
    }
    const fip = buildFloatingIp(attrs, { id, now: nowIso(), address }, assoc);
    await this.servicePorts.record(ctx, port);
    await this.writer.append(ctx, { type: 'floatingip', id }, [{ type: 'floatingip.created', data: { floatingip: fip } }], 0);
    return fip;
  }

  /** The address asked for (floating_ip_address / subnet_id), else the next free one of the IPv4 subnets. */
  private addressRequest(attrs: FloatingIpCreateAttrs, subnets: Subnet[]): IpRequest {
    const v4 = subnets.filter((s) => s.ip_version === 4);
    if (attrs.subnet_id && !subnets.some((s) => s.id === attrs.subnet_id)) throw subnetNotFound(attrs.subnet_id);
    if (attrs.floating_ip_address) {
      const s = (attrs.subnet_id ? subnets.filter((x) => x.id === attrs.subnet_id) : v4).find((x) => checkSubnetIp(x.cidr, attrs.floating_ip_address!, FIP_OWNER));
      if (!s)
        throw new NeutronError(400, 'InvalidIpForNetwork', `IP address ${attrs.floating_ip_address} is not a valid IP for any of the subnets on the specified network.`);
      return { subnet_id: s.id, ip_address: attrs.floating_ip_address };
    }
    if (attrs.subnet_id) return { subnet_id: attrs.subnet_id };
    const [first, ...rest] = v4;
    return rest.length ? { subnet_id: first.id, fallback_subnet_ids: rest.map((s) => s.id) } : { subnet_id: first.id };
  }

  private associationContext(ctx: RequestContext): AssociationContext {
    const model = this.reader.model;
    return {
      port: (pid) => {
        const p = model.ports.get(pid)?.value;
        return p && PORT.visible(p, ctx.actor, model) ? p : undefined;
      },
      subnet: (sid) => model.subnets.get(sid)?.value,
      routers: [...model.routers.values()].map((v) => v.value),
      interfacesOf: (rid) => model.interfacesOf(rid),
      floatingIps: [...model.floatingIps.values()].map((v) => v.value),
    };
  }

  update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    return this.writer.retrying(async () => {
      const current = this.reader.visible<FloatingIp>(FLOATINGIP, id, ctx.actor);
      checkIfMatch(ifMatch, current.value);
      const item = validateFloatingIpUpdate(parseJsonBody(raw), current.value, ctx.actor);
      const changes: Partial<FloatingIp> = {};
      if ('port_id' in item || 'fixed_ip_address' in item) {
        const assoc = decideAssociation(current.value, { port_id: item.port_id, fixed_ip_address: item.fixed_ip_address }, ctx.actor, this.associationContext(ctx));
        const f = current.value;
        if (assoc.port_id !== f.port_id || assoc.fixed_ip_address !== f.fixed_ip_address || assoc.router_id !== f.router_id) {
          // the l3-agent reports ACTIVE again once the new association is in place
          Object.assign(changes, assoc, { status: 'DOWN' });
        }
      }
      if (item.description !== undefined && item.description !== current.value.description) changes.description = item.description;
      if (Object.keys(changes).length) {
        await this.writer.append(ctx, { type: 'floatingip', id }, [{ type: 'floatingip.updated', data: { changes } }], current.seq);
      }
      return { floatingip: FLOATINGIP.present(this.reader.model.floatingIps.get(id)!.value, ctx.actor, this.reader.model) };
    });
  }

  delete(ctx: RequestContext, id: string): Promise<void> {
    return this.writer.retrying(async () => {
      this.reader.visible<FloatingIp>(FLOATINGIP, id, ctx.actor);
      await this.remove(ctx, id);
    });
  }

  /** Deletes the floating IP, then its port (which gives the address back). */
  private async remove(ctx: RequestContext, id: string): Promise<void> {
    const current = this.reader.model.floatingIps.get(id);
    if (!current) return;
    await this.writer.append(ctx, { type: 'floatingip', id }, [{ type: 'floatingip.deleted', data: { floatingip_id: id } }], current.seq);
    for (const p of this.reader.model.portsOfDevice(id)) if (p.device_owner === FIP_OWNER) await this.ports().remove(ctx, p.id);
  }
}
