/**
 * RBAC policies on networks (`/v2.0/rbac-policies`, the rbac-policies
 * extension), Zed's rules: a policy shares one network with one project
 * (`access_as_shared`: it sees the network and may put ports and subnets on
 * it) or offers it as external (`access_as_external`: gateways and floating
 * IPs). The wildcard policies (`target_tenant` "*") are the network's own
 * `shared` and `router:external` — one fact, never two — shown under a
 * deterministic id; the one-project policies live on the network (`rbac`),
 * decided on its subject like everything else about it, so "a policy in use
 * cannot be removed" races nothing.
 */
import { isAdmin, type Actor } from '../actor';
import { uuid5 } from '../common/name-uuid';
import { NeutronError } from '../errors';
import type { FloatingIp, Network, NetworkRbacEntry, Port, RbacAction } from '../model';
import type { SharedObjectType } from './object-rbac';

export const RBAC_ACTIONS: readonly RbacAction[] = ['access_as_shared', 'access_as_external'];
export const WILDCARD = '*';
/** The namespace of the wildcard policies' ids (uuid5 of "<network id>:<action>"). */
const RBAC_NAMESPACE = '0f6c4b0e-5b1a-4c8e-9d4e-6b2f0a7c9e31';

export interface RbacPolicy {
  id: string;
  project_id: string;
  tenant_id: string;
  action: RbacAction;
  object_id: string;
  target_tenant: string;
  object_type: 'network' | SharedObjectType;
}

export const wildcardPolicyId = (networkId: string, action: RbacAction): string => uuid5(RBAC_NAMESPACE, `${networkId}:${action}`);

/** Every policy on a network: its wildcards (from `shared` and `router:external`), then the one-project ones. */
export function networkPolicies(n: Network): RbacPolicy[] {
  const view = (id: string, project: string, action: RbacAction, target: string): RbacPolicy => ({
    id, project_id: project, tenant_id: project, action, object_id: n.id, target_tenant: target, object_type: 'network',
  });
  const out: RbacPolicy[] = [];
  if (n.shared) out.push(view(wildcardPolicyId(n.id, 'access_as_shared'), n.project_id, 'access_as_shared', WILDCARD));
  if (n['router:external']) out.push(view(wildcardPolicyId(n.id, 'access_as_external'), n.project_id, 'access_as_external', WILDCARD));
  for (const e of n.rbac ?? []) out.push(view(e.id, e.project_id, e.action, e.target_tenant));
  return out;
}

const targets = (n: Network, project: string, action?: RbacAction) =>
  (n.rbac ?? []).some((e) => e.target_tenant === project && (!action || e.action === action));

/** The network is shared with the project: its owner, everyone (shared), or a policy for that project. */
export const sharedWith = (n: Network, project: unknown): boolean =>
  n.shared || n.project_id === project || (typeof project === 'string' && targets(n, project, 'access_as_shared'));

/** External for gateways and floating IPs: the flag, or any access_as_external policy (Zed then shows router:external to all who see it). */
export const isExternal = (n: Network): boolean => n['router:external'] || (n.rbac ?? []).some((e) => e.action === 'access_as_external');

/** A policy names the project (either action): it sees the network. */
export const rbacGrants = (n: Network, project: string): boolean => targets(n, project);

/** `shared` as the caller sees it (Zed): true when shared with everyone or with the caller's project by a policy. */
export const sharedFor = (n: Network, actor: Actor): boolean => n.shared || targets(n, actor.project_id, 'access_as_shared');

/** Who may see a policy: admins and the project that made it. */
export const canSeePolicy = (p: RbacPolicy, actor: Actor): boolean => isAdmin(actor) || p.project_id === actor.project_id;

// ---- Zed's errors ----

export const rbacErrors = {
  notFound: (id: string) => new NeutronError(404, 'RbacPolicyNotFound', `RBAC policy of type network with ID ${id} not found`),
  duplicate: () => new NeutronError(409, 'DuplicateRbacPolicy', 'An RBAC policy already exists with those values.'),
  inUse: (networkId: string) =>
    new NeutronError(
      409,
      'RbacPolicyInUse',
      `RBAC policy on object ${networkId} cannot be removed because other objects depend on it.\nDetails: Unable to reconfigure sharing settings for network ${networkId}. Multiple tenants are using it.`,
    ),
  notOwner: () => new NeutronError(400, 'InvalidInput', 'Invalid input for operation: Only admins can manipulate policies on objects they do not own.'),
  wildcardForbidden: () =>
    new NeutronError(
      403,
      'PolicyNotAuthorized',
      '((((rule:create_rbac_policy and rule:create_rbac_policy:object_type) and rule:create_rbac_policy:object_id) and rule:create_rbac_policy:target_tenant) and rule:create_rbac_policy:action) is disallowed by policy',
    ),
  badType: (t: unknown) =>
    new NeutronError(400, 'InvalidInput', `Invalid input for operation: '${String(t)}' is not a valid RBAC object type.`),
  badAction: (a: unknown) =>
    new NeutronError(400, 'InvalidActionForType', `Invalid action '${String(a)}' for object type 'network'. Valid actions: ('access_as_shared', 'access_as_external')`),
  wildcardRetarget: (id: string) =>
    new NeutronError(
      400,
      'InvalidInput',
      `Invalid input for operation: policy ${id} is the network's "*" (its shared or router:external flag); create the policy for one project and delete this one instead of retargeting it.`,
    ),
};

/**
 * The projects whose use of the network would lose its footing if `without`
 * went: ports (for sharing) or floating IPs (for external use) of projects
 * that neither own the network nor keep another grant.
 */
export function rbacInUse(n: Network, without: { id: string; action: RbacAction }, facts: { ports: Port[]; floatingIps?: FloatingIp[] }): boolean {
  const after: Network = {
    ...n,
    shared: without.id === wildcardPolicyId(n.id, 'access_as_shared') ? false : n.shared,
    'router:external': without.id === wildcardPolicyId(n.id, 'access_as_external') ? false : n['router:external'],
    rbac: (n.rbac ?? []).filter((e) => e.id !== without.id),
  };
  if (without.action === 'access_as_shared') {
    return facts.ports.some((p) => p.project_id && p.project_id !== n.project_id && !sharedWith(after, p.project_id));
  }
  const stillExternalFor = (project: string) => after['router:external'] || targets(after, project, 'access_as_external') || project === n.project_id;
  return (facts.floatingIps ?? []).some((f) => f.project_id && !stillExternalFor(f.project_id));
}

export type RbacCommand =
  | { type: 'AddRbacPolicy'; id: string; action: RbacAction; target: string; actor: Actor }
  | { type: 'UpdateRbacPolicy'; policy_id: string; target: string; actor: Actor }
  | { type: 'RemoveRbacPolicy'; policy_id: string; actor: Actor };

export type RbacEvent =
  | { type: 'network.rbac_added'; data: { network_id: string; entry: NetworkRbacEntry } }
  | { type: 'network.rbac_updated'; data: { network_id: string; policy_id: string; target_tenant: string } }
  | { type: 'network.rbac_removed'; data: { network_id: string; policy_id: string } }
  | { type: 'network.updated'; data: { changes: Partial<Network> } };

/** A policy command on the network's subject (the network as the caller may see it is checked by the caller). */
export function decideRbac(command: RbacCommand, n: Network, facts: { ports: Port[]; floatingIps?: FloatingIp[] }): RbacEvent[] {
  const actor = command.actor;
  const mayManage = isAdmin(actor) || n.project_id === actor.project_id;
  switch (command.type) {
    case 'AddRbacPolicy': {
      if (!mayManage) throw rbacErrors.notOwner();
      if (command.target === WILDCARD) {
        if (!isAdmin(actor)) throw rbacErrors.wildcardForbidden();
        const flag = command.action === 'access_as_shared' ? 'shared' : 'router:external';
        if (n[flag]) throw rbacErrors.duplicate();
        return [{ type: 'network.updated', data: { changes: { [flag]: true } } }];
      }
      if ((n.rbac ?? []).some((e) => e.action === command.action && e.target_tenant === command.target)) throw rbacErrors.duplicate();
      return [{ type: 'network.rbac_added', data: { network_id: n.id, entry: { id: command.id, project_id: actor.project_id, action: command.action, target_tenant: command.target } } }];
    }
    case 'UpdateRbacPolicy': {
      const policy = networkPolicies(n).find((p) => p.id === command.policy_id);
      if (!policy || !canSeePolicy(policy, actor)) throw rbacErrors.notFound(command.policy_id);
      if (policy.target_tenant === command.target) return [];
      if (policy.target_tenant === WILDCARD) throw rbacErrors.wildcardRetarget(policy.id);
      if (command.target === WILDCARD && !isAdmin(actor)) throw rbacErrors.wildcardForbidden();
      if (rbacInUse(n, policy, facts)) throw rbacErrors.inUse(n.id);
      if ((n.rbac ?? []).some((e) => e.id !== policy.id && e.action === policy.action && e.target_tenant === command.target)) throw rbacErrors.duplicate();
      return [{ type: 'network.rbac_updated', data: { network_id: n.id, policy_id: policy.id, target_tenant: command.target } }];
    }
    case 'RemoveRbacPolicy': {
      const policy = networkPolicies(n).find((p) => p.id === command.policy_id);
      if (!policy || !canSeePolicy(policy, actor)) throw rbacErrors.notFound(command.policy_id);
      if (rbacInUse(n, policy, facts)) throw rbacErrors.inUse(n.id);
      if (policy.target_tenant === WILDCARD) {
        const flag = policy.action === 'access_as_shared' ? 'shared' : 'router:external';
        return [{ type: 'network.updated', data: { changes: { [flag]: false } } }];
      }
      return [{ type: 'network.rbac_removed', data: { network_id: n.id, policy_id: policy.id } }];
    }
  }
}
