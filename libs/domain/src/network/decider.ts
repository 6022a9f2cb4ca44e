import { isAdmin, type Actor } from '../actor';
import { networkNotFound } from '../common/errors';
import { defaultDomainConfig, type DomainConfig } from '../config';
import type { Decider } from '../decider';
import { conflict, policyNotAuthorized } from '../errors';
import type { CoreEvent, SegmentData } from '../events';
import type { Network, Port, Subnet } from '../model';
import { validateSubnetCreate } from '../subnet/validate-create';
import { buildNetwork } from './build';
import { evolveNetwork } from './evolve';
import { validateNetworkCreate } from './validate-create';
import { validateNetworkUpdate } from './validate-update';

export type NetworkEvent = CoreEvent<'network.created' | 'network.updated' | 'network.deleted' | 'network.subnet_added'>;

export type NetworkCommand =
  | { type: 'CreateNetwork'; body: unknown; actor: Actor; cfg?: DomainConfig; id: string; now: string; /** reserved in ipam */ segment: SegmentData }
  /** `reservedSegmentationId`: the VLAN id reserved for a segment move (the decision refuses a move it was not reserved for). */
  | { type: 'UpdateNetwork'; body: unknown; actor: Actor; cfg?: DomainConfig; reservedSegmentationId?: number | null }
  | { type: 'DeleteNetwork'; actor: Actor }
  /**
   * The subnet created as `body` (recorded on its own subject) joins the
   * network: its checks against the network's other subnets (CIDR overlap...)
   * are decided again here, serialized on the network's subject.
   */
  | { type: 'AddSubnet'; body: unknown; actor: Actor; cfg?: DomainConfig; subnet_id: string; now: string };

export interface NetworkState {
  network: Network | undefined;
  /** The ports on the network (the facts of "NetworkInUse" and of shared → not shared). */
  ports: Port[];
  /** The network's subnets (the facts of AddSubnet). */
  subnets?: Subnet[];
}

/** The segmentation id an update moves the network to, if it moves (the caller reserves it first). */
export const movedSegment = (changes: Partial<Network>, current: Network): number | null | undefined =>
  changes['provider:segmentation_id'] !== undefined && changes['provider:segmentation_id'] !== current['provider:segmentation_id']
    ? changes['provider:segmentation_id']
    : undefined;

/** The ports that keep a network from being deleted (all but its DHCP ports, which go with it). */
export const portsInUse = (ports: Port[]): Port[] => ports.filter((p) => p.device_owner !== 'network:dhcp');

/** The attributes an update changes (policy and checks included), before any segment is reserved. */
export function planNetworkUpdate(command: { body: unknown; actor: Actor; cfg?: DomainConfig }, state: NetworkState): Partial<Network> {
  const current = state.network;
  if (!current) throw networkNotFound('');
  const otherProjectsHavePorts = state.ports.some((p) => p.project_id !== current.project_id);
  return validateNetworkUpdate(command.body, current, command.actor, { otherProjectsHavePorts }, command.cfg ?? defaultDomainConfig);
}

function decide(command: NetworkCommand, state: NetworkState): NetworkEvent[] {
  const current = state.network;
  switch (command.type) {
    case 'CreateNetwork': {
      if (current) throw conflict('NetworkExists', `Network ${command.id} already exists.`);
      const plan = validateNetworkCreate(command.body, command.actor, command.cfg ?? defaultDomainConfig);
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
      const inUse = portsInUse(state.ports);
      if (inUse.length) {
        throw conflict('NetworkInUse', `Unable to complete operation on network ${current.id}. There are one or more ports still in use on the network, id for these ports is: ${inUse.map((p) => p.id).join(',')}.`);
      }
      return [{ type: 'network.deleted', data: { network_id: current.id } }];
    }
    case 'AddSubnet': {
      if (!current) throw networkNotFound('');
      const siblings = (state.subnets ?? []).filter((s) => s.id !== command.subnet_id);
      const subnet = validateSubnetCreate(command.body, command.actor, { network: current, siblings }, command.cfg ?? defaultDomainConfig, {
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
