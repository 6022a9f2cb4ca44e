import {
  checkQosPolicyUsable, floatingIpsDeletedWith, movedSegment, networkDecider, NeutronError, planNetworkUpdate, validateNetworkCreate, type DomainConfig, type Network, type NetworkState, type SegmentData,
} from '@neutrino/domain';
import { IPAM_PATTERNS } from '@neutrino/contracts';
import { DHCP_OWNER } from '@neutrino/naming';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { NETWORK } from '../read/kinds';
import type { Reader } from '../read/reader';
import { createOneOrMany } from '../write/bulk';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { checkIfMatch } from '../write/if-match';
import type { IpamClient } from '../write/ipam-client';
import { nothing, withReservation, type Reservation } from '../write/reservation';
import { onNetwork } from '../write/network-commands';
import { aggregate, networkState, qosLookup } from '../write/states';
import type { FloatingIpsService } from './floatingips.service';
import type { PortsService } from './ports.service';
import type { SubnetsService } from './subnets.service';
import type { QuotasService } from './quotas.service';

/** Commands on /v2.0/networks (networkDecider); the segment comes from ipam first. */
export class NetworksService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    private readonly ipam: IpamClient,
    private readonly cfg: DomainConfig,
    private readonly ports: () => PortsService,
    private readonly subnets: () => SubnetsService,
    private readonly floatingIps: () => FloatingIpsService,
    private readonly quotas?: QuotasService,
  ) {}

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const { one, many } = await createOneOrMany(
      raw, NETWORK, (b, id) => this.createOne(ctx, b, id), (n) => this.remove(ctx, n.id), undefined,
      (b) => void this.precheck(ctx, b), this.quotas?.claimsFor(ctx, 'network', { network: 1 }),
    );
    const show = (n: Network) => NETWORK.present(this.reader.model.networks.get(n.id)!.value, ctx.actor);
    return one ? { network: show(one) } : { networks: many!.map(show) };
  }

  /** A segment from ipam: `call` names the network and the segment asked for. */
  private segment(ctx: RequestContext, call: object): Reservation<SegmentData> {
    const req = { ...call, actor: ctx.actor, request_id: ctx.requestId };
    return {
      reserve: () => this.ipam.call<SegmentData>(IPAM_PATTERNS.allocateSegment, req),
      release: async (s) => void (await this.ipam.call(IPAM_PATTERNS.releaseSegment, { ...req, ...s })),
    };
  }

  private segmentOf = (n: Network) => ({
    network_id: n.id, network_type: n['provider:network_type'], physical_network: n['provider:physical_network'], segmentation_id: n['provider:segmentation_id'],
  });

  /** What a create is refused for before anything is claimed or reserved (the body, policy, the QoS policy it names). */
  private precheck(ctx: RequestContext, body: unknown) {
    const plan = validateNetworkCreate(body, ctx.actor, this.cfg);
    checkQosPolicyUsable(plan.attrs.qos_policy_id, qosLookup(this.reader.model, ctx.actor));
    return plan;
  }

  private async createOne(ctx: RequestContext, body: Record<string, unknown>, id = newId()): Promise<Network> {
    const plan = this.precheck(ctx, body); // refused before anything is reserved
    return withReservation(this.segment(ctx, { network_id: id, ...plan.segment }), async (segment) => {
      const now = nowIso();
      await this.handler.handle(ctx, {
        aggregate: aggregate('network', id),
        load: () => networkState(this.reader.model, id, ctx.actor),
        decide: (s) => networkDecider.decide({ type: 'CreateNetwork', body, actor: ctx.actor, cfg: this.cfg, id, now, segment }, s),
      });
      return this.reader.model.networks.get(id)!.value;
    });
  }

  async update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    const body = parseJsonBody(raw);
    const model = this.reader.model;
    const decide = (s: NetworkState, reservedSegmentationId?: number | null) =>
      networkDecider.decide({ type: 'UpdateNetwork', body, actor: ctx.actor, cfg: this.cfg, reservedSegmentationId }, s);
    const current = this.reader.visible<Network>(NETWORK, id, ctx.actor);
    checkIfMatch(ifMatch, current.value);
    // A VLAN id move needs the new id reserved first (the decision refuses a move it was not reserved for).
    const changes = planNetworkUpdate({ body, actor: ctx.actor, cfg: this.cfg }, networkState(model, id, ctx.actor).state);
    const moved = movedSegment(changes, current.value);
    const before = this.segmentOf(current.value);
    const reservation = moved === undefined ? nothing : this.segment(ctx, { ...before, segmentation_id: moved });
    await withReservation<SegmentData | undefined, unknown>(reservation, () =>
      this.handler.handle(ctx, {
        aggregate: aggregate('network', id),
        load: () => {
          const v = this.reader.visible<Network>(NETWORK, id, ctx.actor);
          checkIfMatch(ifMatch, v.value);
          return networkState(model, id, ctx.actor);
        },
        decide: (s) => decide(s, moved),
      }),
    );
    if (moved !== undefined) await this.segment(ctx, before).release(before as SegmentData).catch(() => undefined);
    return { network: NETWORK.present(model.networks.get(id)!.value, ctx.actor) };
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    this.reader.visible<Network>(NETWORK, id, ctx.actor);
    // Decided once on the current state (policy, NetworkInUse) before the DHCP ports and subnets go.
    networkDecider.decide({ type: 'DeleteNetwork', actor: ctx.actor }, networkState(this.reader.model, id).state);
    await this.remove(ctx, id);
  }

  /** The floating IPs that go with the (external) network: deleted unless one was associated meanwhile. */
  private async removeFloatingIps(ctx: RequestContext, id: string): Promise<void> {
    for (const f of floatingIpsDeletedWith(networkState(this.reader.model, id).state.floatingIps)) await this.floatingIps().remove(ctx, f.id, true);
  }

  /**
   * Deletes a network with its DHCP ports, its floating IPs not associated (an external network,
   * as Zed) and its subnets. The deletion is first
   * marked on the network's subject (port creates recorded from then on join
   * it and race the deletion there); the last step is decided again on fresh
   * state with the network's sequence. Refused, the mark goes.
   */
  private async remove(ctx: RequestContext, id: string): Promise<void> {
    const model = this.reader.model;
    const current = model.networks.get(id);
    if (!current) return;
    const system = { ...ctx, actor: { ...ctx.actor, roles: [...ctx.actor.roles, 'admin'] } };
    const decide = onNetwork(this.handler, model, ctx, id);
    await decide({ type: 'BeginDeletion', id, actor: system.actor });
    try {
      for (const p of model.portsOn(id)) if (p.device_owner === DHCP_OWNER) await this.ports().remove(ctx, p.id);
      await this.removeFloatingIps(system, id);
      for (const s of model.subnetsOf(id)) await this.subnets().remove(system, s.id);
      await decide({ type: 'DeleteNetwork', actor: system.actor });
    } catch (err) {
      await decide({ type: 'CancelDeletion', id }).catch(() => undefined);
      // A port that joined meanwhile holds a subnet, or a floating IP was associated meanwhile: as Zed, the network is in use.
      if (err instanceof NeutronError && (err.type === 'SubnetInUse' || err.type === 'FloatingIPAssociated')) {
        networkDecider.decide({ type: 'DeleteNetwork', actor: system.actor }, networkState(model, id).state);
      }
      throw err;
    }
    // A DHCP port made while the deletion was pending goes with the network.
    for (const p of model.portsOn(id)) if (p.device_owner === DHCP_OWNER) await this.ports().remove(ctx, p.id);
    const n = current.value;
    await this.ipam.call(IPAM_PATTERNS.releaseSegment, {
      network_id: id, network_type: n['provider:network_type'], physical_network: n['provider:physical_network'],
      segmentation_id: n['provider:segmentation_id'], actor: ctx.actor, request_id: ctx.requestId,
    });
  }
}
