/**
 * The trunk decider (evt.trunk.trunks): Zed's trunk_plugin and its rules (TrunkPortValidator,
 * SubPortsValidator, trunk_can_be_managed) in the same order, so one bad request gets the same
 * error. Pure: the state is every trunk plus the ports the actor can see.
 */
import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import { parseAttributes } from '../common/attributes';
import { unwrapSingular, unwrapUpdate } from '../common/body';
import { portNotFound } from '../common/errors';
import { applyChanges, dataOf, type EventLike } from '../common/evolve';
import { pyInt, pyRepr, pyStr } from '../common/python';
import type { Decider } from '../decider';
import { invalidInput } from '../errors';
import type { CoreEvent } from '../events';
import { TRUNK_ATTRS, validateSubports } from './attributes';
import { trunkErrors } from './errors';
import { emptyTrunkState, trunkOfPort, type SubPort, type Trunk, type TrunkPortFact, type TrunkState } from './model';

export type TrunkEvent = CoreEvent<'trunk.created' | 'trunk.updated' | 'trunk.deleted' | 'trunk.subports_added' | 'trunk.subports_removed'>;
export type TrunkClaimEvent = CoreEvent<'port.trunk_claimed'>;

export interface TrunkDecisionState {
  trunks: TrunkState;
  /** a port as the actor sees it (undefined: PortNotFound) */
  port: (id: string) => TrunkPortFact | undefined;
}

export type TrunkCommand =
  | { type: 'CreateTrunk'; id: string; body: unknown; actor: Actor }
  | { type: 'UpdateTrunk'; id: string; body: unknown; actor: Actor }
  | { type: 'DeleteTrunk'; id: string; actor: Actor }
  | { type: 'AddSubports'; id: string; body: unknown; actor: Actor }
  | { type: 'RemoveSubports'; id: string; body: unknown; actor: Actor }
  /** A claim on a port's subject was refused (the port went): the trunk (`port_ids` absent) or those subports are taken back, whatever its state. */
  | { type: 'ReleaseTrunk'; id: string; port_ids?: string[] };

const VLAN_MIN = 1;
const VLAN_MAX = 4094;

export const canSeeTrunk = (t: Trunk, actor: Actor): boolean => isAdmin(actor) || t.project_id === actor.project_id;

function visibleTrunk(s: TrunkState, id: string, actor: Actor): Trunk {
  const t = s.trunks[id];
  if (!t || !canSeeTrunk(t, actor)) throw trunkErrors.trunkNotFound(id);
  return t;
}

/** TrunkPortValidator.validate: not a trunk's parent, not a subport, a port the actor sees. */
function validatePort(s: TrunkDecisionState, portId: string): TrunkPortFact {
  const use = trunkOfPort(s.trunks, portId);
  if (use?.role === 'parent') throw trunkErrors.parentPortInUse(portId);
  if (use?.role === 'subport') throw trunkErrors.trunkPortInUse(portId);
  const port = s.port(portId);
  if (!port) throw portNotFound(portId);
  return port;
}

/** The body of add_subports / remove_subports: `{"sub_ports": [...]}` (Zed answers a missing key with a 500; we say what is wrong). */
function subportsOf(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('sub_ports' in body))
    throw invalidInput(`Invalid data format for subports: '${pyStr(null)}' is not a list`);
  const list = (body as { sub_ports: unknown }).sub_ports;
  const reason = validateSubports(list);
  if (reason) throw invalidInput(reason);
  return list;
}

/** SubPortsValidator._validate for each subport (with _prepare_subports's `inherit`). */
function validateSubportsForTrunk(s: TrunkDecisionState, list: Array<Record<string, unknown>>, parentId: string): SubPort[] {
  const parentMtu = s.port(parentId)?.mtu ?? null;
  return list.map((raw) => {
    let sp = raw;
    if (sp.segmentation_type === 'inherit') {
      const port = s.port(String(sp.port_id));
      if (!port) throw portNotFound(String(sp.port_id));
      sp = { ...sp, segmentation_type: port.network_type, segmentation_id: port.network_segmentation_id };
    }
    if (sp.port_id === parentId) throw trunkErrors.parentPortInUse(parentId);
    // a subport's MTU is no greater than the parent's
    const mtu = s.port(String(sp.port_id))?.mtu ?? null;
    if (parentMtu !== null && mtu !== null && mtu > parentMtu) throw trunkErrors.subPortMtuGreaterThanTrunkPortMtu(String(sp.port_id), mtu, parentId, parentMtu);
    if (!('segmentation_type' in sp) || !('segmentation_id' in sp))
      throw invalidInput(`Invalid subport details '${pyRepr(raw)}': missing segmentation information. Must specify both segmentation_id and segmentation_type`);
    const segId = pyInt(sp.segmentation_id);
    if (segId === undefined || typeof sp.segmentation_id === 'boolean')
      throw invalidInput(`Invalid subport details: segmentation_id '${pyStr(sp.segmentation_id)}' is not an integer`);
    if (sp.segmentation_type !== 'vlan') throw invalidInput(`Unknown segmentation_type '${pyStr(sp.segmentation_type)}'`);
    if (segId < VLAN_MIN || segId > VLAN_MAX) throw invalidInput(`Segmentation ID '${segId}' is not in range`);
    validatePort(s, sp.port_id as string);
    return { port_id: sp.port_id as string, segmentation_type: 'vlan', segmentation_id: segId };
  });
}

/** The unique (trunk, segmentation_type, segmentation_id) of Zed's subports table. */
function checkDuplicates(trunk: Pick<Trunk, 'id' | 'sub_ports'>, added: SubPort[]): void {
  const taken = new Set(trunk.sub_ports.map((p) => `${p.segmentation_type}/${p.segmentation_id}`));
  for (const p of added) {
    const key = `${p.segmentation_type}/${p.segmentation_id}`;
    if (taken.has(key)) throw trunkErrors.duplicateSubPort(p.segmentation_type, p.segmentation_id, trunk.id);
    taken.add(key);
  }
}

/** trunk_can_be_managed: subport changes and deletes want an enabled trunk. */
function checkManaged(t: Trunk): void {
  if (!t.admin_state_up) throw trunkErrors.trunkDisabled(t.id);
}

function decide(command: TrunkCommand, s: TrunkDecisionState): TrunkEvent[] {
  switch (command.type) {
    case 'CreateTrunk': {
      const a = parseAttributes(unwrapSingular(command.body, 'trunk'), TRUNK_ATTRS, command.actor, true);
      const parent = a.port_id as string;
      validatePort(s, parent);
      const subs = validateSubportsForTrunk(s, a.sub_ports as Array<Record<string, unknown>>, parent);
      checkDuplicates({ id: command.id, sub_ports: [] }, subs);
      const trunk: Trunk = {
        id: command.id, project_id: a.project_id as string, tenant_id: a.project_id as string, name: a.name as string, description: a.description as string,
        admin_state_up: a.admin_state_up as boolean, port_id: parent, status: 'DOWN', sub_ports: subs, tags: [], created_at: '', updated_at: '', revision_number: 0,
      };
      return [{ type: 'trunk.created', data: { trunk } }];
    }
    case 'UpdateTrunk': {
      const a = parseAttributes(unwrapUpdate(command.body, 'trunk', 'trunks'), TRUNK_ATTRS, command.actor, false);
      const t = visibleTrunk(s.trunks, command.id, command.actor);
      const changes: Partial<Trunk> = {};
      // Zed bumps the revision for any attribute named (the same value too), not for an empty update (the CLI's `trunk set --subport` sends one)
      for (const k of ['name', 'description', 'admin_state_up'] as const) if (k in a) (changes as Record<string, unknown>)[k] = a[k];
      return Object.keys(changes).length ? [{ type: 'trunk.updated', data: { id: t.id, changes } }] : [];
    }
    case 'DeleteTrunk': {
      const t = visibleTrunk(s.trunks, command.id, command.actor);
      checkManaged(t);
      return [{ type: 'trunk.deleted', data: { id: t.id } }];
    }
    case 'AddSubports': {
      const list = subportsOf(command.body) as Array<Record<string, unknown>>;
      const t = visibleTrunk(s.trunks, command.id, command.actor);
      const subs = validateSubportsForTrunk(s, list, t.port_id);
      checkManaged(t);
      checkDuplicates(t, subs);
      return subs.length ? [{ type: 'trunk.subports_added', data: { id: t.id, sub_ports: subs } }] : [];
    }
    case 'RemoveSubports': {
      const list = subportsOf(command.body) as Array<Record<string, unknown>>;
      const t = visibleTrunk(s.trunks, command.id, command.actor);
      checkManaged(t);
      const current = new Set(t.sub_ports.map((p) => p.port_id));
      for (const sp of list) if (!current.has(sp.port_id as string)) throw trunkErrors.subPortNotFound(t.id, sp.port_id as string);
      return list.length ? [{ type: 'trunk.subports_removed', data: { id: t.id, port_ids: list.map((p) => p.port_id as string) } }] : [];
    }
    case 'ReleaseTrunk': {
      const t = s.trunks.trunks[command.id];
      if (!t) return [];
      if (!command.port_ids) return [{ type: 'trunk.deleted', data: { id: t.id } }];
      const ids = command.port_ids.filter((id) => t.sub_ports.some((p) => p.port_id === id));
      return ids.length ? [{ type: 'trunk.subports_removed', data: { id: t.id, port_ids: ids } }] : [];
    }
  }
}

/**
 * The recorded trunk joins each of its new ports' subjects (`port.trunk_claimed`), with the port
 * sequence the trunk's decision saw: of a trunk and a concurrent delete of one of its ports, one
 * loses its append and is decided again — the delete then finds the port in the trunk, the claim
 * finds the port gone (PortNotFound, and the trunk is taken back).
 */
export function decideClaimTrunkPort(trunks: TrunkState, trunkId: string, portId: string, portExists: boolean): TrunkClaimEvent[] {
  if (!portExists) throw portNotFound(portId);
  const use = trunkOfPort(trunks, portId);
  if (use?.trunk.id !== trunkId) return [];
  return [{ type: 'port.trunk_claimed', data: { port_id: portId, trunk_id: trunkId, role: use.role } }];
}

/** A port in a trunk is not deleted (Zed's trunk plugin on a port's delete). */
export function checkPortNotInTrunk(trunks: TrunkState | undefined, portId: string): void {
  const use = trunks ? trunkOfPort(trunks, portId) : undefined;
  if (use?.role === 'parent') throw trunkErrors.portInUseAsTrunkParent(portId, use.trunk.id);
  if (use?.role === 'subport') throw trunkErrors.portInUseAsSubPort(portId, use.trunk.id);
}

/** Folds one event of evt.trunk.trunks into the state (created_at/updated_at from the envelope). */
export function evolveTrunks(state: TrunkState | undefined, e: EventLike): TrunkState {
  const s: TrunkState = { trunks: { ...(state ?? emptyTrunkState()).trunks } };
  switch (e.type) {
    case 'trunk.created': {
      const { trunk } = dataOf(e, 'trunk.created');
      s.trunks[trunk.id] = { ...trunk, created_at: e.at, updated_at: e.at, revision_number: 0 };
      break;
    }
    case 'trunk.updated': {
      const d = dataOf(e, 'trunk.updated');
      const t = s.trunks[d.id];
      if (t) s.trunks[d.id] = applyChanges<Trunk>(t, d.changes as Partial<Trunk>, e.at);
      break;
    }
    case 'trunk.deleted':
      delete s.trunks[dataOf(e, 'trunk.deleted').id];
      break;
    case 'trunk.subports_added': {
      const d = dataOf(e, 'trunk.subports_added');
      const t = s.trunks[d.id];
      if (t) s.trunks[d.id] = applyChanges<Trunk>(t, { sub_ports: [...t.sub_ports, ...d.sub_ports] }, e.at);
      break;
    }
    case 'trunk.subports_removed': {
      const d = dataOf(e, 'trunk.subports_removed');
      const t = s.trunks[d.id];
      if (t) s.trunks[d.id] = applyChanges<Trunk>(t, { sub_ports: t.sub_ports.filter((p) => !d.port_ids.includes(p.port_id)) }, e.at);
      break;
    }
  }
  return s;
}

export const trunkDecider: Decider<TrunkCommand, TrunkDecisionState, TrunkEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, trunks: evolveTrunks(state.trunks, event) }),
  initialState: () => ({ trunks: emptyTrunkState(), port: () => undefined }),
};
