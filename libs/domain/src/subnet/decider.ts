import { isAdmin, type Actor } from '../actor';
import { networkNotFound, subnetNotFound } from '../common/errors';
import { defaultDomainConfig, type DomainConfig } from '../config';
import type { Decider } from '../decider';
import { conflict, policyNotAuthorized } from '../errors';
import type { CoreEvent } from '../events';
import type { Network, Port, Subnet } from '../model';
import type { SubnetPool } from '../subnetpool/model';
import { ROUTER_INTERFACE_OWNERS } from '@neutrino/naming';
import { isAutoAddressSubnet } from '../port/fixed-ips';
import { evolveSubnet } from './evolve';
import { validateSubnetCreate } from './validate-create';
import { validateSubnetUpdate } from './validate-update';

export type SubnetEvent = CoreEvent<'subnet.created' | 'subnet.updated' | 'subnet.deleted'>;

export type SubnetCommand =
  /** `pools`: the subnet pools the caller may see; `allocated`: the CIDR the body's pool gave it (see SubnetCreateContext). */
  | { type: 'CreateSubnet'; body: unknown; actor: Actor; cfg?: DomainConfig; id: string; now: string; pools?: SubnetPool[]; allocated?: string }
  | { type: 'UpdateSubnet'; body: unknown; actor: Actor; cfg?: DomainConfig }
  /** `removed`: already decided on the network's subject (network.subnet_removed): no SubnetInUse check again. */
  | { type: 'DeleteSubnet'; actor: Actor; removed?: boolean }
  /** subnet_onboard: the subnet's block was taken by the pool (decided on the pool's subject): it is the pool's from now on. */
  | { type: 'OnboardSubnet'; subnetpool_id: string };

export interface SubnetState {
  subnet: Subnet | undefined;
  /** The subnet's network as the caller may see it (undefined: not found). */
  network: Network | undefined;
  /** The network's other subnets (CIDR overlap, one gateway per family...). */
  siblings: Subnet[];
  /** The ports holding an address on this subnet (SubnetInUse, and the addresses a pool change must keep). */
  holders: Port[];
}

/**
 * The ports that keep a subnet from being deleted: all but DHCP ports, which just lose their address
 * on it. Given the subnet, an IPv6 auto-address subnet (SLAAC, DHCPv6-stateless) is kept only by a
 * router's interface: every other port loses its address on it, as Zed's delete_subnet does.
 * Without the subnet (the removal decided on the network's subject, after those addresses were
 * taken away) every holder but a DHCP port is in the way.
 */
export const subnetHoldersInUse = (holders: Port[], subnet?: Subnet): Port[] =>
  subnet && isAutoAddressSubnet(subnet)
    ? holders.filter((p) => ROUTER_INTERFACE_OWNERS.includes(p.device_owner))
    : holders.filter((p) => p.device_owner !== 'network:dhcp');

export const subnetInUse = (id: string) =>
  conflict('SubnetInUse', `Unable to complete operation on subnet ${id}: One or more ports have an IP allocation from this subnet.`);

function decide(command: SubnetCommand, state: SubnetState): SubnetEvent[] {
  const current = state.subnet;
  switch (command.type) {
    case 'CreateSubnet': {
      if (current) throw conflict('SubnetExists', `Subnet ${command.id} already exists.`);
      const subnet = validateSubnetCreate(command.body, command.actor, { network: state.network, siblings: state.siblings, pools: command.pools, allocated: command.allocated }, command.cfg ?? defaultDomainConfig, {
        id: command.id, now: command.now,
      });
      return [{ type: 'subnet.created', data: { subnet } }];
    }
    case 'UpdateSubnet': {
      if (!current) throw subnetNotFound('');
      if (!state.network) throw networkNotFound(current.network_id);
      const allocatedIps = state.holders.flatMap((p) => p.fixed_ips.filter((f) => f.subnet_id === current.id).map((f) => f.ip_address));
      const changes = validateSubnetUpdate(command.body, current, command.actor, {
        network: state.network, siblings: state.siblings.filter((s) => s.id !== current.id), allocatedIps,
      }, command.cfg ?? defaultDomainConfig);
      return Object.keys(changes).length ? [{ type: 'subnet.updated', data: { changes } }] : [];
    }
    case 'OnboardSubnet': {
      if (!current || current.subnetpool_id === command.subnetpool_id) return [];
      return [{ type: 'subnet.updated', data: { changes: { subnetpool_id: command.subnetpool_id } } }];
    }
    case 'DeleteSubnet': {
      if (!current) return [];
      if (!isAdmin(command.actor) && current.project_id !== command.actor.project_id) throw policyNotAuthorized('delete_subnet');
      if (!command.removed && subnetHoldersInUse(state.holders, current).length) {
        throw subnetInUse(current.id);
      }
      return [{ type: 'subnet.deleted', data: { subnet_id: current.id, network_id: current.network_id } }];
    }
  }
}

export const subnetDecider: Decider<SubnetCommand, SubnetState, SubnetEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, subnet: evolveSubnet(state.subnet, event) }),
  initialState: () => ({ subnet: undefined, network: undefined, siblings: [], holders: [] }),
};
