import { deciderSpec } from '../decider-spec';
import { SG, groupsBefore, sgActor, sgError, type SgCase } from '../__fixtures__/zed-security-group';
import { securityGroupDecider, type SecurityGroupEvent } from './decider';

const spec = deciderSpec(securityGroupDecider);
const zcase = (name: string): SgCase => SG.cases[name];
/** The group a case acts on (the id in its path, or the rule's group), created as it was just before. */
const givenGroup = (c: SgCase, id: string): SecurityGroupEvent[] => [
  { type: 'security_group.created', data: { security_group: groupsBefore(c).find((g) => g.id === id)! } },
];
const idIn = (c: SgCase) => c.request.path.split('/').pop()!;
const now = '2026-01-01T00:00:00Z';

describe('security group decider: given / when / then', () => {
  it('refuses to delete a group that ports use (Zed delete-in-use), deletes it once they are gone (delete-no-longer-in-use)', () => {
    const c = zcase('delete-in-use');
    spec.given(givenGroup(c, idIn(c)), { usedByPorts: true }).when({ type: 'DeleteSecurityGroup', actor: sgActor(c) }).then(sgError(c));
    const later = zcase('delete-no-longer-in-use');
    spec.given(givenGroup(later, idIn(later)), { usedByPorts: false }).when({ type: 'DeleteSecurityGroup', actor: sgActor(later) }).then([
      { type: 'security_group.deleted', data: { security_group_id: idIn(later) } },
    ]);
  });

  it('a member may not delete the default group (Zed delete-default)', () => {
    const c = zcase('delete-default');
    spec.given(givenGroup(c, idIn(c))).when({ type: 'DeleteSecurityGroup', actor: sgActor(c) }).then(sgError(c));
  });

  it.each(['rule-tcp-22-again', 'rule-dup-protocol-number', 'rule-dup-no-prefix', 'rule-bulk-duplicate', 'rule-bulk-existing'])(
    'duplicate rules are decided on the group they belong to: %s → the Zed error',
    (name) => {
      const c = zcase(name);
      const body = c.request.body;
      const groupId = (body.security_group_rule ?? body.security_group_rules[0]).security_group_id;
      let n = 0;
      spec.given(givenGroup(c, groupId)).when({ type: 'AddSecurityGroupRules', body, actor: sgActor(c), now, newId: () => `rule-${++n}` }).then(sgError(c));
    },
  );

  it('adds a new rule as an event of its group, and removes it by id', () => {
    const c = zcase('rule-tcp-22-again');
    const groupId = c.request.body.security_group_rule.security_group_id;
    const body = { security_group_rule: { security_group_id: groupId, direction: 'ingress', protocol: 'udp', port_range_min: 53, port_range_max: 53 } };
    const [added] = spec.given(givenGroup(c, groupId)).when({ type: 'AddSecurityGroupRules', body, actor: sgActor(c), now, newId: () => 'rule-new' }).then([
      {
        type: 'security_group.rule_added',
        data: {
          rule: {
            id: 'rule-new', tenant_id: 'dom-fx-p1', project_id: 'dom-fx-p1', security_group_id: groupId, direction: 'ingress', ethertype: 'IPv4', protocol: 'udp',
            port_range_min: 53, port_range_max: 53, remote_ip_prefix: null, remote_group_id: null, remote_address_group_id: null, description: '', created_at: now, updated_at: now, revision_number: 0,
          },
        },
      },
    ]);
    spec.given([...givenGroup(c, groupId), added]).when({ type: 'RemoveSecurityGroupRule', rule_id: 'rule-new', actor: sgActor(c) }).then([
      { type: 'security_group.rule_removed', data: { rule_id: 'rule-new', security_group_id: groupId } },
    ]);
    spec.given(givenGroup(c, groupId)).when({ type: 'RemoveSecurityGroupRule', rule_id: 'rule-new', actor: sgActor(c) }).then({ status: 404, type: 'SecurityGroupRuleNotFound' });
  });

  it('a rule may name another group as its remote group when the state carries it; an unknown remote group is SecurityGroupNotFound', () => {
    const c = zcase('rule-tcp-22-again');
    const groupId = c.request.body.security_group_rule.security_group_id;
    const group = groupsBefore(c).find((g) => g.id === groupId)!;
    const remote = { ...group, id: 'sg-remote' };
    const body = { security_group_rule: { security_group_id: groupId, direction: 'ingress', protocol: 'tcp', remote_group_id: 'sg-remote' } };
    const cmd = { type: 'AddSecurityGroupRules' as const, body, actor: sgActor(c), now, newId: () => 'rule-remote' };
    const [added] = securityGroupDecider.decide(cmd, { ...spec.given(givenGroup(c, groupId)).state, remoteGroups: { 'sg-remote': remote } });
    expect(added.type === 'security_group.rule_added' && added.data.rule.remote_group_id).toBe('sg-remote');
    spec.given(givenGroup(c, groupId)).when(cmd).then({ status: 404, type: 'SecurityGroupNotFound' });
  });

  it("makes a project's default group once: nothing when it exists", () => {
    const cmd = { type: 'EnsureDefaultSecurityGroup' as const, project: 'p9', id: 'sg-default', now, ruleIds: ['a', 'b', 'c', 'd'] };
    const [made, ...more] = securityGroupDecider.decide(cmd, spec.given([]).state);
    expect(more).toEqual([]);
    if (made.type !== 'security_group.created') throw new Error(made.type);
    expect({ name: made.data.security_group.name, project: made.data.security_group.project_id, rules: made.data.security_group.security_group_rules.map((r) => r.id) })
      .toEqual({ name: 'default', project: 'p9', rules: ['a', 'b', 'c', 'd'] });
    spec.given([made]).when(cmd).then([]);
  });
});
