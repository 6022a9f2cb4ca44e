import type { AllocatePortReply } from '@neutrino/contracts';
import { portDecider, type IpRequest, type Network, type Port } from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import type { Reader } from '../read/reader';
import { AppendOutcomeUnknown, provablyNotStored } from '../write/append-outcome';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import type { IpamClient } from '../write/ipam-client';
import { portAddresses } from '../write/port-reservation';
import { withReservation, type Reservation } from '../write/reservation';
import { aggregate, portState } from '../write/states';

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
  /** Security groups (the load balancer VIP's project default group): the port then has port security on. */
  security_groups?: string[];
}

/** The port L3 makes for itself once ipam gave it a MAC and addresses: no port security, no groups. */
function servicePort(id: string, spec: ServicePortSpec, alloc: AllocatePortReply): Port {
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
    security_groups: [...(spec.security_groups ?? [])],
    description: '',
    'binding:vnic_type': 'normal',
    'binding:profile': {},
    'binding:host_id': spec.host ?? '',
    'binding:vif_type': 'unbound',
    'binding:vif_details': {},
    port_security_enabled: !!spec.security_groups?.length,
    tags: [],
    created_at: now,
    updated_at: now,
    revision_number: 1,
    project_id: spec.project,
  };
}

/**
 * The ports L3 makes for itself (router interfaces, gateways, floating IPs,
 * HA ports): a reservation (addresses and MAC from ipam, the port built from
 * them) and its recording.
 */
export class ServicePorts {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    private readonly ipam: IpamClient,
  ) {}

  /** The port's addresses as a reservation (ipam's errors, e.g. IpAddressGenerationFailure, come through); nothing is recorded. */
  reservation(ctx: RequestContext, spec: ServicePortSpec): Reservation<Port> {
    const id = newId();
    const addresses = portAddresses(this.ipam, ctx, {
      port_id: id, network_id: spec.network.id, subnets: this.reader.model.subnetsOf(spec.network.id), ips: spec.ips, mac_address: null,
    });
    return {
      reserve: async () => servicePort(id, spec, await addresses.reserve()),
      release: (port) => addresses.release({ fixed_ips: port.fixed_ips, mac_address: port.mac_address }),
    };
  }

  /** Records a reserved port (port.created on a fresh subject). */
  async record(ctx: RequestContext, port: Port): Promise<void> {
    await this.handler.handle(ctx, {
      aggregate: aggregate('port', port.id),
      load: () => portState(this.reader.model, port.id, ctx.actor),
      decide: (s) => portDecider.decide({ type: 'CreateServicePort', port }, s),
    });
  }

  /** Reserve → record, or release. */
  create(ctx: RequestContext, spec: ServicePortSpec): Promise<Port> {
    return this.withRecorded(ctx, spec, async (port) => ({ result: port, used: true }));
  }

  /**
   * reserve → check (pure, before anything is recorded) → record the port →
   * use (the owner's decision) → keep; or, when `use` provably stored nothing
   * or decided without the port (another request got there first), delete the
   * port again and release its addresses. Nothing here is retried: only the
   * decisions inside `record` and `use` are.
   */
  withRecorded<T>(
    ctx: RequestContext, spec: ServicePortSpec, use: (port: Port) => Promise<{ result: T; used: boolean }>, check?: (port: Port) => void,
  ): Promise<T> {
    const reservation = this.reservation(ctx, spec);
    return withReservation(reservation, async (port) => {
      check?.(port);
      await this.record(ctx, port);
      let outcome: { result: T; used: boolean };
      try {
        outcome = await use(port);
      } catch (err) {
        if (provablyNotStored(err)) await this.unrecord(ctx, port, err);
        throw err;
      }
      if (!outcome.used) {
        await this.unrecord(ctx, port, 'not used');
        await reservation.release(port);
      }
      return outcome.result;
    });
  }

  /** Takes back a recorded port whose owner's change failed (its addresses are released by the reservation). */
  private async unrecord(ctx: RequestContext, port: Port, cause: unknown): Promise<void> {
    try {
      await this.handler.handle(ctx, {
        aggregate: aggregate('port', port.id),
        load: () => portState(this.reader.model, port.id, ctx.actor),
        decide: (s) => portDecider.decide({ type: 'DeletePort', actor: ctx.actor, byOwner: true }, s),
      });
    } catch {
      // The port may still be recorded: its addresses must not be handed out again.
      throw new AppendOutcomeUnknown(`evt.port.${port.id}`, cause);
    }
  }

  /** Sets a port's binding host (the l3-agent's host that carries its router). */
  async bind(ctx: RequestContext, portId: string, host: string): Promise<void> {
    await this.handler.handle(ctx, {
      aggregate: aggregate('port', portId),
      load: () => portState(this.reader.model, portId, ctx.actor),
      decide: (s) => (s.port && s.port['binding:host_id'] !== host ? portDecider.decide({ type: 'SetPortDevice', changes: { 'binding:host_id': host } }, s) : []),
    });
  }
}
