import type { Actor } from '../actor';
import { subnetNotFound } from '../common/errors';
import type { Decider } from '../decider';
import { NeutronError, conflict } from '../errors';
import type { CoreEvent } from '../events';
import type { FloatingIp, Network, Subnet } from '../model';
import { checkSubnetIp, type IpRequest } from '../port/fixed-ips';
import { decideAssociation, type AssociationContext } from './association';
import { buildFloatingIp } from './build';
import { floatingIpNotFound } from './errors';
import { canSeeFloatingIp } from './visibility';
import { fipInUseByPortForwarding } from '../port-forwarding/errors';
import {
  decideClaimForwardedPort, decideCreatePortForwarding, decideDeletePortForwarding, decideRemoveForwardingsOfPort, decideRestoreForwarding, decideUpdatePortForwarding,
  portForwardingsOf, type PortForwardingEvent,
} from '../port-forwarding/decide';
import type { PortForwarding } from '../port-forwarding/model';
import { evolveFloatingIp } from './evolve';
import { validateFloatingIpCreate, validateFloatingIpUpdate, type FloatingIpCreateAttrs } from './validate';

export type FloatingIpEvent = CoreEvent<'floatingip.created' | 'floatingip.updated' | 'floatingip.deleted' | 'port.floatingip_associated'> | PortForwardingEvent;

export type FloatingIpCommand =
  /** `address`: the floating address reserved in ipam (its port is recorded by the create process). */
  | { type: 'CreateFloatingIp'; body: unknown; actor: Actor; id: string; now: string; address: string }
  | { type: 'UpdateFloatingIp'; body: unknown; actor: Actor }
  /** Its port went away (Zed's disassociate_floatingips). */
  | { type: 'DisassociateFloatingIp' }
  /**
   * `withNetwork`: deleted with its external network (the network's deletion saw it not associated):
   * refused when an association landed meanwhile (the network is then in use).
   */
  | { type: 'DeleteFloatingIp'; actor: Actor; withNetwork?: boolean }
  /**
   * The recorded floating IP's association joins its port (an event on the
   * port's subject): decided again against the other floating IPs, so of two
   * concurrent associations of one fixed IP one is refused.
   */
  | { type: 'ClaimFixedIp'; actor: Actor }
  /** A refused claim takes the association back to what it was. */
  | { type: 'RestoreAssociation'; to: Pick<FloatingIp, 'port_id' | 'fixed_ip_address' | 'router_id' | 'status'> }
  /** /v2.0/floatingips/<floatingip_id>/port_forwardings (port-forwarding/decide.ts); `id`: the new forwarding's */
  | { type: 'CreatePortForwarding'; floatingip_id: string; body: unknown; actor: Actor; id: string }
  | { type: 'UpdatePortForwarding'; floatingip_id: string; id: string; body: unknown; actor: Actor }
  | { type: 'DeletePortForwarding'; floatingip_id: string; id: string; actor: Actor }
  /** The internal port went away (`keep_ips` absent) or kept only `keep_ips`: its forwardings go. */
  | { type: 'RemovePortForwardingsOfPort'; port_id: string; keep_ips?: string[] }
  /** The recorded forwarding joins its internal port's subject (decided on the port's sequence; `recheck`: after a lost try). */
  | { type: 'ClaimForwardedPort'; port_forwarding_id: string; recheck: boolean }
  /** A refused claim: the forwarding deleted (`to` absent) or restored to `to`. */
  | { type: 'RestorePortForwarding'; port_forwarding_id: string; to?: PortForwarding };

export interface FloatingIpState {
  floatingip: FloatingIp | undefined;
  networks: { network: (id: string) => Network | undefined; subnetsOf: (id: string) => Subnet[] };
  association: AssociationContext;
}

const FIP_OWNER = 'network:floatingip';

/** The address asked for (floating_ip_address / subnet_id), else the next free one of the IPv4 subnets. */
export function floatingIpAddressRequest(attrs: FloatingIpCreateAttrs, subnets: Subnet[]): IpRequest {
  const v4 = subnets.filter((s) => s.ip_version === 4);
  if (attrs.subnet_id && !subnets.some((s) => s.id === attrs.subnet_id)) throw subnetNotFound(attrs.subnet_id);
  if (attrs.floating_ip_address) {
    const s = (attrs.subnet_id ? subnets.filter((x) => x.id === attrs.subnet_id) : v4).find((x) => checkSubnetIp(x.cidr, attrs.floating_ip_address!, FIP_OWNER));
    if (!s) throw new NeutronError(400, 'InvalidIpForNetwork', `IP address ${attrs.floating_ip_address} is not a valid IP for any of the subnets on the specified network.`);
    return { subnet_id: s.id, ip_address: attrs.floating_ip_address };
  }
  if (attrs.subnet_id) return { subnet_id: attrs.subnet_id };
  const [first, ...rest] = v4;
  return rest.length ? { subnet_id: first.id, fallback_subnet_ids: rest.map((s) => s.id) } : { subnet_id: first.id };
}

/**
 * A create's checks before any address is taken, so a refused request leaves
 * no trace: the attributes, the address request and the association (only
 * "already associated" needs the new address for Zed's message; that one is
 * decided again once the address is known).
 */
export function planFloatingIpCreate(command: { body: unknown; actor: Actor; id: string }, state: FloatingIpState): { attrs: FloatingIpCreateAttrs; ip: IpRequest } {
  const attrs = validateFloatingIpCreate(command.body, command.actor, state.networks);
  const ip = floatingIpAddressRequest(attrs, state.networks.subnetsOf(attrs.floating_network_id));
  try {
    associate(command, attrs, ip.ip_address ?? '', state);
  } catch (err) {
    if (!(err instanceof NeutronError) || err.type !== 'FloatingIPPortAlreadyAssociated') throw err;
  }
  return { attrs, ip };
}

const associate = (command: { actor: Actor; id: string }, attrs: FloatingIpCreateAttrs, address: string, state: FloatingIpState) =>
  decideAssociation(
    { id: command.id, floating_ip_address: address, floating_network_id: attrs.floating_network_id, project_id: attrs.project_id, port_id: null },
    { port_id: attrs.port_id, fixed_ip_address: attrs.fixed_ip_address },
    command.actor,
    state.association,
  );

/** The parent of a port forwarding: the caller's floating IP, else FloatingIPNotFound (policy: admin_or_parent_owner). */
function visibleFip(f: FloatingIp | undefined, command: { floatingip_id: string; actor: Actor }): FloatingIp {
  if (!f || !canSeeFloatingIp(f, command.actor)) throw floatingIpNotFound(command.floatingip_id);
  return f;
}

function decide(command: FloatingIpCommand, state: FloatingIpState): FloatingIpEvent[] {
  const f = state.floatingip;
  switch (command.type) {
    case 'CreateFloatingIp': {
      if (f) throw conflict('FloatingIPExists', `Floating IP ${command.id} already exists.`);
      const attrs = validateFloatingIpCreate(command.body, command.actor, state.networks);
      const assoc = associate(command, attrs, command.address, state);
      return [{ type: 'floatingip.created', data: { floatingip: buildFloatingIp(attrs, { id: command.id, now: command.now, address: command.address }, assoc) } }];
    }
    case 'UpdateFloatingIp': {
      if (!f) throw floatingIpNotFound('');
      const item = validateFloatingIpUpdate(command.body, f, command.actor);
      const changes: Partial<FloatingIp> = {};
      if ('port_id' in item || 'fixed_ip_address' in item) {
        const assoc = decideAssociation(f, { port_id: item.port_id, fixed_ip_address: item.fixed_ip_address }, command.actor, state.association);
        const forwarding = portForwardingsOf(f).length > 0;
        if (forwarding && assoc.port_id) throw fipInUseByPortForwarding(f.id);
        // a forwarding floating IP keeps its router (it is associated with none of the ports)
        if (!forwarding && (assoc.port_id !== f.port_id || assoc.fixed_ip_address !== f.fixed_ip_address || assoc.router_id !== f.router_id)) {
          // the l3-agent reports ACTIVE again once the new association is in place
          Object.assign(changes, assoc, { status: 'DOWN' });
        }
      }
      if (item.description !== undefined && item.description !== f.description) changes.description = item.description;
      // Every update is recorded, one that changes nothing too: Zed bumps a floating IP's revision_number on each.
      return [{ type: 'floatingip.updated', data: { changes } }];
    }
    case 'DisassociateFloatingIp':
      return f?.port_id ? [{ type: 'floatingip.updated', data: { changes: { port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' } } }] : [];
    case 'ClaimFixedIp': {
      if (!f?.port_id) return [];
      const others = { ...state.association, floatingIps: state.association.floatingIps.filter((x) => x.id !== f.id) };
      const assoc = decideAssociation(f, { port_id: f.port_id, fixed_ip_address: f.fixed_ip_address }, command.actor, others);
      return [{
        type: 'port.floatingip_associated',
        data: { port_id: assoc.port_id!, floatingip_id: f.id, fixed_ip_address: assoc.fixed_ip_address!, floating_network_id: f.floating_network_id },
      }];
    }
    case 'RestoreAssociation':
      return f ? [{ type: 'floatingip.updated', data: { changes: { ...command.to } } }] : [];
    case 'CreatePortForwarding':
      return [decideCreatePortForwarding(visibleFip(f, command), command.body, command.actor, command.id, state.association)];
    case 'UpdatePortForwarding':
      return [decideUpdatePortForwarding(visibleFip(f, command), command.id, command.body, command.actor, state.association)];
    case 'DeletePortForwarding':
      return decideDeletePortForwarding(visibleFip(f, command), command.id);
    case 'RemovePortForwardingsOfPort':
      return decideRemoveForwardingsOfPort(f, command.port_id, command.keep_ips);
    case 'ClaimForwardedPort': {
      // the claim is decided with the other floating IPs' forwardings and this one's others
      const others = { ...state.association, floatingIps: [...state.association.floatingIps.filter((x) => x.id !== f?.id), ...(f ? [f] : [])] };
      return decideClaimForwardedPort(f, command.port_forwarding_id, others, command.recheck);
    }
    case 'RestorePortForwarding':
      return decideRestoreForwarding(f, command.port_forwarding_id, command.to);
    case 'DeleteFloatingIp':
      if (f?.port_id && command.withNetwork) {
        throw conflict('FloatingIPAssociated', `Floating IP ${f.id} was associated with port ${f.port_id} while its network was deleted.`);
      }
      return f ? [{ type: 'floatingip.deleted', data: { floatingip_id: f.id } }] : [];
  }
}

export const floatingIpDecider: Decider<FloatingIpCommand, FloatingIpState, FloatingIpEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, floatingip: evolveFloatingIp(state.floatingip, event) }),
  initialState: () => ({
    floatingip: undefined,
    networks: { network: () => undefined, subnetsOf: () => [] },
    association: { port: () => undefined, subnet: () => undefined, routers: [], interfacesOf: () => [], floatingIps: [] },
  }),
};
