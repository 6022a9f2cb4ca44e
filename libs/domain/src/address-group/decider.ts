import { isAdmin, type Actor } from '../actor';
import { parseAttributes } from '../common/attributes';
import { unwrapSingular } from '../common/body';
import { httpNotFound } from '../common/errors';
import { policyDenied } from '../common/policy';
import type { Decider } from '../decider';
import type { CoreEvent } from '../events';
import { decideObjectRbac, objectRbacEvents, type ObjectRbacCommand } from '../rbac/object-rbac';
import { addressesAlreadyExist, addressesNotFound, addressesOfBody, addressGroupInUse, distinctAddresses } from './addresses';
import { ADDRESS_GROUP_ATTRS } from './attributes';
import { evolveAddressGroup } from './evolve';
import type { AddressGroup } from './model';
import { addressGroupNotFound, canSeeAddressGroup } from './visibility';

export type AddressGroupEvent = CoreEvent<
  | 'address_group.created' | 'address_group.updated' | 'address_group.deleted' | 'address_group.addresses_added' | 'address_group.addresses_removed'
  | 'address_group.rbac_added' | 'address_group.rbac_updated' | 'address_group.rbac_removed' | 'address_group.rule_joined' | 'address_group.rule_left'
>;

export type AddressGroupCommand =
  | { type: 'CreateAddressGroup'; body: unknown; actor: Actor; id: string; now: string }
  | { type: 'UpdateAddressGroup'; body: unknown; actor: Actor }
  | { type: 'AddAddresses'; body: unknown; actor: Actor }
  | { type: 'RemoveAddresses'; body: unknown; actor: Actor }
  | { type: 'DeleteAddressGroup'; actor: Actor }
  /** An access_as_shared RBAC policy on the group (rbac-address-group); in use while a project it shares with has rules naming the group. */
  | { type: 'AddressGroupRbac'; rbac: ObjectRbacCommand }
  /** A rule about to be added names the group: refused when the caller cannot see it (perhaps deleted meanwhile). */
  | { type: 'JoinAddressGroup'; address_group_id: string; rule_id: string; project_id: string; actor: Actor }
  | { type: 'LeaveAddressGroup'; rule_id: string };

export interface AddressGroupState {
  group: AddressGroup | undefined;
  /** Projects of rules naming the group that the read model knows of beside those joined on its subject (stricter, never looser). */
  usedBy: string[];
}

/** The projects of the rules that name the group (AddressGroupInUse, RbacPolicyInUse). */
const usersOf = (s: AddressGroupState): string[] => [...new Set([...s.usedBy, ...Object.values(s.group?.rules ?? {})])];

/** The group as the caller may act on it: not visible → AddressGroupNotFound; visible but not the owner's → `notOwner`. */
function owned(s: AddressGroupState, actor: Actor, notOwner: () => Error): AddressGroup {
  const g = s.group;
  if (!g || !canSeeAddressGroup(g, actor)) throw addressGroupNotFound(g?.id ?? '');
  // Zed's policy for every write: admin or owner
  if (!isAdmin(actor) && g.project_id !== actor.project_id) throw notOwner();
  return g;
}

function decide(command: AddressGroupCommand, s: AddressGroupState): AddressGroupEvent[] {
  switch (command.type) {
    case 'CreateAddressGroup': {
      const item = parseAttributes(unwrapSingular(command.body, 'address_group'), ADDRESS_GROUP_ATTRS, command.actor, true);
      const group: AddressGroup = {
        id: command.id,
        name: item.name as string,
        description: item.description as string,
        tenant_id: item.tenant_id as string,
        project_id: item.project_id as string,
        addresses: distinctAddresses(item.addresses as string[]),
        shared: false,
        created_at: command.now,
        updated_at: command.now,
        revision_number: 0,
      };
      return [{ type: 'address_group.created', data: { address_group: group } }];
    }
    case 'UpdateAddressGroup': {
      // Zed: a shared group's update by another project is the plain 404 of the policy layer
      const g = owned(s, command.actor, httpNotFound);
      const item = parseAttributes(unwrapSingular(command.body, 'address_group'), ADDRESS_GROUP_ATTRS, command.actor, false);
      const changes: Partial<AddressGroup> = {};
      if (item.name !== undefined && item.name !== g.name) changes.name = item.name as string;
      if (item.description !== undefined && item.description !== g.description) changes.description = item.description as string;
      return Object.keys(changes).length ? [{ type: 'address_group.updated', data: { address_group_id: g.id, changes } }] : [];
    }
    case 'AddAddresses': {
      const g = owned(s, command.actor, () => policyDenied('rule:add_addresses'));
      const addrs = addressesOfBody(command.body);
      const present = addrs.filter((a) => g.addresses.includes(a));
      if (present.length) throw addressesAlreadyExist(g.id, present);
      return addrs.length ? [{ type: 'address_group.addresses_added', data: { address_group_id: g.id, addresses: addrs } }] : [];
    }
    case 'RemoveAddresses': {
      const g = owned(s, command.actor, () => policyDenied('rule:remove_addresses'));
      const addrs = addressesOfBody(command.body);
      const missing = addrs.filter((a) => !g.addresses.includes(a));
      if (missing.length) throw addressesNotFound(g.id, missing);
      return addrs.length ? [{ type: 'address_group.addresses_removed', data: { address_group_id: g.id, addresses: addrs } }] : [];
    }
    case 'DeleteAddressGroup': {
      const g = owned(s, command.actor, () => policyDenied('rule:delete_address_group'));
      if (usersOf(s).length) throw addressGroupInUse(g.id);
      return [{ type: 'address_group.deleted', data: { address_group_id: g.id } }];
    }
    case 'JoinAddressGroup': {
      const g = s.group;
      if (!g || !canSeeAddressGroup(g, command.actor)) throw addressGroupNotFound(command.address_group_id);
      if (g.rules?.[command.rule_id] === command.project_id) return [];
      return [{ type: 'address_group.rule_joined', data: { address_group_id: g.id, rule_id: command.rule_id, project_id: command.project_id } }];
    }
    case 'LeaveAddressGroup': {
      const g = s.group;
      if (!g?.rules?.[command.rule_id]) return [];
      return [{ type: 'address_group.rule_left', data: { address_group_id: g.id, rule_id: command.rule_id } }];
    }
    case 'AddressGroupRbac': {
      const g = s.group;
      if (!g) throw addressGroupNotFound('');
      const d = decideObjectRbac('address_group', command.rbac, g, usersOf(s));
      return objectRbacEvents('address_group', 'address_group_id', g.id, d) as AddressGroupEvent[];
    }
  }
}

export const addressGroupDecider: Decider<AddressGroupCommand, AddressGroupState, AddressGroupEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, group: evolveAddressGroup(state.group, event) }),
  initialState: () => ({ group: undefined, usedBy: [] }),
};
