import { thrown } from '../__fixtures__/zed';
import { decideObjectRbac, objectPolicies, objectSharedFor, sharedWildcardId, type Shareable } from './object-rbac';

const owner = { user_id: 'u1', project_id: 'p1', roles: ['member'] };
const other = { user_id: 'u2', project_id: 'p2', roles: ['member'] };
const admin = { user_id: 'a', project_id: 'admin', roles: ['admin'] };
const pool: Shareable = { id: 'sp', project_id: 'p1', shared: false, rbac: [] };

describe('access_as_shared on subnet pools and address scopes', () => {
  it('the wildcard is the shared flag (admin only); one-project policies are entries; duplicates refused', () => {
    expect(decideObjectRbac('subnetpool', { type: 'AddRbacPolicy', id: 'r1', target: 'p2', actor: owner }, pool, [])).toEqual({
      kind: 'added', entry: { id: 'r1', project_id: 'p1', target_tenant: 'p2' },
    });
    expect(thrown(() => decideObjectRbac('subnetpool', { type: 'AddRbacPolicy', id: 'r1', target: '*', actor: owner }, pool, []))).toMatchObject({ status: 403, type: 'PolicyNotAuthorized' });
    expect(decideObjectRbac('subnetpool', { type: 'AddRbacPolicy', id: 'r1', target: '*', actor: admin }, pool, [])).toEqual({ kind: 'shared', shared: true });
    expect(thrown(() => decideObjectRbac('subnetpool', { type: 'AddRbacPolicy', id: 'r1', target: 'p3', actor: other }, pool, []))).toEqual({
      status: 400, type: 'InvalidInput', message: 'Invalid input for operation: Only admins can manipulate policies on objects they do not own.',
    });
    const shared = { ...pool, rbac: [{ id: 'r1', project_id: 'p1', target_tenant: 'p2' }] };
    expect(thrown(() => decideObjectRbac('subnetpool', { type: 'AddRbacPolicy', id: 'r2', target: 'p2', actor: owner }, shared, []))).toMatchObject({ status: 409, type: 'DuplicateRbacPolicy' });
    expect(objectSharedFor(shared, other)).toBe(true);
    expect(objectSharedFor(shared, owner)).toBe(false);
    expect(objectPolicies('address_scope', { ...shared, shared: true }).map((p) => [p.id, p.target_tenant, p.object_type])).toEqual([
      [sharedWildcardId('address_scope', 'sp'), '*', 'address_scope'], ['r1', 'p2', 'address_scope'],
    ]);
  });

  it('a share in use (a project it grants has subnets from the pool / pools in the scope) cannot go or be retargeted', () => {
    const shared = { ...pool, rbac: [{ id: 'r1', project_id: 'p1', target_tenant: 'p2' }] };
    const remove = { type: 'RemoveRbacPolicy' as const, policy_id: 'r1', actor: owner };
    expect(thrown(() => decideObjectRbac('subnetpool', remove, shared, ['p2']))).toEqual({
      status: 409, type: 'RbacPolicyInUse', message: 'RBAC policy on object sp cannot be removed because other objects depend on it.\nDetails: tenant_id=p2',
    });
    expect(thrown(() => decideObjectRbac('subnetpool', { type: 'UpdateRbacPolicy', policy_id: 'r1', target: 'p3', actor: owner }, shared, ['p2']))).toMatchObject({ type: 'RbacPolicyInUse' });
    expect(decideObjectRbac('subnetpool', remove, shared, ['p1', 'p3'])).toEqual({ kind: 'removed', policy_id: 'r1' });
    // the wildcard: in use by any project that keeps no policy of its own
    const star = { ...shared, shared: true };
    const removeStar = { type: 'RemoveRbacPolicy' as const, policy_id: sharedWildcardId('subnetpool', 'sp'), actor: admin };
    expect(decideObjectRbac('subnetpool', removeStar, star, ['p2'])).toEqual({ kind: 'shared', shared: false });
    expect(thrown(() => decideObjectRbac('subnetpool', removeStar, star, ['p3']))).toMatchObject({ type: 'RbacPolicyInUse', message: expect.stringContaining('tenant_id=*') });
    expect(thrown(() => decideObjectRbac('subnetpool', { ...remove, actor: other }, shared, []))).toMatchObject({ status: 404, type: 'RbacPolicyNotFound' });
  });
});
