import { checkAddressesFree, floatingIpDecider, planFloatingIpCreate, type FloatingIp, type FloatingIpCommand, type FloatingIpState } from '@neutrino/domain';
import type { QuotasService } from './quotas.service';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { FLOATINGIP } from '../read/kinds';
import type { Reader } from '../read/reader';
import { createOneOrMany } from '../write/bulk';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { checkIfMatch } from '../write/if-match';
import { aggregate, floatingIpState } from '../write/states';
import type { PortsService } from './ports.service';
import type { ServicePorts } from './service-ports';

const FIP_OWNER = 'network:floatingip';

/** Commands on /v2.0/floatingips (floatingIpDecider, evt.floatingip.<id>); each floating IP holds a port on its external network. */
export class FloatingIpsService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    private readonly servicePorts: ServicePorts,
    private readonly ports: () => PortsService,
    private readonly quotas?: QuotasService,
  ) {}

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const { one, many } = await createOneOrMany(
      raw, FLOATINGIP, (b, id) => this.createOne(ctx, b, id), (f) => this.remove(ctx, f.id), undefined,
      (b) => this.precheck(ctx, b),
      this.quotas?.claimsFor(ctx, 'floatingip', { floatingip: 1 }),
    );
    const show = (f: FloatingIp) => FLOATINGIP.present(this.reader.model.floatingIps.get(f.id)!.value, ctx.actor, this.reader.model);
    return one ? { floatingip: show(one) } : { floatingips: many!.map(show) };
  }

  /**
   * The create's refusals that need nothing taken first (pure, on the read model), before its quota
   * is claimed: the attributes, the association, and an asked-for address another port holds.
   */
  private precheck(ctx: RequestContext, body: Record<string, unknown>): void {
    const { attrs, ip } = planFloatingIpCreate({ body, actor: ctx.actor, id: '' }, floatingIpState(this.reader.model, '', ctx.actor).state);
    checkAddressesFree([ip], this.reader.model.addressUsage(attrs.floating_network_id));
  }

  private run(ctx: RequestContext, id: string, command: FloatingIpCommand, check?: () => void) {
    return this.handler.handle(ctx, {
      aggregate: aggregate('floatingip', id),
      load: () => {
        check?.();
        return floatingIpState(this.reader.model, id, ctx.actor);
      },
      decide: (s) => floatingIpDecider.decide(command, s),
    });
  }

  /**
   * The create process: checks before any address is taken, then reserve +
   * record the port, then decide the floating IP; an associated one then joins
   * its port's subject with the port sequence the first decision saw (one
   * floating IP per fixed IP) — the loser is refused and taken back.
   */
  private async createOne(ctx: RequestContext, body: Record<string, unknown>, id = newId()): Promise<FloatingIp> {
    const model = this.reader.model;
    const before = floatingIpState(model, id, ctx.actor);
    const { attrs, ip } = planFloatingIpCreate({ body, actor: ctx.actor, id }, before.state);
    const portSeq = attrs.port_id ? (model.ports.get(attrs.port_id)?.seq ?? 0) : 0;
    const network = model.networks.get(attrs.floating_network_id)!.value;
    const now = nowIso();
    const command = (address: string): FloatingIpCommand => ({ type: 'CreateFloatingIp', body, actor: ctx.actor, id, now, address });
    await this.servicePorts.withRecorded(
      ctx,
      { network, project: '', device_id: id, device_owner: FIP_OWNER, ips: [ip], status: 'N/A' },
      async (port) => {
        const [created] = await this.run(ctx, id, command(port.fixed_ips[0].ip_address));
        const fip = (created.data as { floatingip: FloatingIp }).floatingip;
        if (fip.port_id) {
          try {
            await this.claim(ctx, fip, { state: { ...before.state, floatingip: fip }, seq: portSeq });
          } catch (err) {
            await this.run(ctx, id, { type: 'DeleteFloatingIp', actor: ctx.actor }).catch(() => undefined);
            throw err;
          }
        }
        return { result: fip, used: true };
      },
      // "already associated" names the new address: decided once it is known, before the port is recorded
      (port) => void floatingIpDecider.decide(command(port.fixed_ips[0].ip_address), floatingIpState(model, id, ctx.actor).state),
    );
    return model.floatingIps.get(id)!.value;
  }

  /** The floating IP's association joins its port's subject (serializes "one floating IP per fixed IP"). */
  private claim(ctx: RequestContext, fip: FloatingIp, initial: { state: FloatingIpState; seq: number }) {
    const model = this.reader.model;
    return this.handler.handle(ctx, {
      aggregate: aggregate('port', fip.port_id!),
      initial,
      load: () => ({ state: floatingIpState(model, fip.id, ctx.actor).state, seq: model.ports.get(fip.port_id!)?.seq ?? 0 }),
      decide: (s) => floatingIpDecider.decide({ type: 'ClaimFixedIp', actor: ctx.actor }, s),
    });
  }

  async update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    const body = parseJsonBody(raw);
    const model = this.reader.model;
    const before = floatingIpState(model, id, ctx.actor);
    const wanted = (body as { floatingip?: { port_id?: unknown } } | undefined)?.floatingip?.port_id;
    const portSeq = typeof wanted === 'string' ? (model.ports.get(wanted)?.seq ?? 0) : 0;
    const stored = await this.run(ctx, id, { type: 'UpdateFloatingIp', body, actor: ctx.actor }, () =>
      checkIfMatch(ifMatch, this.reader.visible<FloatingIp>(FLOATINGIP, id, ctx.actor).value),
    );
    const after = model.floatingIps.get(id)?.value;
    const old = before.state.floatingip;
    if (stored.length && after?.port_id && old && (after.port_id !== old.port_id || after.fixed_ip_address !== old.fixed_ip_address)) {
      try {
        await this.claim(ctx, after, { state: { ...before.state, floatingip: after }, seq: after.port_id === wanted ? portSeq : (model.ports.get(after.port_id)?.seq ?? 0) });
      } catch (err) {
        const to = { port_id: old.port_id, fixed_ip_address: old.fixed_ip_address, router_id: old.router_id, status: old.status };
        await this.run(ctx, id, { type: 'RestoreAssociation', to }).catch(() => undefined);
        throw err;
      }
    }
    return { floatingip: FLOATINGIP.present(model.floatingIps.get(id)!.value, ctx.actor, model) };
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    this.reader.visible<FloatingIp>(FLOATINGIP, id, ctx.actor);
    await this.remove(ctx, id);
  }

  /**
   * Deletes the floating IP, then its port (which gives the address back). `withNetwork`: deleted
   * with its external network, refused (on the floating IP's subject) if it was associated meanwhile.
   */
  async remove(ctx: RequestContext, id: string, withNetwork = false): Promise<void> {
    await this.run(ctx, id, { type: 'DeleteFloatingIp', actor: ctx.actor, withNetwork });
    for (const p of this.reader.model.portsOfDevice(id)) if (p.device_owner === FIP_OWNER) await this.ports().remove(ctx, p.id);
  }
}
