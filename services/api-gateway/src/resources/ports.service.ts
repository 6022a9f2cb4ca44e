import { IPAM_PATTERNS, type AllocatePortReply, type SubnetRef } from '@neutrino/contracts';
import {
  buildPort, checkPortGroups, isAdmin, servicePortInUse, policyNotAuthorized, portGroupsOnCreate, validatePortCreate, validatePortUpdate,
  type DomainConfig, type FixedIp, type Port, type PortCreatePlan, type Subnet,
} from '@neutrino/domain';
import { L3_PORT_OWNERS, isTrustedOwner } from '@neutrino/naming';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { NETWORK, PORT, SUBNET } from '../read/kinds';
import type { Reader } from '../read/reader';
import { createOneOrMany } from '../write/bulk';
import { newId, nowIso } from '../write/clock';
import { checkIfMatch } from '../write/if-match';
import type { IpamClient } from '../write/ipam-client';
import type { Writer } from '../write/writer';
import type { DefaultSecurityGroups } from './default-security-group';

/** Router-owned ports are managed through the router API, not /ports. */
const L3_OWNERS = new Set(L3_PORT_OWNERS);

export const subnetRef = (s: Subnet): SubnetRef => ({
  id: s.id, network_id: s.network_id, ip_version: s.ip_version, cidr: s.cidr, gateway_ip: s.gateway_ip, allocation_pools: s.allocation_pools,
});

/** Commands on /v2.0/ports: addresses and MACs come from ipam, the port itself is an event. */
export class PortsService {
  constructor(
    private readonly reader: Reader,
    private readonly writer: Writer,
    private readonly ipam: IpamClient,
    private readonly cfg: DomainConfig,
    private readonly defaults: DefaultSecurityGroups,
  ) {}

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const { one, many } = await createOneOrMany(raw, PORT, (b) => this.createOne(ctx, b), (p) => this.remove(ctx, p.id));
    const show = (p: Port) => PORT.present(this.reader.model.ports.get(p.id)!.value, ctx.actor);
    return one ? { port: show(one) } : { ports: many!.map(show) };
  }

  private async createOne(ctx: RequestContext, body: Record<string, unknown>): Promise<Port> {
    const model = this.reader.model;
    const networkId = (body?.port as { network_id?: unknown } | undefined)?.network_id;
    const net = typeof networkId === 'string' ? model.networks.get(networkId)?.value : undefined;
    const network = net && NETWORK.visible(net, ctx.actor, model) ? net : undefined;
    const subnets = network ? model.subnetsOf(network.id) : [];
    const usedIps = network ? model.usedIps(network.id) : new Map();
    const usedMacs = network ? model.usedMacs(network.id) : new Set<string>();
    const plan = validatePortCreate(body, ctx.actor, { network, subnets, usedIps, usedMacs, subnetExists: this.subnetVisible(ctx) }, this.cfg);
    await this.applySecurityGroups(ctx, body, plan);
    const id = newId();
    const nid = network!.id;
    const alloc = await this.ipam.call<AllocatePortReply>(IPAM_PATTERNS.allocatePort, {
      port_id: id, network_id: nid, subnets: subnets.map(subnetRef), ips: plan.ipRequests, mac_address: plan.mac_address ?? null,
      actor: ctx.actor, request_id: ctx.requestId,
    });
    const port = buildPort(plan, { id, now: nowIso(), mac_address: alloc.mac_address!, fixed_ips: alloc.fixed_ips });
    try {
      await this.writer.append(ctx, { type: 'port', id }, [{ type: 'port.created', data: { port } }], 0);
    } catch (err) {
      await this.release(ctx, port, port.fixed_ips, port.mac_address);
      throw err;
    }
    return port;
  }

  /** security_groups: the project's default group unless given (made on first use), given groups must be usable. */
  private async applySecurityGroups(ctx: RequestContext, body: Record<string, unknown>, plan: PortCreatePlan): Promise<void> {
    const given = (body.port as Record<string, unknown>) ?? {};
    const a = plan.attrs;
    const requested = 'security_groups' in given ? (a.security_groups ?? []) : undefined;
    const needsDefault = requested === undefined && a.port_security_enabled && !isTrustedOwner(a.device_owner);
    const defaultId = needsDefault ? await this.defaults.ensure(ctx, a.project_id) : undefined;
    const decided = portGroupsOnCreate(
      { project_id: a.project_id, device_owner: a.device_owner, port_security_enabled: a.port_security_enabled, requested: requested ?? (defaultId ? undefined : []) },
      ctx.actor,
      { findGroup: (gid) => this.reader.model.securityGroups.get(gid)?.value, defaultGroupId: () => defaultId! },
    );
    a.port_security_enabled = decided.port_security_enabled;
    a.security_groups = decided.security_groups;
  }

  update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    return this.writer.retrying(async () => {
      const model = this.reader.model;
      const current = this.reader.visible<Port>(PORT, id, ctx.actor);
      checkIfMatch(ifMatch, current.value);
      const network = model.networks.get(current.value.network_id)!.value;
      const subnets = model.subnetsOf(network.id);
      const plan = validatePortUpdate(parseJsonBody(raw), current.value, ctx.actor, {
        network, subnets, usedIps: model.usedIps(network.id), usedMacs: model.usedMacs(network.id), subnetExists: this.subnetVisible(ctx),
      }, this.cfg);
      const changes: Partial<Port> = { ...plan.changes };
      if (changes.security_groups?.length && !isTrustedOwner(changes.device_owner ?? current.value.device_owner)) {
        checkPortGroups(changes.security_groups, current.value.project_id, ctx.actor, { findGroup: (gid) => model.securityGroups.get(gid)?.value });
      }
      const newMac = changes.mac_address !== undefined && changes.mac_address !== current.value.mac_address ? changes.mac_address : undefined;
      const adds = plan.fixedIps?.add ?? [];
      let added: FixedIp[] = [];
      if (adds.length || newMac) {
        const alloc = await this.ipam.call<AllocatePortReply>(IPAM_PATTERNS.allocatePort, {
          port_id: id, network_id: network.id, subnets: subnets.map(subnetRef), ips: adds, mac_address: newMac,
          port_mac: newMac ?? current.value.mac_address, actor: ctx.actor, request_id: ctx.requestId,
        });
        added = alloc.fixed_ips;
      }
      if (plan.fixedIps) changes.fixed_ips = [...plan.fixedIps.keep, ...added];
      if (Object.keys(changes).length) {
        try {
          await this.writer.append(ctx, { type: 'port', id }, [{ type: 'port.updated', data: { changes } }], current.seq);
        } catch (err) {
          await this.release(ctx, current.value, added, newMac);
          throw err;
        }
        await this.release(ctx, current.value, plan.fixedIps?.release ?? [], newMac ? current.value.mac_address : undefined);
      }
      return { port: PORT.present(model.ports.get(id)!.value, ctx.actor) };
    });
  }

  delete(ctx: RequestContext, id: string): Promise<void> {
    return this.writer.retrying(async () => {
      const current = this.reader.visible<Port>(PORT, id, ctx.actor);
      const p = current.value;
      const network = this.reader.model.networks.get(p.network_id)?.value;
      if (!isAdmin(ctx.actor) && p.project_id !== ctx.actor.project_id && network?.project_id !== ctx.actor.project_id) {
        throw policyNotAuthorized('delete_port');
      }
      if (L3_OWNERS.has(p.device_owner)) {
        throw servicePortInUse(id, p.device_owner);
      }
      await this.remove(ctx, id);
      await this.disassociateFloatingIps(ctx, id);
    });
  }

  /** A deleted port takes its floating IPs' associations with it (Zed's disassociate_floatingips). */
  private async disassociateFloatingIps(ctx: RequestContext, portId: string): Promise<void> {
    for (const { value: f, seq } of [...this.reader.model.floatingIps.values()]) {
      if (f.port_id !== portId) continue;
      const changes = { port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' };
      await this.writer.append(ctx, { type: 'floatingip', id: f.id }, [{ type: 'floatingip.updated', data: { changes } }], seq);
    }
  }

  private subnetVisible(ctx: RequestContext) {
    return (id: string) => {
      const s = this.reader.model.subnets.get(id)?.value;
      return !!s && SUBNET.visible(s, ctx.actor, this.reader.model);
    };
  }

  /** Deletes a port and gives its addresses and MAC back. */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    const current = this.reader.model.ports.get(id);
    if (!current) return;
    const p = current.value;
    await this.writer.append(ctx, { type: 'port', id }, [
      { type: 'port.deleted', data: { port_id: id, network_id: p.network_id, fixed_ips: p.fixed_ips, mac_address: p.mac_address } },
    ], current.seq);
    await this.release(ctx, p, p.fixed_ips, p.mac_address);
  }

  /** Takes a subnet's address away from a (DHCP) port when the subnet goes. */
  async dropSubnet(ctx: RequestContext, id: string, subnetId: string): Promise<void> {
    const current = this.reader.model.ports.get(id)!;
    const gone = current.value.fixed_ips.filter((f) => f.subnet_id === subnetId);
    const fixed_ips = current.value.fixed_ips.filter((f) => f.subnet_id !== subnetId);
    await this.writer.append(ctx, { type: 'port', id }, [{ type: 'port.updated', data: { changes: { fixed_ips } } }], current.seq);
    await this.release(ctx, current.value, gone);
  }

  private async release(ctx: RequestContext, port: Port, fixed_ips: FixedIp[], mac_address?: string): Promise<void> {
    if (!fixed_ips.length && !mac_address) return;
    await this.ipam.call(IPAM_PATTERNS.releasePort, {
      port_id: port.id, network_id: port.network_id, fixed_ips, mac_address, actor: ctx.actor, request_id: ctx.requestId,
    });
  }
}
