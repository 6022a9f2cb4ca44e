import {
  allocationKey, floatingIpDecider, newMacOf, portMustJoin, subnetGoneFrom, planPortCreate, portCreateGroups, planPortUpdate, portCreateNeedsDefaultGroup, portDecider,
  type DomainConfig, type FixedIp, type Port, type PortCommand, type PortUpdatePlan,
} from '@neutrino/domain';
import { PortForwardingsService } from './port-forwardings.service';
import { TrunksService } from './trunks.service';
import type { QuotasService } from './quotas.service';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { PORT } from '../read/kinds';
import type { Reader } from '../read/reader';
import { createOneOrMany } from '../write/bulk';
import type { BulkBatches } from '../write/bulk-batches';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { checkIfMatch } from '../write/if-match';
import type { IpamClient } from '../write/ipam-client';
import { portAddresses, releasePortAddresses } from '../write/port-reservation';
import { nothing, withReservation } from '../write/reservation';
import { onNetwork } from '../write/network-commands';
import { aggregate, floatingIpState, portState } from '../write/states';
import type { DefaultSecurityGroups } from './default-security-group';

/** The subnets an update gave the port a new address on. */
const addedSubnets = (before: Port, after: Port): string[] => [
  ...new Set(after.fixed_ips.filter((f) => !before.fixed_ips.some((b) => b.subnet_id === f.subnet_id && b.ip_address === f.ip_address)).map((f) => f.subnet_id)),
];

/** Commands on /v2.0/ports (portDecider): addresses and MACs are reserved in ipam first, the port itself is an event. */
export class PortsService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    private readonly ipam: IpamClient,
    private readonly cfg: DomainConfig,
    private readonly defaults: DefaultSecurityGroups,
    /** Records bulk creates so a crash part-way is undone (none: all or nothing only while this process lives). */
    private readonly bulks?: () => BulkBatches,
    private readonly quotas?: QuotasService,
  ) {}

  /** The floating IPs' port forwardings to this service's ports (taken along when a port or its address goes). */
  private get forwardings(): PortForwardingsService {
    return new PortForwardingsService(this.reader, this.handler);
  }

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const { one, many } = await createOneOrMany(
      raw, PORT, (b, id) => this.createOne(ctx, b, id), (p) => this.remove(ctx, p.id), this.bulks?.().record(ctx, 'port'),
      (b) => this.precheck(ctx, b), this.quotas?.claimsFor(ctx, 'port', { port: 1 }),
    );
    const show = (p: Port) => PORT.present(this.reader.model.ports.get(p.id)!.value, ctx.actor, this.reader.model);
    return one ? { port: show(one) } : { ports: many!.map(show) };
  }

  /** A bulk item's refusals that need nothing made first (pure: the plan, and the groups when no default group is to be made). */
  private precheck(ctx: RequestContext, body: Record<string, unknown>): void {
    const { state } = portState(this.reader.model, newId(), ctx.actor, (body?.port as { network_id?: unknown } | undefined)?.network_id);
    const plan = planPortCreate({ body, actor: ctx.actor, cfg: this.cfg }, state);
    if (portCreateNeedsDefaultGroup(body, plan, ctx.actor) === undefined) portCreateGroups(body, plan, ctx.actor, state);
  }

  private run(ctx: RequestContext, id: string, command: PortCommand, networkId?: unknown, defaultGroupId?: string, before?: () => void) {
    return this.handler.handle(ctx, {
      aggregate: aggregate('port', id),
      load: () => {
        before?.();
        return portState(this.reader.model, id, ctx.actor, networkId, defaultGroupId);
      },
      decide: (s) => portDecider.decide(command, s),
    });
  }

  /**
   * The create process: decide the request once (refused before anything is
   * taken), make the project's default group if it needs one (its own
   * command), reserve the addresses and MAC, then decide and append the port.
   */
  private async createOne(ctx: RequestContext, body: Record<string, unknown>, id = newId()): Promise<Port> {
    const networkId = (body?.port as { network_id?: unknown } | undefined)?.network_id;
    const { state } = portState(this.reader.model, id, ctx.actor, networkId);
    const plan = planPortCreate({ body, actor: ctx.actor, cfg: this.cfg }, state);
    const project = portCreateNeedsDefaultGroup(body, plan, ctx.actor);
    const defaultGroupId = project !== undefined ? await this.defaults.ensure(ctx, project) : undefined;
    portCreateGroups(body, plan, ctx.actor, portState(this.reader.model, id, ctx.actor, networkId, defaultGroupId).state); // refused before anything is reserved
    const reservation = portAddresses(this.ipam, ctx, {
      port_id: id, network_id: state.network!.id, subnets: state.subnets, ips: plan.ipRequests, mac_address: plan.mac_address ?? null,
    });
    const port = await withReservation(reservation, async (alloc) => {
      const allocation = { mac_address: alloc.mac_address ?? null, fixed_ips: alloc.fixed_ips };
      await this.run(ctx, id, { type: 'CreatePort', body, actor: ctx.actor, cfg: this.cfg, id, now: nowIso(), allocation }, networkId, defaultGroupId);
      return this.reader.model.ports.get(id)!.value;
    });
    await this.joinIfDeleting(ctx, port);
    return port;
  }

  /**
   * Once recorded (the read model is now past the port's event): while a
   * deletion is pending on the network — or if the network or one of the
   * port's subnets went meanwhile — the port joins the network's subject,
   * racing the deletion there; refused, it is deleted again (and its
   * addresses given back). Otherwise a later deletion sees the port.
   */
  private async joinIfDeleting(ctx: RequestContext, port: Port): Promise<void> {
    const model = this.reader.model;
    if (!portMustJoin(model.networks.get(port.network_id)?.value, port)) return;
    try {
      await onNetwork(this.handler, model, ctx, port.network_id)({ type: 'JoinPort', port });
    } catch (err) {
      await this.remove(ctx, port.id).catch(() => undefined);
      throw err;
    }
  }

  /**
   * An update recorded that gave the port addresses on `subnets`: it joins the
   * network's subject as a create does (a subnet deletion pending there is
   * decided against it, or refuses it). Refused — the subnet went first — the
   * addresses on the subnets gone are taken back (and given back to ipam).
   */
  private async joinAddedIfDeleting(ctx: RequestContext, port: Port, subnets: string[]): Promise<void> {
    const model = this.reader.model;
    if (!subnets.length || !portMustJoin(model.networks.get(port.network_id)?.value, port, subnets)) return;
    try {
      await onNetwork(this.handler, model, ctx, port.network_id)({ type: 'JoinPort', port, subnets });
    } catch (err) {
      const net = model.networks.get(port.network_id)?.value;
      for (const sid of subnets.filter((id) => !net || subnetGoneFrom(net, id))) await this.dropSubnet(ctx, port.id, sid).catch(() => undefined);
      throw err;
    }
  }

  /**
   * The update process: decide once to learn what must be reserved (new
   * addresses, a new MAC), reserve it, decide again and append (the decision
   * refuses a change it holds no reservation for), then give back what the
   * port no longer holds.
   */
  async update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    const body = parseJsonBody(raw);
    const model = this.reader.model;
    const check = () => checkIfMatch(ifMatch, this.reader.visible<Port>(PORT, id, ctx.actor).value);
    check();
    const { state } = portState(model, id, ctx.actor);
    const current = state.port!;
    const plan = planPortUpdate({ body, actor: ctx.actor, cfg: this.cfg }, state);
    const newMac = newMacOf(plan, current);
    const adds = plan.fixedIps?.add ?? [];
    const reservation = adds.length || newMac
      ? portAddresses(this.ipam, ctx, {
          port_id: id, network_id: current.network_id, subnets: state.subnets, ips: adds, mac_address: newMac, port_mac: newMac ?? current.mac_address,
        })
      : nothing;
    const key = allocationKey(plan, current);
    let decided: { before: Port; plan: PortUpdatePlan } | undefined;
    await withReservation(reservation, async (alloc) => {
      const allocation = alloc ? { mac_address: alloc.mac_address ?? null, fixed_ips: alloc.fixed_ips, for: key } : undefined;
      await this.handler.handle(ctx, {
        aggregate: aggregate('port', id),
        load: () => {
          check();
          return portState(model, id, ctx.actor);
        },
        decide: (s) => {
          const events = portDecider.decide({ type: 'UpdatePort', body, actor: ctx.actor, cfg: this.cfg, allocation }, s);
          decided = { before: s.port!, plan: planPortUpdate({ body, actor: ctx.actor, cfg: this.cfg }, s) };
          return events;
        },
      });
    });
    if (decided) {
      const gone = decided.plan.fixedIps?.release ?? [];
      const oldMac = newMacOf(decided.plan, decided.before) ? decided.before.mac_address : undefined;
      await releasePortAddresses(this.ipam, ctx, decided.before, gone, oldMac);
      const now = model.ports.get(id)?.value;
      if (gone.length && now) await this.forwardings.removeForwardingsOf(ctx, id, now.fixed_ips.map((f) => f.ip_address));
      // Only an update that gave addresses joins (not one whose port another request gave addresses meanwhile).
      const after = decided.plan.fixedIps?.add?.length ? model.ports.get(id)?.value : undefined;
      if (after) await this.joinAddedIfDeleting(ctx, after, addedSubnets(decided.before, after));
    }
    return { port: PORT.present(model.ports.get(id)!.value, ctx.actor, model) };
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    this.reader.visible<Port>(PORT, id, ctx.actor);
    const trunks = new TrunksService(this.reader, this.handler);
    trunks.checkPortDelete(id);
    // decided again on every attempt: a trunk's claim on this port's subject (port.trunk_claimed) makes a racing delete re-decide
    await this.removeWith(ctx, id, { type: 'DeletePort', actor: ctx.actor }, () => trunks.checkPortDelete(id));
    await this.disassociateFloatingIps(ctx, id);
    await this.forwardings.removeForwardingsOf(ctx, id);
  }

  /** A deleted port takes its floating IPs' associations with it (Zed's disassociate_floatingips). */
  private async disassociateFloatingIps(ctx: RequestContext, portId: string): Promise<void> {
    for (const { value: f } of [...this.reader.model.floatingIps.values()]) {
      if (f.port_id !== portId) continue;
      await this.handler.handle(ctx, {
        aggregate: aggregate('floatingip', f.id),
        load: () => floatingIpState(this.reader.model, f.id, ctx.actor),
        decide: (s) => (s.floatingip?.port_id === portId ? floatingIpDecider.decide({ type: 'DisassociateFloatingIp' }, s) : []),
      });
    }
  }

  /** Deletes a port its owner (a router, a floating IP, a network) no longer needs, and gives its addresses and MAC back. */
  remove(ctx: RequestContext, id: string): Promise<void> {
    return this.removeWith(ctx, id, { type: 'DeletePort', actor: ctx.actor, byOwner: true });
  }

  private async removeWith(ctx: RequestContext, id: string, command: PortCommand, recheck?: () => void): Promise<void> {
    let gone: Port | undefined;
    await this.handler.handle(ctx, {
      aggregate: aggregate('port', id),
      load: () => portState(this.reader.model, id, ctx.actor),
      decide: (s) => {
        recheck?.();
        gone = s.port;
        return portDecider.decide(command, s);
      },
    });
    if (gone) await releasePortAddresses(this.ipam, ctx, gone, gone.fixed_ips, gone.mac_address);
  }

  /** Takes a subnet's address away from a (DHCP) port when the subnet goes. */
  async dropSubnet(ctx: RequestContext, id: string, subnetId: string): Promise<void> {
    let gone: FixedIp[] = [];
    let port: Port | undefined;
    await this.handler.handle(ctx, {
      aggregate: aggregate('port', id),
      load: () => portState(this.reader.model, id, ctx.actor),
      decide: (s) => {
        port = s.port;
        gone = s.port?.fixed_ips.filter((f) => f.subnet_id === subnetId) ?? [];
        return portDecider.decide({ type: 'DropSubnetAddresses', subnet_id: subnetId }, s);
      },
    });
    if (port) await releasePortAddresses(this.ipam, ctx, port, gone);
  }

  /** Sets a port's device or binding (router interfaces, a router's host). */
  async setDevice(ctx: RequestContext, id: string, changes: Extract<PortCommand, { type: 'SetPortDevice' }>['changes'], attach = false): Promise<void> {
    await this.run(ctx, id, { type: 'SetPortDevice', changes, attach });
  }
}
