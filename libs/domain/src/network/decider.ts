import { isAdmin, type Actor } from '../actor';
import { networkNotFound, subnetNotFound } from '../common/errors';
import { defaultDomainConfig, type DomainConfig } from '../config';
import type { Decider } from '../decider';
import { conflict, policyNotAuthorized } from '../errors';
import type { CoreEvent, SegmentData } from '../events';
import type { FloatingIp, Network, Port, Subnet } from '../model';
import type { SubnetPool } from '../subnetpool/model';
import { subnetHoldersInUse, subnetInUse } from '../subnet/decider';
import { validateSubnetCreate } from '../subnet/validate-create';
import { buildNetwork } from './build';
import { evolveNetwork } from './evolve';
import { validateNetworkCreate } from './validate-create';
import { checkQosPolicyUsable, type QosLookup } from '../qos/attach';
import { validateNetworkUpdate } from './validate-update';
import { decideRbac, sharedWith, type RbacCommand } from '../rbac/network-rbac';

export type NetworkEvent = CoreEvent<
  | 'network.created' | 'network.updated' | 'network.deleted' | 'network.subnet_added'
  | 'network.deleting' | 'network.deleting_cancelled' | 'network.port_joined' | 'network.subnet_removed'
  | 'network.rbac_added' | 'network.rbac_updated' | 'network.rbac_removed'
>;

export type NetworkCommand =
  | { type: 'CreateNetwork'; body: unknown; actor: Actor; cfg?: DomainConfig; id: string; now: string; /** reserved in ipam */ segment: SegmentData }
  /** `reservedSegmentationId`: the VLAN id reserved for a segment move (the decision refuses a move it was not reserved for). */
  | { type: 'UpdateNetwork'; body: unknown; actor: Actor; cfg?: DomainConfig; reservedSegmentationId?: number | null }
  | { type: 'DeleteNetwork'; actor: Actor }
  /**
   * A deletion begins: the network's own (`id` = the network's id: decided as
   * DeleteNetwork, policy and NetworkInUse) or a subnet's (decided by the
   * subnet's decider first). Marked on the network's subject, so port creates
   * recorded from now on join it (JoinPort) and race the deletion there.
   */
  | { type: 'BeginDeletion'; id: string; actor: Actor }
  /** The deletion marked as `id` was refused (or failed): the mark goes. */
  | { type: 'CancelDeletion'; id: string }
  /** A subnet's deletion, decided against the network's ports (SubnetInUse) on its subject; subnet.deleted follows. */
  | { type: 'RemoveSubnet'; subnet_id: string }
  /**
   * A port recorded while a deletion was pending on its network (or whose
   * network or subnet went while it was decided) joins the network: refused
   * when the network or one of its subnets is gone (the port is then deleted again).
   * An update that gave a port addresses joins the same way with `subnets`,
   * the subnets it added addresses on: only those are checked (refused, the
   * addresses on them are taken back).
   */
  | { type: 'JoinPort'; port: Port; subnets?: string[] }
  /**
   * The subnet created as `body` (recorded on its own subject) joins the
   * network: its checks against the network's other subnets (CIDR overlap...)
   * are decided again here, serialized on the network's subject.
   */
  | { type: 'AddSubnet'; body: unknown; actor: Actor; cfg?: DomainConfig; subnet_id: string; now: string; pools?: SubnetPool[]; allocated?: string }
  /** RBAC policies on the network (libs/domain/src/rbac): the wildcard ones are its shared / router:external flags, decided as an update. */
  | RbacCommand;

export interface NetworkState {
  network: Network | undefined;
  /** The ports on the network (the facts of "NetworkInUse" and of shared → not shared). */
  ports: Port[];
  /** The network's subnets (the facts of AddSubnet). */
  subnets?: Subnet[];
  /** The floating IPs on the network (an external one): those not associated go with it. */
  floatingIps?: FloatingIp[];
  /** The QoS policies the caller may name (qos_policy_id), and the projects' default ones (qos-default). */
  qos?: QosLookup;
}

/** The segmentation id an update moves the network to, if it moves (the caller reserves it first). */
export const movedSegment = (changes: Partial<Network>, current: Network): number | null | undefined =>
  changes['provider:segmentation_id'] !== undefined && changes['provider:segmentation_id'] !== current['provider:segmentation_id']
    ? changes['provider:segmentation_id']
    : undefined;

/**
 * The floating IPs that go with their external network when it is deleted: those not associated
 * (Zed's delete_disassociated_floatingips); an associated one keeps its port in the way.
 */
export const floatingIpsDeletedWith = (floatingIps: FloatingIp[] = []): FloatingIp[] => floatingIps.filter((f) => !f.port_id);

/** The ports that keep a network from being deleted: all but its DHCP ports and the ports of the floating IPs that go with it. */
export const portsInUse = (ports: Port[], floatingIps: FloatingIp[] = []): Port[] => {
  const going = new Set(floatingIpsDeletedWith(floatingIps).map((f) => f.id));
  return ports.filter((p) => p.device_owner !== 'network:dhcp' && !(p.device_owner === 'network:floatingip' && going.has(p.device_id)));
};

/** The attributes an update changes (policy and checks included), before any segment is reserved. */
export function planNetworkUpdate(command: { body: unknown; actor: Actor; cfg?: DomainConfig }, state: NetworkState): Partial<Network> {
  const current = state.network;
  if (!current) throw networkNotFound('');
  // ports of projects a one-project RBAC policy shares the network with keep their footing without `shared`
  const unshared = { ...current, shared: false };
  const otherProjectsHavePorts = state.ports.some((p) => p.project_id !== current.project_id && !sharedWith(unshared, p.project_id));
  const changes = validateNetworkUpdate(command.body, current, command.actor, { otherProjectsHavePorts }, command.cfg ?? defaultDomainConfig);
  checkQosPolicyUsable(changes.qos_policy_id, state.qos);
  return changes;
}

/** Whether a subnet is no longer the network's (deleted, or its removal decided). */
export const subnetGoneFrom = (network: Network, subnetId: string): boolean =>
  !network.subnets.includes(subnetId) || !!network.removed_subnets?.includes(subnetId);

/** The port's first fixed IP on a subnet that is no longer the network's (`among`: only on these subnets). */
const goneSubnetOf = (port: Port, network: Network, among?: string[]) =>
  port.fixed_ips.find((f) => (!among || among.includes(f.subnet_id)) && subnetGoneFrom(network, f.subnet_id));

/**
 * Whether a port just recorded (or just given addresses on `subnets`) must join
 * its network's subject: a deletion is pending there, or the network or one of
 * those subnets went while the port was decided. Otherwise a later deletion sees it.
 */
export const portMustJoin = (network: Network | undefined, port: Port, subnets?: string[]): boolean =>
  !network || !!network.deleting?.length || !!network.removed_subnets?.length || !!goneSubnetOf(port, network, subnets);

function decide(command: NetworkCommand, state: NetworkState): NetworkEvent[] {
  const current = state.network;
  switch (command.type) {
    case 'CreateNetwork': {
      if (current) throw conflict('NetworkExists', `Network ${command.id} already exists.`);
      const plan = validateNetworkCreate(command.body, command.actor, command.cfg ?? defaultDomainConfig);
      checkQosPolicyUsable(plan.attrs.qos_policy_id, state.qos);
      if (plan.attrs.qos_policy_id === undefined) plan.attrs.qos_policy_id = state.qos?.defaultOf(plan.attrs.project_id) ?? null;
      return [{ type: 'network.created', data: { network: buildNetwork(plan, command.segment, { id: command.id, now: command.now }) } }];
    }
    case 'UpdateNetwork': {
      if (!current) throw networkNotFound('');
      const changes = planNetworkUpdate(command, state);
      const moved = movedSegment(changes, current);
      if (moved !== undefined && moved !== command.reservedSegmentationId) {
        throw conflict('Conflict', `The segment of network ${current.id} changed while the request was decided; try again.`);
      }
      return Object.keys(changes).length ? [{ type: 'network.updated', data: { changes } }] : [];
    }
    case 'DeleteNetwork': {
      if (!current) return [];
      if (!isAdmin(command.actor) && current.project_id !== command.actor.project_id) throw policyNotAuthorized('delete_network');
      // While a deletion is pending, a port with an address on a subnet already gone was recorded
      // meanwhile and is refused when it joins (JoinPort): it is not in the way.
      const inUse = portsInUse(current.deleting?.length ? state.ports.filter((p) => !goneSubnetOf(p, current)) : state.ports, state.floatingIps);
      if (inUse.length) {
        throw conflict('NetworkInUse', `Unable to complete operation on network ${current.id}. There are one or more ports still in use on the network, id for these ports is: ${inUse.map((p) => p.id).join(',')}.`);
      }
      return [{ type: 'network.deleted', data: { network_id: current.id } }];
    }
    case 'BeginDeletion': {
      if (!current) return [];
      if (command.id === current.id && !decide({ type: 'DeleteNetwork', actor: command.actor }, state).length) return [];
      return [{ type: 'network.deleting', data: { network_id: current.id, id: command.id } }];
    }
    case 'CancelDeletion':
      return current?.deleting?.includes(command.id) ? [{ type: 'network.deleting_cancelled', data: { network_id: current.id, id: command.id } }] : [];
    case 'RemoveSubnet': {
      if (!current || !current.subnets.includes(command.subnet_id) || current.removed_subnets?.includes(command.subnet_id)) return [];
      const holders = state.ports.filter((p) => p.fixed_ips.some((f) => f.subnet_id === command.subnet_id));
      if (subnetHoldersInUse(holders).length) throw subnetInUse(command.subnet_id);
      return [{ type: 'network.subnet_removed', data: { network_id: current.id, subnet_id: command.subnet_id } }];
    }
    case 'JoinPort': {
      const port = command.port;
      if (!current) throw networkNotFound(port.network_id);
      const gone = goneSubnetOf(port, current, command.subnets);
      // The network's own deletion is past its subnets: the port is refused as on a network gone.
      if (gone) throw current.deleting?.includes(current.id) ? networkNotFound(port.network_id) : subnetNotFound(gone.subnet_id);
      return [{ type: 'network.port_joined', data: { network_id: current.id, port_id: port.id } }];
    }
    case 'AddRbacPolicy':
    case 'UpdateRbacPolicy':
    case 'RemoveRbacPolicy': {
      if (!current) throw networkNotFound('');
      const events = decideRbac(command, current, state);
      // a wildcard is the network's flag: its change passes the update's own checks (policy, gateways on an external network)
      return events.map((e) =>
        e.type === 'network.updated' ? { type: 'network.updated' as const, data: { changes: planNetworkUpdate({ body: { network: e.data.changes }, actor: command.actor }, state) } } : e,
      );
    }
    case 'AddSubnet': {
      if (!current) throw networkNotFound('');
      const siblings = (state.subnets ?? []).filter((s) => s.id !== command.subnet_id);
      const subnet = validateSubnetCreate(command.body, command.actor, { network: current, siblings, pools: command.pools, allocated: command.allocated }, command.cfg ?? defaultDomainConfig, {
        id: command.subnet_id, now: command.now,
      });
      return [{ type: 'network.subnet_added', data: { network_id: current.id, subnet_id: subnet.id, cidr: subnet.cidr } }];
    }
  }
}

export const networkDecider: Decider<NetworkCommand, NetworkState, NetworkEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, network: evolveNetwork(state.network, event) }),
  initialState: () => ({ network: undefined, ports: [] }),
};
