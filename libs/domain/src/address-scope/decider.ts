import { isAdmin, type Actor } from '../actor';
import { parseAttributes } from '../common/attributes';
import { unwrapSingular } from '../common/body';
import { enforce } from '../common/policy';
import type { Decider } from '../decider';
import { conflict } from '../errors';
import { neutronError } from '../common/errors';
import { cidrSetsOverlap, parseCidr } from '@neutrino/netaddr';
import type { CoreEvent } from '../events';
import type { SubnetPool } from '../subnetpool/model';
import { ADDRESS_SCOPE_ATTRS } from './attributes';
import { decideObjectRbac, objectRbacEvents, type ObjectRbacCommand } from '../rbac/object-rbac';
import { evolveAddressScope } from './evolve';
import type { AddressScope } from './model';
import { addressScopeNotFound, canSeeAddressScope } from './visibility';

export type AddressScopeEvent = CoreEvent<
  'address_scope.created' | 'address_scope.updated' | 'address_scope.deleted' | 'address_scope.pool_joined' | 'address_scope.pool_left' | 'address_scope.rbac_added' | 'address_scope.rbac_updated' | 'address_scope.rbac_removed'
>;

export type AddressScopeCommand =
  | { type: 'CreateAddressScope'; body: unknown; actor: Actor; id: string; now: string }
  | { type: 'UpdateAddressScope'; body: unknown; actor: Actor }
  | { type: 'DeleteAddressScope'; actor: Actor }
  /** An access_as_shared RBAC policy on the scope (rbac-address-scope); in use while a project it shares with has pools in the scope. */
  | { type: 'AddressScopeRbac'; rbac: ObjectRbacCommand }
  /** A pool joins the scope with its prefixes (or changes them): refused when another pool of the scope holds one of them. */
  | { type: 'JoinAddressScope'; address_scope_id: string; subnetpool_id: string; prefixes: string[]; ip_version: 4 | 6; actor: Actor }
  | { type: 'LeaveAddressScope'; subnetpool_id: string };

export interface AddressScopeState {
  scope: AddressScope | undefined;
  /** The subnet pools associated with the scope (AddressScopeInUse). */
  pools: SubnetPool[];
}

/** Zed's address-scope policy: shared only by an admin; the rest admin or owner. */
const rules = (actor: Actor, owner: unknown) => ({
  'create_address_scope:shared': () => isAdmin(actor),
  'update_address_scope:shared': () => isAdmin(actor),
  create_address_scope: () => true,
  update_address_scope: () => owner === actor.project_id,
});

function decide(command: AddressScopeCommand, s: AddressScopeState): AddressScopeEvent[] {
  switch (command.type) {
    case 'CreateAddressScope': {
      const item = parseAttributes(unwrapSingular(command.body, 'address_scope'), ADDRESS_SCOPE_ATTRS, command.actor, true);
      enforce({ action: 'create_address_scope', actor: command.actor, item, map: ADDRESS_SCOPE_ATTRS, rules: rules(command.actor, item.project_id), ownerProject: item.project_id });
      const scope: AddressScope = {
        id: command.id,
        name: item.name as string,
        tenant_id: item.tenant_id as string,
        project_id: item.project_id as string,
        shared: item.shared as boolean,
        ip_version: item.ip_version as 4 | 6,
        created_at: command.now,
        updated_at: command.now,
        revision_number: 0,
      };
      return [{ type: 'address_scope.created', data: { address_scope: scope } }];
    }
    case 'UpdateAddressScope': {
      const scope = s.scope;
      if (!scope || !canSeeAddressScope(scope, command.actor)) throw addressScopeNotFound(scope?.id ?? '');
      const item = parseAttributes(unwrapSingular(command.body, 'address_scope'), ADDRESS_SCOPE_ATTRS, command.actor, false);
      enforce({
        action: 'update_address_scope', actor: command.actor, item, map: ADDRESS_SCOPE_ATTRS, rules: rules(command.actor, scope.project_id),
        updating: Object.keys(item).filter((k) => k !== 'project_id' && k !== 'tenant_id'), ownerProject: scope.project_id,
      });
      const changes: Partial<AddressScope> = {};
      if (item.name !== undefined && item.name !== scope.name) changes.name = item.name as string;
      if (item.shared !== undefined && item.shared !== scope.shared) changes.shared = item.shared as boolean;
      return Object.keys(changes).length ? [{ type: 'address_scope.updated', data: { address_scope_id: scope.id, changes } }] : [];
    }
    case 'AddressScopeRbac': {
      const scope = s.scope;
      if (!scope) throw addressScopeNotFound('');
      const d = decideObjectRbac('address_scope', command.rbac, scope, s.pools.map((p) => p.project_id));
      return objectRbacEvents('address_scope', 'address_scope_id', scope.id, d) as AddressScopeEvent[];
    }
    case 'JoinAddressScope': {
      const scope = s.scope;
      if (!scope || !canSeeAddressScope(scope, command.actor)) throw addressScopeNotFound(command.address_scope_id); // perhaps deleted meanwhile
      if (scope.ip_version !== command.ip_version)
        throw neutronError(
          400, 'IllegalSubnetPoolIpVersionAssociationToAddressScope',
          `Illegal subnetpool association: subnetpool ${command.subnetpool_id} cannot associate with address scope ${scope.id} because subnetpool ip_version is not ${scope.ip_version}.`,
        );
      const mine = command.prefixes.map((p) => parseCidr(p)!);
      for (const [pool, prefixes] of Object.entries(scope.pools ?? {})) {
        if (pool !== command.subnetpool_id && cidrSetsOverlap(prefixes.map((p) => parseCidr(p)!), mine))
          throw conflict('AddressScopePrefixConflict', 'Failed to associate address scope: subnetpools within an address scope must have unique prefixes.');
      }
      if (JSON.stringify(scope.pools?.[command.subnetpool_id]) === JSON.stringify(command.prefixes)) return [];
      return [{ type: 'address_scope.pool_joined', data: { address_scope_id: scope.id, subnetpool_id: command.subnetpool_id, prefixes: [...command.prefixes] } }];
    }
    case 'LeaveAddressScope': {
      const scope = s.scope;
      if (!scope || !scope.pools?.[command.subnetpool_id]) return [];
      return [{ type: 'address_scope.pool_left', data: { address_scope_id: scope.id, subnetpool_id: command.subnetpool_id } }];
    }
    case 'DeleteAddressScope': {
      const scope = s.scope;
      if (!scope || !canSeeAddressScope(scope, command.actor)) throw addressScopeNotFound(scope?.id ?? '');
      enforce({ action: 'delete_address_scope', actor: command.actor, item: {}, map: ADDRESS_SCOPE_ATTRS, rules: {}, ownerProject: scope.project_id });
      if (s.pools.length || Object.keys(scope.pools ?? {}).length)
        throw conflict('AddressScopeInUse', `Unable to complete operation on address scope ${scope.id}. There are one or more subnet pools in use on the address scope.`);
      return [{ type: 'address_scope.deleted', data: { address_scope_id: scope.id } }];
    }
  }
}

export const addressScopeDecider: Decider<AddressScopeCommand, AddressScopeState, AddressScopeEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, scope: evolveAddressScope(state.scope, event) }),
  initialState: () => ({ scope: undefined, pools: [] }),
};
