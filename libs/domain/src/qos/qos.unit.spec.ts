import { deciderSpec } from '../decider-spec';
import { qosPolicyDecider, type QosPolicyEvent } from './decider';
import type { QosPolicy } from './model';
import { effectiveQosPolicyId } from './effective';
import { presentQosPolicy } from './present';

// Answers recorded from the reference Zed server (qos service plugin) on 2026-12-04.
const admin = { user_id: 'u1', project_id: 'p1', roles: ['admin'] };
const member = { user_id: 'u1', project_id: 'p1', roles: ['member'] };
const other = { user_id: 'u2', project_id: 'p2', roles: ['member'] };
const id = 'bc55972c-1400-44fc-b851-8c5d3c4bfe72';
const spec = deciderSpec(qosPolicyDecider);
const policy: QosPolicy = {
  id, name: 'p', description: 'd', tenant_id: 'p1', project_id: 'p1', shared: false, is_default: false, tags: [], rules: [],
  created_at: '2026-12-04T21:33:39Z', updated_at: '2026-12-04T21:33:39Z', revision_number: 0,
};
const created: QosPolicyEvent = { type: 'qos_policy.created', data: { policy } };
const egress: QosPolicyEvent = { type: 'qos_policy.rule_added', data: { policy_id: id, rule: { id: 'r1', type: 'bandwidth_limit', max_kbps: 1000, max_burst_kbps: 0, direction: 'egress' } } };
const dscp: QosPolicyEvent = { type: 'qos_policy.rule_added', data: { policy_id: id, rule: { id: 'r2', type: 'dscp_marking', dscp_mark: 14 } } };

describe('QoS policies (Zed answers)', () => {
  it('an admin creates a policy with Zed defaults; a member may not (admin_only)', () => {
    spec.given().when({ type: 'CreateQosPolicy', body: { policy: { name: 'p', description: 'd' } }, actor: admin, id, now: policy.created_at }).then([created]);
    spec.given().when({ type: 'CreateQosPolicy', body: { policy: { name: 'p' } }, actor: member, id, now: 'x' })
      .then({ status: 403, type: 'PolicyNotAuthorized', message: 'rule:create_policy is disallowed by policy' });
    spec.given().when({ type: 'CreateQosPolicy', body: { policy: { shared: 'maybe' } }, actor: admin, id, now: 'x' })
      .then({ status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'maybe' cannot be converted to boolean." });
  });

  it('one default policy per project (QoSPolicyDefaultAlreadyExists)', () => {
    spec.given([], { defaultOf: (p) => (p === 'p1' ? 'other' : undefined) })
      .when({ type: 'CreateQosPolicy', body: { policy: { name: 'y', is_default: true } }, actor: admin, id, now: 'x' })
      .then({ status: 409, type: 'QoSPolicyDefaultAlreadyExists', message: 'A default QoS policy exists for project p1.' });
    const [e] = spec.given().when({ type: 'CreateQosPolicy', body: { policy: { name: 'x', is_default: true } }, actor: admin, id, now: 'x' }).then([
      { type: 'qos_policy.created', data: { policy: { ...policy, name: 'x', description: '', is_default: true, revision_number: 1, created_at: 'x', updated_at: 'x' } } },
    ]);
    expect(e).toBeDefined();
  });

  it('adds rules with defaults; a second rule of one type and direction conflicts', () => {
    spec.given([created]).when({ type: 'AddQosRule', rule_type: 'bandwidth_limit', body: { bandwidth_limit_rule: { max_kbps: 1000 } }, actor: admin, id: 'r1' }).then([egress]);
    spec.given([created, egress]).when({ type: 'AddQosRule', rule_type: 'bandwidth_limit', body: { bandwidth_limit_rule: { max_kbps: 2000 } }, actor: admin, id: 'r3' })
      .then({ status: 409, type: 'QoSRulesConflict', message: `Rule bandwidth_limit conflicts with rule r1 which already exists in QoS Policy ${id}.` });
    spec.given([created, egress]).when({ type: 'AddQosRule', rule_type: 'bandwidth_limit', body: { bandwidth_limit_rule: { max_kbps: 2000, direction: 'ingress', max_burst_kbps: 300 } }, actor: admin, id: 'r3' })
      .then([{ type: 'qos_policy.rule_added', data: { policy_id: id, rule: { id: 'r3', type: 'bandwidth_limit', max_kbps: 2000, max_burst_kbps: 300, direction: 'ingress' } } }]);
    spec.given([created, dscp]).when({ type: 'AddQosRule', rule_type: 'dscp_marking', body: { dscp_marking_rule: { dscp_mark: 16 } }, actor: admin, id: 'r4' })
      .then({ status: 409, type: 'QoSRulesConflict', message: `Rule dscp_marking conflicts with rule r2 which already exists in QoS Policy ${id}.` });
  });

  it('refuses bad rule input with Zed messages', () => {
    const add = (rule_type: 'bandwidth_limit' | 'dscp_marking', body: object) => spec.given([created]).when({ type: 'AddQosRule', rule_type, body, actor: admin, id: 'r9' });
    add('bandwidth_limit', { bandwidth_limit_rule: { max_kbps: 2000, direction: 'up' } }).then({ status: 400, type: 'HTTPBadRequest', message: 'Invalid input for direction. Reason: up is not in valid_values.' });
    add('bandwidth_limit', { bandwidth_limit_rule: {} }).then({ status: 400, type: 'HTTPBadRequest', message: "Failed to parse request. Required attribute 'max_kbps' not specified" });
    add('bandwidth_limit', { bandwidth_limit_rule: { max_kbps: -1 } }).then({ status: 400, type: 'HTTPBadRequest', message: "Invalid input for max_kbps. Reason: '-1' is too small - must be at least '0'." });
    add('bandwidth_limit', { bandwidth_limit_rule: { max_kbps: 'abc' } }).then({ status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'abc' is not an integer." });
    add('dscp_marking', { dscp_marking_rule: { dscp_mark: 13 } }).then({ status: 400, type: 'HTTPBadRequest', message: 'Invalid input for dscp_mark. Reason: 13 is not in valid_values.' });
    add('dscp_marking', { dscp_marking_rule: {} }).then({ status: 400, type: 'HTTPBadRequest', message: "Failed to parse request. Required attribute 'dscp_mark' not specified" });
    spec.given([created]).when({ type: 'AddQosRule', rule_type: 'dscp_marking', body: { dscp_marking_rule: { dscp_mark: 16 } }, actor: member, id: 'r9' })
      .then({ status: 403, type: 'PolicyNotAuthorized', message: 'rule:create_policy_dscp_marking_rule is disallowed by policy' });
  });

  it('updates a rule (conflict on the new direction), deletes, and 404s an unknown rule', () => {
    const ingress: QosPolicyEvent = { type: 'qos_policy.rule_added', data: { policy_id: id, rule: { id: 'r3', type: 'bandwidth_limit', max_kbps: 2000, max_burst_kbps: 300, direction: 'ingress' } } };
    spec.given([created, egress, ingress]).when({ type: 'UpdateQosRule', rule_type: 'bandwidth_limit', rule_id: 'r1', body: { bandwidth_limit_rule: { direction: 'ingress' } }, actor: admin })
      .then({ status: 409, type: 'QoSRulesConflict', message: `Rule bandwidth_limit conflicts with rule r3 which already exists in QoS Policy ${id}.` });
    spec.given([created, egress]).when({ type: 'UpdateQosRule', rule_type: 'bandwidth_limit', rule_id: 'r1', body: { bandwidth_limit_rule: { max_kbps: 5000 } }, actor: admin })
      .then([{ type: 'qos_policy.rule_updated', data: { policy_id: id, rule_id: 'r1', changes: { max_kbps: 5000 } } }]);
    const zero = '00000000-0000-0000-0000-000000000000';
    spec.given([created, egress]).when({ type: 'DeleteQosRule', rule_type: 'bandwidth_limit', rule_id: zero, actor: admin })
      .then({ status: 404, type: 'QosRuleNotFound', message: `QoS rule ${zero} for policy ${id} could not be found.` });
    spec.given([created, egress]).when({ type: 'DeleteQosRule', rule_type: 'dscp_marking', rule_id: 'r1', actor: admin })
      .then({ status: 404, type: 'QosRuleNotFound', message: `QoS rule r1 for policy ${id} could not be found.` });
    spec.given([created, egress]).when({ type: 'DeleteQosRule', rule_type: 'bandwidth_limit', rule_id: 'r1', actor: admin }).then([{ type: 'qos_policy.rule_removed', data: { policy_id: id, rule_id: 'r1' } }]);
  });

  it('a policy in use cannot be deleted (QosPolicyInUse, 409); another project does not see a private policy', () => {
    spec.given([created], { usedBy: [{ type: 'port', id: 'dab75e80' }] }).when({ type: 'DeleteQosPolicy', actor: admin })
      .then({ status: 409, type: 'QosPolicyInUse', message: `QoS Policy ${id} is used by port dab75e80.` });
    spec.given([created], { usedBy: [{ type: 'network', id: 'n1' }] }).when({ type: 'DeleteQosPolicy', actor: admin })
      .then({ status: 409, type: 'QosPolicyInUse', message: `QoS Policy ${id} is used by network n1.` });
    spec.given([created]).when({ type: 'DeleteQosPolicy', actor: other }).then({ status: 404, type: 'QosPolicyNotFound', message: `QoS policy ${id} could not be found.` });
    spec.given([created]).when({ type: 'DeleteQosPolicy', actor: member }).then({ status: 403, type: 'PolicyNotAuthorized', message: 'rule:delete_policy is disallowed by policy' });
    spec.given([created]).when({ type: 'DeleteQosPolicy', actor: admin }).then([{ type: 'qos_policy.deleted', data: { policy_id: id } }]);
  });

  it('shows rules with their type and policy id; each rule change is a revision', () => {
    const s = spec.given([created, egress, dscp]).state;
    expect(presentQosPolicy(s.policy!)).toEqual(expect.objectContaining({
      revision_number: 2,
      rules: [
        { max_kbps: 1000, max_burst_kbps: 0, direction: 'egress', id: 'r1', qos_policy_id: id, type: 'bandwidth_limit' },
        { dscp_mark: 14, id: 'r2', qos_policy_id: id, type: 'dscp_marking' },
      ],
    }));
  });

  it('RBAC access_as_shared (Zed has no alias of its own for it: part of qos): shares with one project, in use while a port of that project names the policy', () => {
    const share = { type: 'AddRbacPolicy' as const, id: 'rb1', target: 'p2', actor: member };
    const [added] = spec.given([created]).when({ type: 'QosPolicyRbac', rbac: share }).then([
      { type: 'qos_policy.rbac_added', data: { policy_id: id, entry: { id: 'rb1', project_id: 'p1', target_tenant: 'p2' } } },
    ]);
    const s = spec.given([created, added]).state;
    expect(presentQosPolicy(s.policy!, other)).toMatchObject({ shared: true });
    spec.given([created, added], { usedBy: [{ type: 'port', id: 'x', project_id: 'p2' }] })
      .when({ type: 'QosPolicyRbac', rbac: { type: 'RemoveRbacPolicy', policy_id: 'rb1', actor: member } })
      .then({ status: 409, type: 'RbacPolicyInUse' });
    spec.given([created, added]).when({ type: 'QosPolicyRbac', rbac: { type: 'RemoveRbacPolicy', policy_id: 'rb1', actor: member } })
      .then([{ type: 'qos_policy.rbac_removed', data: { policy_id: id, rbac_id: 'rb1' } }]);
  });

  it("a port's own policy wins; network-owned ports do not take the network's", () => {
    expect(effectiveQosPolicyId({ device_owner: 'compute:nova', qos_policy_id: 'mine' }, { qos_policy_id: 'net' })).toBe('mine');
    expect(effectiveQosPolicyId({ device_owner: 'compute:nova', qos_policy_id: null }, { qos_policy_id: 'net' })).toBe('net');
    expect(effectiveQosPolicyId({ device_owner: 'network:dhcp' }, { qos_policy_id: 'net' })).toBeNull();
    expect(effectiveQosPolicyId({ device_owner: 'network:router_interface', qos_policy_id: 'mine' }, { qos_policy_id: 'net' })).toBe('mine');
  });
});
