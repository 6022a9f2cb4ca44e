import { conflict, isAdmin, policyNotAuthorized, validateSubnetCreate, validateSubnetUpdate, type DomainConfig, type Network, type Subnet } from '@neutrino/domain';
import { DHCP_OWNER } from '@neutrino/naming';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { NETWORK, SUBNET } from '../read/kinds';
import type { Reader } from '../read/reader';
import { createOneOrMany } from '../write/bulk';
import { newId, nowIso } from '../write/clock';
import { checkIfMatch } from '../write/if-match';
import type { Writer } from '../write/writer';
import type { PortsService } from './ports.service';

/** Commands on /v2.0/subnets. */
export class SubnetsService {
  constructor(
    private readonly reader: Reader,
    private readonly writer: Writer,
    private readonly cfg: DomainConfig,
    private readonly ports: () => PortsService,
  ) {}

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const { one, many } = await createOneOrMany(raw, SUBNET, (b) => this.createOne(ctx, b), (s) => this.remove(ctx, s.id));
    const show = (s: Subnet) => SUBNET.present(this.reader.model.subnets.get(s.id)!.value, ctx.actor);
    return one ? { subnet: show(one) } : { subnets: many!.map(show) };
  }

  private async createOne(ctx: RequestContext, body: Record<string, unknown>): Promise<Subnet> {
    const networkId = (body?.subnet as { network_id?: unknown } | undefined)?.network_id;
    const net = typeof networkId === 'string' ? this.reader.model.networks.get(networkId)?.value : undefined;
    const network = net && NETWORK.visible(net, ctx.actor, this.reader.model) ? net : undefined;
    const siblings = network ? this.reader.model.subnetsOf(network.id) : [];
    const subnet = validateSubnetCreate(body, ctx.actor, { network, siblings }, this.cfg, { id: newId(), now: nowIso() });
    await this.writer.append(ctx, { type: 'subnet', id: subnet.id }, [{ type: 'subnet.created', data: { subnet } }], 0);
    return subnet;
  }

  update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    return this.writer.retrying(async () => {
      const current = this.reader.visible<Subnet>(SUBNET, id, ctx.actor);
      checkIfMatch(ifMatch, current.value);
      const model = this.reader.model;
      const network = model.networks.get(current.value.network_id)!.value as Network;
      const siblings = model.subnetsOf(network.id).filter((s) => s.id !== id);
      const allocatedIps = [...(model.usedIps(network.id).get(id) ?? [])];
      const changes = validateSubnetUpdate(parseJsonBody(raw), current.value, ctx.actor, { network, siblings, allocatedIps }, this.cfg);
      if (Object.keys(changes).length) {
        await this.writer.append(ctx, { type: 'subnet', id }, [{ type: 'subnet.updated', data: { changes } }], current.seq);
      }
      return { subnet: SUBNET.present(model.subnets.get(id)!.value, ctx.actor) };
    });
  }

  delete(ctx: RequestContext, id: string): Promise<void> {
    return this.writer.retrying(async () => {
      const current = this.reader.visible<Subnet>(SUBNET, id, ctx.actor);
      if (!isAdmin(ctx.actor) && current.value.project_id !== ctx.actor.project_id) throw policyNotAuthorized('delete_subnet');
      await this.remove(ctx, id);
    });
  }

  /** Deletes a subnet; DHCP ports lose their address on it, any other port holding one blocks it. */
  private async remove(ctx: RequestContext, id: string): Promise<void> {
    const model = this.reader.model;
    const current = model.subnets.get(id);
    if (!current) return;
    const holders = model.portsOn(current.value.network_id).filter((p) => p.fixed_ips.some((f) => f.subnet_id === id));
    if (holders.some((p) => p.device_owner !== DHCP_OWNER)) {
      throw conflict('SubnetInUse', `Unable to complete operation on subnet ${id}: One or more ports have an IP allocation from this subnet.`);
    }
    for (const p of holders) await this.ports().dropSubnet(ctx, p.id, id);
    const latest = model.subnets.get(id)!;
    await this.writer.append(ctx, { type: 'subnet', id }, [{ type: 'subnet.deleted', data: { subnet_id: id, network_id: current.value.network_id } }], latest.seq);
  }
}
