import { IPAM_PATTERNS, type AllocatePortReply } from '@neutrino/contracts';
import type { IpRequest, Network, Port } from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import type { Reader } from '../read/reader';
import { newId, nowIso } from '../write/clock';
import type { IpamClient } from '../write/ipam-client';
import type { Writer } from '../write/writer';
import { subnetRef } from './ports.service';

export interface ServicePortSpec {
  network: Network;
  /** '' for the ports Zed hides from the project (gateway, floating IP, HA ports). */
  project: string;
  device_id: string;
  device_owner: string;
  ips: IpRequest[];
  host?: string;
  name?: string;
  status?: string;
}

/**
 * The ports L3 makes for itself (router interfaces, gateways, floating IPs,
 * HA ports): addresses and MAC from ipam, no port security, no groups.
 */
export class ServicePorts {
  constructor(
    private readonly reader: Reader,
    private readonly writer: Writer,
    private readonly ipam: IpamClient,
  ) {}

  /** Allocates the port's addresses (ipam's errors, e.g. IpAddressGenerationFailure, come through) without recording the port. */
  async allocate(ctx: RequestContext, spec: ServicePortSpec): Promise<Port> {
    const id = newId();
    const subnets = this.reader.model.subnetsOf(spec.network.id);
    const alloc = await this.ipam.call<AllocatePortReply>(IPAM_PATTERNS.allocatePort, {
      port_id: id, network_id: spec.network.id, subnets: subnets.map(subnetRef), ips: spec.ips, mac_address: null, actor: ctx.actor, request_id: ctx.requestId,
    });
    const now = nowIso();
    return {
      id,
      name: spec.name ?? '',
      network_id: spec.network.id,
      tenant_id: spec.project,
      mac_address: alloc.mac_address!,
      admin_state_up: true,
      status: spec.status ?? 'DOWN',
      device_id: spec.device_id,
      device_owner: spec.device_owner,
      fixed_ips: alloc.fixed_ips.map((f) => ({ subnet_id: f.subnet_id, ip_address: f.ip_address })),
      allowed_address_pairs: [],
      extra_dhcp_opts: [],
      security_groups: [],
      description: '',
      'binding:vnic_type': 'normal',
      'binding:profile': {},
      'binding:host_id': spec.host ?? '',
      'binding:vif_type': 'unbound',
      'binding:vif_details': {},
      port_security_enabled: false,
      tags: [],
      created_at: now,
      updated_at: now,
      revision_number: 1,
      project_id: spec.project,
    };
  }

  /** Records an allocated port; gives its addresses back if that fails. */
  async record(ctx: RequestContext, port: Port): Promise<void> {
    try {
      await this.writer.append(ctx, { type: 'port', id: port.id }, [{ type: 'port.created', data: { port } }], 0);
    } catch (err) {
      await this.release(ctx, port);
      throw err;
    }
  }

  async create(ctx: RequestContext, spec: ServicePortSpec): Promise<Port> {
    const port = await this.allocate(ctx, spec);
    await this.record(ctx, port);
    return port;
  }

  async release(ctx: RequestContext, port: Port): Promise<void> {
    await this.ipam.call(IPAM_PATTERNS.releasePort, {
      port_id: port.id, network_id: port.network_id, fixed_ips: port.fixed_ips, mac_address: port.mac_address, actor: ctx.actor, request_id: ctx.requestId,
    });
  }

  /** Sets a port's binding host (the l3-agent's host that carries its router). */
  async bind(ctx: RequestContext, portId: string, host: string): Promise<void> {
    const current = this.reader.model.ports.get(portId);
    if (!current || current.value['binding:host_id'] === host) return;
    await this.writer.append(ctx, { type: 'port', id: portId }, [{ type: 'port.updated', data: { changes: { 'binding:host_id': host } } }], current.seq);
  }
}
