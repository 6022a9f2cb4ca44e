/**
 * RBAC `access_as_shared` policies on subnet pools, address scopes and address groups
 * (rbac-subnetpool, rbac-address-scope, rbac-address-group; Zed's rbac_db mixin): a policy shares
 * the object with one project (it sees it; a pool: allocates subnets from it;
 * a scope: puts its pools in it). The wildcard policy is the object's own
 * `shared` flag (one fact, shown under a deterministic id); the one-project
 * policies live on the object's aggregate, so "a policy in use cannot go" is
 * decided on the object's subject with the facts of what uses it.
 */
import { isAdmin, type Actor } from '../actor';
import { uuid5 } from '../common/name-uuid';
import { NeutronError } from '../errors';
import { rbacErrors, WILDCARD, type RbacPolicy } from './network-rbac';

export type SharedObjectType = 'subnetpool' | 'address_scope' | 'address_group' | 'qos_policy';
export const SHARED_OBJECT_TYPES: readonly SharedObjectType[] = ['subnetpool', 'address_scope', 'address_group', 'qos_policy'];

/** One project's share of the object. */
export interface SharedEntry {
  id: string;
  /** The project that made the policy. */
  project_id: string;
  target_tenant: string;
}

export interface Shareable {
  id: string;
  project_id: string;
  shared: boolean;
  rbac?: SharedEntry[];
}

const NAMESPACE = '4c1f8a52-0d7e-4b8e-a3a9-2f6f5b7d9e10';
export const sharedWildcardId = (type: SharedObjectType, id: string): string => uuid5(NAMESPACE, `${type}:${id}:access_as_shared`);

/** Every policy on the object: its wildcard (from `shared`), then the one-project ones. */
export function objectPolicies(type: SharedObjectType, o: Shareable): RbacPolicy[] {
  const view = (id: string, project: string, target: string): RbacPolicy => ({
    id, project_id: project, tenant_id: project, action: 'access_as_shared', object_id: o.id, target_tenant: target, object_type: type,
  });
  const out: RbacPolicy[] = [];
  if (o.shared) out.push(view(sharedWildcardId(type, o.id), o.project_id, WILDCARD));
  for (const e of o.rbac ?? []) out.push(view(e.id, e.project_id, e.target_tenant));
  return out;
}

/** Shared with the project by a one-project policy. */
export const sharedByPolicy = (o: Shareable, project: string): boolean => (o.rbac ?? []).some((e) => e.target_tenant === project);

/** `shared` as the caller sees it (Zed's _load_shared: a "*" entry or one for the caller's project). */
export const objectSharedFor = (o: Shareable, actor: Actor): boolean => o.shared || sharedByPolicy(o, actor.project_id);

export const badSharedAction = (type: SharedObjectType, a: unknown) =>
  new NeutronError(400, 'InvalidActionForType', `Invalid action '${String(a)}' for object type '${type}'. Valid actions: ('access_as_shared',)`);

/** RbacPolicyInUse as Zed's rbac_db mixin words it for these objects. */
const inUse = (objectId: string, target: string) =>
  new NeutronError(409, 'RbacPolicyInUse', `RBAC policy on object ${objectId} cannot be removed because other objects depend on it.\nDetails: tenant_id=${target}`);

export type ObjectRbacCommand =
  | { type: 'AddRbacPolicy'; id: string; target: string; actor: Actor }
  | { type: 'UpdateRbacPolicy'; policy_id: string; target: string; actor: Actor }
  | { type: 'RemoveRbacPolicy'; policy_id: string; actor: Actor };

/** What a policy decision appends on the object's subject: the flag change, or an entry added, retargeted or removed. */
export type ObjectRbacDecision =
  | { kind: 'shared'; shared: boolean }
  | { kind: 'added'; entry: SharedEntry }
  | { kind: 'updated'; policy_id: string; target_tenant: string }
  | { kind: 'removed'; policy_id: string }
  | { kind: 'none' };

/**
 * The events of a decision on the object's subject, the same for every shared-object type:
 * `<type>.updated` {changes: {shared}} for the wildcard, `<type>.rbac_added` {entry},
 * `<type>.rbac_updated` {<policyKey>, target_tenant}, `<type>.rbac_removed` {<policyKey>}; the object's
 * id under `idKey` (QoS names its own id policy_id, so the RBAC policy's is rbac_id there).
 */
export function objectRbacEvents(type: SharedObjectType, idKey: string, id: string, d: ObjectRbacDecision, policyKey = 'policy_id'): Array<{ type: string; data: Record<string, unknown> }> {
  switch (d.kind) {
    case 'shared': return [{ type: `${type}.updated`, data: { [idKey]: id, changes: { shared: d.shared } } }];
    case 'added': return [{ type: `${type}.rbac_added`, data: { [idKey]: id, entry: d.entry } }];
    case 'updated': return [{ type: `${type}.rbac_updated`, data: { [idKey]: id, [policyKey]: d.policy_id, target_tenant: d.target_tenant } }];
    case 'removed': return [{ type: `${type}.rbac_removed`, data: { [idKey]: id, [policyKey]: d.policy_id } }];
    default: return [];
  }
}

/**
 * A policy command on the object. `bound`: the projects using the object
 * (Zed's get_bound_project_ids: a pool's subnets' projects, a scope's pools'
 * projects); a share whose loss would leave one of them (not the owner)
 * without access is in use.
 */
export function decideObjectRbac(type: SharedObjectType, command: ObjectRbacCommand, o: Shareable, bound: string[]): ObjectRbacDecision {
  const actor = command.actor;
  const policy = () => {
    const p = objectPolicies(type, o).find((x) => x.id === (command as { policy_id: string }).policy_id);
    if (!p || !(isAdmin(actor) || p.project_id === actor.project_id)) throw rbacErrors.notFound((command as { policy_id: string }).policy_id);
    return p;
  };
  /** Would removing `without` leave a bound project without access? */
  const wouldStrand = (without: RbacPolicy): boolean => {
    const left: Shareable = { ...o, shared: without.target_tenant === WILDCARD ? false : o.shared, rbac: (o.rbac ?? []).filter((e) => e.id !== without.id) };
    const reaches = (x: Shareable, p: string) => p === o.project_id || x.shared || sharedByPolicy(x, p);
    return bound.some((p) => reaches(o, p) && !reaches(left, p));
  };
  switch (command.type) {
    case 'AddRbacPolicy': {
      if (!isAdmin(actor) && o.project_id !== actor.project_id) throw rbacErrors.notOwner();
      if (command.target === WILDCARD) {
        if (!isAdmin(actor)) throw rbacErrors.wildcardForbidden();
        if (o.shared) throw rbacErrors.duplicate();
        return { kind: 'shared', shared: true };
      }
      if (sharedByPolicy(o, command.target)) throw rbacErrors.duplicate();
      return { kind: 'added', entry: { id: command.id, project_id: actor.project_id, target_tenant: command.target } };
    }
    case 'UpdateRbacPolicy': {
      const p = policy();
      if (p.target_tenant === command.target) return { kind: 'none' };
      if (p.target_tenant === WILDCARD)
        throw new NeutronError(400, 'InvalidInput', `Invalid input for operation: policy ${p.id} is the ${type}'s "*" (its shared flag); create the policy for one project and delete this one instead of retargeting it.`);
      if (command.target === WILDCARD && !isAdmin(actor)) throw rbacErrors.wildcardForbidden();
      if (wouldStrand(p)) throw inUse(o.id, p.target_tenant);
      if (sharedByPolicy(o, command.target)) throw rbacErrors.duplicate();
      return { kind: 'updated', policy_id: p.id, target_tenant: command.target };
    }
    case 'RemoveRbacPolicy': {
      const p = policy();
      if (wouldStrand(p)) throw inUse(o.id, p.target_tenant);
      return p.target_tenant === WILDCARD ? { kind: 'shared', shared: false } : { kind: 'removed', policy_id: p.id };
    }
  }
}
