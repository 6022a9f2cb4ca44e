import {
  buildNetwork, conflict, isAdmin, policyNotAuthorized, validateNetworkCreate, validateNetworkUpdate,
  type DomainConfig, type Network, type SegmentData,
} from '@neutrino/domain';
import { IPAM_PATTERNS } from '@neutrino/contracts';
import { DHCP_OWNER } from '@neutrino/naming';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { NETWORK } from '../read/kinds';
import type { Reader } from '../read/reader';
import { createOneOrMany } from '../write/bulk';
import { newId, nowIso } from '../write/clock';
import { checkIfMatch } from '../write/if-match';
import type { IpamClient } from '../write/ipam-client';
import type { Writer } from '../write/writer';
import type { PortsService } from './ports.service';

/** Commands on /v2.0/networks. */
export class NetworksService {
  constructor(
    private readonly reader: Reader,
    private readonly writer: Writer,
    private readonly ipam: IpamClient,
    private readonly cfg: DomainConfig,
    private readonly ports: () => PortsService,
  ) {}

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const { one, many } = await createOneOrMany(raw, NETWORK, (b) => this.createOne(ctx, b), (n) => this.remove(ctx, n.id));
    const show = (n: Network) => NETWORK.present(this.reader.model.networks.get(n.id)!.value, ctx.actor);
    return one ? { network: show(one) } : { networks: many!.map(show) };
  }

  private async createOne(ctx: RequestContext, body: Record<string, unknown>): Promise<Network> {
    const plan = validateNetworkCreate(body, ctx.actor, this.cfg);
    const id = newId();
    const call = { network_id: id, ...plan.segment, actor: ctx.actor, request_id: ctx.requestId };
    const segment = await this.ipam.call<SegmentData>(IPAM_PATTERNS.allocateSegment, call);
    const network = buildNetwork(plan, segment, { id, now: nowIso() });
    try {
      await this.writer.append(ctx, { type: 'network', id }, [{ type: 'network.created', data: { network } }], 0);
    } catch (err) {
      await this.ipam.call(IPAM_PATTERNS.releaseSegment, { ...call, ...segment }).catch(() => undefined);
      throw err;
    }
    return network;
  }

  update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    return this.writer.retrying(async () => {
      const current = this.reader.visible<Network>(NETWORK, id, ctx.actor);
      checkIfMatch(ifMatch, current.value);
      const otherProjectsHavePorts = this.reader.model.portsOn(id).some((p) => p.project_id !== current.value.project_id);
      const changes = validateNetworkUpdate(parseJsonBody(raw), current.value, ctx.actor, { otherProjectsHavePorts }, this.cfg);
      if (Object.keys(changes).length) {
        const moved = changes['provider:segmentation_id'] !== undefined && changes['provider:segmentation_id'] !== current.value['provider:segmentation_id'];
        const segment = (n: Network) => ({
          network_id: id, network_type: n['provider:network_type'], physical_network: n['provider:physical_network'],
          segmentation_id: n['provider:segmentation_id'], actor: ctx.actor, request_id: ctx.requestId,
        });
        const next = { ...current.value, ...changes };
        if (moved) await this.ipam.call<SegmentData>(IPAM_PATTERNS.allocateSegment, segment(next));
        try {
          await this.writer.append(ctx, { type: 'network', id }, [{ type: 'network.updated', data: { changes } }], current.seq);
        } catch (err) {
          if (moved) await this.ipam.call(IPAM_PATTERNS.releaseSegment, segment(next)).catch(() => undefined);
          throw err;
        }
        if (moved) await this.ipam.call(IPAM_PATTERNS.releaseSegment, segment(current.value));
      }
      return { network: NETWORK.present(this.reader.model.networks.get(id)!.value, ctx.actor) };
    });
  }

  delete(ctx: RequestContext, id: string): Promise<void> {
    return this.writer.retrying(async () => {
      const current = this.reader.visible<Network>(NETWORK, id, ctx.actor);
      if (!isAdmin(ctx.actor) && current.value.project_id !== ctx.actor.project_id) throw policyNotAuthorized('delete_network');
      await this.remove(ctx, id);
    });
  }

  /** Deletes a network with its subnets and DHCP ports; refused while other ports use it. */
  private async remove(ctx: RequestContext, id: string): Promise<void> {
    const model = this.reader.model;
    const current = model.networks.get(id);
    if (!current) return;
    const inUse = model.portsOn(id).filter((p) => p.device_owner !== DHCP_OWNER);
    if (inUse.length) {
      throw conflict('NetworkInUse', `Unable to complete operation on network ${id}. There are one or more ports still in use on the network, id for these ports is: ${inUse.map((p) => p.id).join(',')}.`);
    }
    for (const p of model.portsOn(id)) await this.ports().remove(ctx, p.id);
    for (const s of model.subnetsOf(id)) {
      const sv = model.subnets.get(s.id)!;
      await this.writer.append(ctx, { type: 'subnet', id: s.id }, [{ type: 'subnet.deleted', data: { subnet_id: s.id, network_id: id } }], sv.seq);
    }
    const net = model.networks.get(id)!;
    await this.writer.append(ctx, { type: 'network', id }, [{ type: 'network.deleted', data: { network_id: id } }], net.seq);
    const n = current.value;
    await this.ipam.call(IPAM_PATTERNS.releaseSegment, {
      network_id: id,
      network_type: n['provider:network_type'],
      physical_network: n['provider:physical_network'],
      segmentation_id: n['provider:segmentation_id'],
      actor: ctx.actor,
      request_id: ctx.requestId,
    });
  }
}
