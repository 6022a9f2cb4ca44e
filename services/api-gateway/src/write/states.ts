import type {
  Actor, AddressGroup, AggregateRef, BulkState, FloatingIpState, Network, NetworkState, Port, PortState, RouterNetworks, RouterState, RouterVpnUse, SecurityGroup, SecurityGroupState, Subnet, SubnetState,
} from '@neutrino/domain';
import { canSeeQosPolicy, isExternal, NO_USAGE, type QosLookup } from '@neutrino/domain';
import { NETWORK, PORT, SUBNET } from '../read/kinds';
import type { ReadModel } from '../read/read-model';

/**
 * What each decider is given, loaded from the gateway's read model: the
 * aggregate's value with its subject's last sequence, and the facts of other
 * aggregates its invariants are checked against. Loaded again for every
 * decision, so a re-decision after a lost race sees fresh state.
 */
export type Loaded<S> = { state: S; seq: number };

const seqOf = (v: { seq: number } | undefined): number => v?.seq ?? 0;

export const aggregate = (type: AggregateRef['type'], id: string): AggregateRef => ({ type, id });

export function visibleNetwork(model: ReadModel, id: unknown, actor: Actor): Network | undefined {
  const n = typeof id === 'string' ? model.networks.get(id)?.value : undefined;
  return n && NETWORK.visible(n, actor, model) ? n : undefined;
}

export const visibleSubnet = (model: ReadModel, actor: Actor) => (id: string): Subnet | undefined => {
  const s = model.subnets.get(id)?.value;
  return s && SUBNET.visible(s, actor, model) ? s : undefined;
};

export const visiblePort = (model: ReadModel, actor: Actor) => (id: string): Port | undefined => {
  const p = model.ports.get(id)?.value;
  return p && PORT.visible(p, actor, model) ? p : undefined;
};

/** The QoS policies `actor` may name on a port or network, and the projects' default ones. */
export function qosLookup(model: ReadModel, actor: Actor): QosLookup {
  return {
    find: (id) => {
      const p = model.qosPolicies.get(id)?.value;
      return p && canSeeQosPolicy(p, actor) ? p : undefined;
    },
    defaultOf: (project) => [...model.qosPolicies.values()].find((v) => v.value.is_default && v.value.project_id === project)?.value.id,
  };
}

/** `actor`: the caller of a create or update (what QoS policies it may name). */
export function networkState(model: ReadModel, id: string, actor?: Actor): Loaded<NetworkState> {
  const v = model.networks.get(id);
  const floatingIps = v && isExternal(v.value) ? [...model.floatingIps.values()].map((f) => f.value).filter((f) => f.floating_network_id === id) : [];
  const qos = actor ? qosLookup(model, actor) : undefined;
  return { state: { network: v?.value, ports: model.portsOn(id), subnets: model.subnetsOf(id), floatingIps, qos }, seq: seqOf(v) };
}

/** `networkId`: the network of a new subnet (the body's), else the subnet's own. */
export function subnetState(model: ReadModel, id: string, actor: Actor, networkId?: unknown): Loaded<SubnetState> {
  const v = model.subnets.get(id);
  const network = v ? model.networks.get(v.value.network_id)?.value : visibleNetwork(model, networkId, actor);
  const holders = network ? model.portsOn(network.id).filter((p) => p.fixed_ips.some((f) => f.subnet_id === id)) : [];
  return { state: { subnet: v?.value, network, siblings: network ? model.subnetsOf(network.id) : [], holders }, seq: seqOf(v) };
}

/** `networkId`: the network of a new port (the body's), else the port's own. */
export function portState(model: ReadModel, id: string, actor: Actor, networkId?: unknown, defaultGroupId?: string): Loaded<PortState> {
  const v = model.ports.get(id);
  const network = v ? model.networks.get(v.value.network_id)?.value : visibleNetwork(model, networkId, actor);
  const nid = network?.id;
  return {
    state: {
      port: v?.value,
      network,
      subnets: nid ? model.subnetsOf(nid) : [],
      usage: nid ? model.addressUsage(nid) : NO_USAGE,
      subnetExists: (sid) => !!visibleSubnet(model, actor)(sid),
      findGroup: (gid) => model.securityGroups.get(gid)?.value,
      defaultGroupId: defaultGroupId && model.securityGroups.has(defaultGroupId) ? defaultGroupId : undefined,
      qos: qosLookup(model, actor),
    },
    seq: seqOf(v),
  };
}

export function securityGroupState(model: ReadModel, id: string, remoteIds: string[] = [], addressGroupIds: string[] = []): Loaded<SecurityGroupState> {
  const v = model.securityGroups.get(id);
  // A deleted group's subject ends with its deletion: a default group made again expects that sequence.
  const seq = v ? v.seq : (model.deletedSecurityGroups.get(id) ?? 0);
  const remoteGroups: Record<string, SecurityGroup> = {};
  for (const rid of remoteIds) {
    const g = model.securityGroups.get(rid)?.value;
    if (g) remoteGroups[rid] = g;
  }
  const addressGroups: Record<string, AddressGroup> = {};
  for (const aid of addressGroupIds) {
    const g = model.addressGroups.get(aid)?.value;
    if (g) addressGroups[aid] = g;
  }
  return { state: { group: v?.value, usedByPorts: model.portsUsingGroup(id).length > 0, remoteGroups, addressGroups }, seq };
}

export const routerNetworks = (model: ReadModel, actor: Actor): RouterNetworks => ({
  network: (nid) => visibleNetwork(model, nid, actor),
  subnetsOf: (nid) => model.subnetsOf(nid),
});

export function routerState(model: ReadModel, id: string, actor: Actor): Loaded<RouterState> {
  const v = model.routers.get(id);
  return {
    state: {
      router: v?.value,
      networks: routerNetworks(model, actor),
      ports: model.portsOfDevice(id),
      subnet: (sid) => model.subnets.get(sid)?.value,
      floatingIps: model.floatingIpsOfRouter(id),
      vpn: vpnUseOfRouter(model, id),
      placement: model.placements.get(id),
    },
    seq: seqOf(v),
  };
}

/** The VPN services on a router, of every project, and their connections' local endpoint-group subnets (RouterInUse, SubnetInUseByVPNService). */
export function vpnUseOfRouter(model: ReadModel, routerId: string): RouterVpnUse {
  const use: RouterVpnUse = { services: [], connections: [] };
  for (const { value: p } of model.vpnProjects.values()) {
    for (const s of Object.values(p.vpnservice)) {
      if (s.router_id !== routerId) continue;
      use.services.push({ id: s.id, subnet_id: s.subnet_id });
      for (const c of Object.values(p.ipsec_site_connection)) {
        const group = c.vpnservice_id === s.id && c.local_ep_group_id ? p.endpoint_group[c.local_ep_group_id] : undefined;
        if (group?.type === 'subnet') use.connections.push({ id: c.id, subnet_ids: [...group.endpoints] });
      }
    }
  }
  return use;
}

export function floatingIpState(model: ReadModel, id: string, actor: Actor): Loaded<FloatingIpState> {
  const v = model.floatingIps.get(id);
  return {
    state: {
      floatingip: v?.value,
      networks: routerNetworks(model, actor),
      association: {
        port: visiblePort(model, actor),
        subnet: (sid) => model.subnets.get(sid)?.value,
        routers: [...model.routers.values()].map((r) => r.value),
        interfacesOf: (rid) => model.interfacesOf(rid),
        floatingIps: [...model.floatingIps.values()].map((f) => f.value),
      },
    },
    seq: seqOf(v),
  };
}

/** A bulk batch as the settlement and its request know it (a committed or cleared batch is no longer kept: undefined), with the ids of its resources that exist. */
export function bulkState(model: ReadModel, id: string): Loaded<BulkState> {
  const v = model.bulks.get(id);
  return { state: { batch: v?.value, left: v ? v.value.ids.filter((pid) => model.ports.has(pid)) : [] }, seq: seqOf(v) };
}
