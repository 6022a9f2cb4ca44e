import { NO_USAGE, type AddressUsage } from './address-usage';
import { isAdmin, type Actor } from '../actor';
import { portNotFound } from '../common/errors';
import type { DomainConfig } from '../config';
import type { Decider } from '../decider';
import { conflict, policyNotAuthorized } from '../errors';
import type { CoreEvent } from '../events';
import type { FixedIp, Network, Port, SecurityGroup, Subnet } from '../model';
import { servicePortInUse } from '../router/errors';
import { checkInterfacePort } from '../router/interfaces';
import { checkPortGroups, portGroupsOnCreate } from '../security-group/port-groups';
import { isTrustedOwner } from '@neutrino/naming';
import { buildPort } from './build';
import { checkQosPolicyUsable, type QosLookup } from '../qos/attach';
import { evolvePort } from './evolve';
import { validatePortCreate, type PortCreatePlan } from './validate-create';
import { validatePortUpdate, type PortUpdatePlan } from './validate-update';

export type PortEvent = CoreEvent<'port.created' | 'port.updated' | 'port.deleted'>;

/** What ipam gave a port (addresses and, for a create or a MAC change, a MAC). */
export interface PortAllocation {
  mac_address: string | null;
  fixed_ips: FixedIp[];
}

export type PortCommand =
  | {
      type: 'CreatePort'; body: unknown; actor: Actor; cfg: DomainConfig; id: string; now: string;
      /** Reserved in ipam for this decision. */
      allocation: PortAllocation;
    }
  | {
      type: 'UpdatePort'; body: unknown; actor: Actor; cfg: DomainConfig;
      /** Reserved in ipam for the addresses (and MAC) the update adds; `for` is what it was reserved for. */
      allocation?: PortAllocation & { for: string };
    }
  /** `byOwner`: removed by the resource that owns it (a router, a floating IP, a network's DHCP port) — no policy, no ServicePortInUse. */
  | { type: 'DeletePort'; actor: Actor; byOwner?: boolean }
  /** A port L3 makes for itself (router interface, gateway, floating IP, HA port), built once its addresses are reserved. */
  | { type: 'CreateServicePort'; port: Port }
  /** Its subnet goes: the port (a DHCP port) loses its addresses there. */
  | { type: 'DropSubnetAddresses'; subnet_id: string }
  /** Router interfaces attach an existing port, and a router's host binds its ports. */
  /** `attach`: the port must not have another device (PortInUse), decided on its fresh state. */
  | { type: 'SetPortDevice'; changes: Partial<Pick<Port, 'device_id' | 'device_owner' | 'binding:host_id'>>; attach?: boolean };

export interface PortState {
  port: Port | undefined;
  /** The port's network as the caller may see it. */
  network: Network | undefined;
  subnets: Subnet[];
  /** Addresses and MACs in use on the network. */
  usage: AddressUsage;
  subnetExists?: (id: string) => boolean;
  findGroup: (id: string) => SecurityGroup | undefined;
  /** The project's default group when it exists (made by the port-create process before deciding). */
  defaultGroupId?: string;
  /** The QoS policies the caller may name (qos_policy_id). */
  qos?: QosLookup;
}

/** Router-owned ports are managed through the router API, not /ports. */
export const L3_OWNERS = new Set([
  'network:router_interface', 'network:router_gateway', 'network:floatingip', 'network:router_ha_interface', 'network:router_interface_distributed',
  'network:router_centralized_snat',
]);

/** The groups named in a create body: undefined when the attribute was not given. */
const requestedGroups = (body: unknown, plan: PortCreatePlan): string[] | undefined => {
  const given = ((body as { port?: unknown })?.port ?? {}) as Record<string, unknown>;
  return Object.hasOwn(given, 'security_groups') ? (plan.attrs.security_groups ?? []) : undefined;
};

/** The project whose default group a port create needs (and the caller may make), if any. */
export function portCreateNeedsDefaultGroup(body: unknown, plan: PortCreatePlan, actor: Actor): string | undefined {
  const a = plan.attrs;
  if (requestedGroups(body, plan) !== undefined || !a.port_security_enabled || isTrustedOwner(a.device_owner)) return undefined;
  return a.project_id === actor.project_id || isAdmin(actor) ? a.project_id : undefined;
}

/** A create's port_security_enabled and security_groups (the default group when none are given and it exists), or Zed's error. */
export function portCreateGroups(body: unknown, plan: PortCreatePlan, actor: Actor, state: Pick<PortState, 'findGroup' | 'defaultGroupId'>) {
  const a = plan.attrs;
  const requested = requestedGroups(body, plan);
  return portGroupsOnCreate(
    { project_id: a.project_id, device_owner: a.device_owner, port_security_enabled: a.port_security_enabled, requested: requested ?? (state.defaultGroupId ? undefined : []) },
    actor,
    { findGroup: state.findGroup, defaultGroupId: () => state.defaultGroupId! },
  );
}

/** The key of the address requests an update's reservation was made for. */
export const allocationKey = (plan: PortUpdatePlan, current: Port): string =>
  JSON.stringify({ add: plan.fixedIps?.add ?? [], mac: newMacOf(plan, current) ?? null });

/** The MAC an update moves the port to, if it does. */
export const newMacOf = (plan: PortUpdatePlan, current: Port): string | undefined =>
  plan.changes.mac_address !== undefined && plan.changes.mac_address !== current.mac_address ? plan.changes.mac_address : undefined;

export function planPortCreate(command: Extract<PortCommand, { type: 'CreatePort' }> | { body: unknown; actor: Actor; cfg: DomainConfig }, state: PortState): PortCreatePlan {
  const plan = validatePortCreate(command.body, command.actor, {
    network: state.network, subnets: state.subnets, usage: state.usage, subnetExists: state.subnetExists,
  }, command.cfg);
  checkQosPolicyUsable(plan.attrs.qos_policy_id, state.qos);
  return plan;
}

export function planPortUpdate(command: { body: unknown; actor: Actor; cfg: DomainConfig }, state: PortState): PortUpdatePlan {
  const current = state.port;
  if (!current) throw portNotFound('');
  const plan = validatePortUpdate(command.body, current, command.actor, {
    network: state.network!, subnets: state.subnets, usage: state.usage, subnetExists: state.subnetExists,
  }, command.cfg);
  checkQosPolicyUsable(plan.changes.qos_policy_id, state.qos);
  const groups = plan.changes.security_groups;
  if (groups?.length && !isTrustedOwner(plan.changes.device_owner ?? current.device_owner)) {
    checkPortGroups(groups, current.project_id, command.actor, { findGroup: state.findGroup });
  }
  return plan;
}

function decide(command: PortCommand, state: PortState): PortEvent[] {
  switch (command.type) {
    case 'CreatePort': {
      if (state.port) throw conflict('PortExists', `Port ${command.id} already exists.`);
      const plan = planPortCreate(command, state);
      const attrs = { ...plan.attrs, ...portCreateGroups(command.body, plan, command.actor, state) };
      const { mac_address, fixed_ips } = command.allocation;
      const port = buildPort({ ...plan, attrs }, { id: command.id, now: command.now, mac_address: mac_address!, fixed_ips });
      return [{ type: 'port.created', data: { port } }];
    }
    case 'UpdatePort': {
      const current = state.port!;
      const plan = planPortUpdate(command, state);
      const key = allocationKey(plan, current);
      const needs = (plan.fixedIps?.add.length ?? 0) > 0 || newMacOf(plan, current) !== undefined;
      if (needs && command.allocation?.for !== key) {
        throw conflict('Conflict', `Port ${current.id} changed while the request was decided; try again.`);
      }
      const changes: Partial<Port> = { ...plan.changes };
      if (plan.fixedIps) changes.fixed_ips = [...plan.fixedIps.keep, ...(needs ? command.allocation!.fixed_ips : [])];
      return Object.keys(changes).length ? [{ type: 'port.updated', data: { changes } }] : [];
    }
    case 'DeletePort': {
      const p = state.port;
      if (!p) return [];
      if (command.byOwner) return [{ type: 'port.deleted', data: { port_id: p.id, network_id: p.network_id, fixed_ips: p.fixed_ips, mac_address: p.mac_address } }];
      if (!isAdmin(command.actor) && p.project_id !== command.actor.project_id && state.network?.project_id !== command.actor.project_id) {
        throw policyNotAuthorized('delete_port');
      }
      if (L3_OWNERS.has(p.device_owner)) throw servicePortInUse(p.id, p.device_owner);
      return [{ type: 'port.deleted', data: { port_id: p.id, network_id: p.network_id, fixed_ips: p.fixed_ips, mac_address: p.mac_address } }];
    }
    case 'CreateServicePort':
      if (state.port) throw conflict('PortExists', `Port ${command.port.id} already exists.`);
      return [{ type: 'port.created', data: { port: command.port } }];
    case 'DropSubnetAddresses': {
      const p = state.port;
      if (!p?.fixed_ips.some((f) => f.subnet_id === command.subnet_id)) return [];
      return [{ type: 'port.updated', data: { changes: { fixed_ips: p.fixed_ips.filter((f) => f.subnet_id !== command.subnet_id) } } }];
    }
    case 'SetPortDevice': {
      const p = state.port;
      if (!p) throw portNotFound('');
      if (command.attach && p.device_id !== command.changes.device_id) checkInterfacePort(p);
      const changes = Object.fromEntries(Object.entries(command.changes).filter(([k, v]) => p[k as keyof Port] !== v));
      return Object.keys(changes).length ? [{ type: 'port.updated', data: { changes } }] : [];
    }
  }
}

export const portDecider: Decider<PortCommand, PortState, PortEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, port: evolvePort(state.port, event) }),
  initialState: () => ({ port: undefined, network: undefined, subnets: [], usage: NO_USAGE, findGroup: () => undefined }),
};
