import { deciderSpec } from '../decider-spec';
import type { Actor } from '../actor';
import { firewallDecider, type FirewallCommand, type FirewallEvent } from './decider';
import { evolveFirewall } from './evolve';
import { parseFirewall } from './validate';
import type { FirewallState } from './model';

const alice: Actor = { user_id: 'u1', project_id: 'p1', roles: ['member'] };
const bob: Actor = { user_id: 'u2', project_id: 'p2', roles: ['member'] };
const NOW = '2026-01-01T00:00:00Z';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const spec = deciderSpec(firewallDecider);

const run = (state: FirewallState, c: FirewallCommand): FirewallState =>
  firewallDecider.decide(c, state).reduce((s, e) => evolveFirewall(s, { ...e, at: NOW }), state);
const rule = (n: number, body: Record<string, unknown> = {}, actor = alice): FirewallCommand =>
  ({ type: 'CreateRule', id: id(n), attrs: parseFirewall('firewall_rule', { protocol: 'tcp', destination_port: '80', action: 'allow', ...body }, actor, true), actor, now: NOW });
const policy = (n: number, body: Record<string, unknown> = {}, actor = alice): FirewallCommand =>
  ({ type: 'CreatePolicy', id: id(n), attrs: parseFirewall('firewall_policy', { name: `p${n}`, ...body }, actor, true), actor, now: NOW });
const iface = (n: number, project = 'p1', owner = 'network:router_interface') => ({ id: id(n), project_id: project, device_owner: owner, device_id: id(999) });
const group = (n: number, body: Record<string, unknown>, ports: Record<string, ReturnType<typeof iface> | undefined> = {}, actor = alice): FirewallCommand =>
  ({ type: 'CreateGroup', id: id(n), attrs: parseFirewall('firewall_group', body, actor, true), actor, now: NOW, ports });

const world = () => [rule(1), rule(2, { action: 'deny' }), policy(10, { firewall_rules: [id(1)] })].reduce(run, firewallDecider.initialState());

describe('firewall decider', () => {
  it('a rule takes Neutron defaults; icmp with ports, ports without protocol and a mixed ip_version are refused', () => {
    const [e] = firewallDecider.decide(rule(1, { protocol: 'TCP', destination_port: '80:80' }), firewallDecider.initialState());
    expect((e as FirewallEvent & { type: 'firewall.rule_created' }).data.rule).toMatchObject({ protocol: 'tcp', destination_port: '80', ip_version: 4, enabled: true, shared: false, source_port: null });
    spec.given().when(rule(1, { protocol: 'icmp' })).then({ status: 400, type: 'FirewallRuleInvalidICMPParameter' });
    spec.given().when(rule(1, { protocol: null })).then({ status: 400, type: 'FirewallRuleWithPortWithoutProtocolInvalid' });
    spec.given().when(rule(1, { destination_ip_address: '2001:db8::1' })).then({ status: 400, type: 'FirewallIpAddressConflict' });
    expect(() => rule(1, { protocol: 'gre' })).toThrow(/protocol gre is not supported/);
    expect(() => rule(1, { action: 'drop' })).toThrow(/action drop is not supported/);
    expect(() => rule(1, { destination_port: '90:80' })).toThrow(/Invalid value for port 90:80/);
  });

  it('insert_rule: top by default, before/after a rule of the policy; a reference outside it and a second insert are refused', () => {
    let s = world();
    const insert = (info: Record<string, string>) => ({ type: 'InsertRule' as const, id: id(10), info, actor: alice });
    s = run(s, insert({ firewall_rule_id: id(2), insert_before: id(1) }));
    expect(s.policies[id(10)].firewall_rules).toEqual([id(2), id(1)]);
    s = run(s, { type: 'RemoveRule', id: id(10), info: { firewall_rule_id: id(2) }, actor: alice });
    s = run(s, insert({ firewall_rule_id: id(2), insert_after: id(1) }));
    expect(s.policies[id(10)].firewall_rules).toEqual([id(1), id(2)]);
    spec.given([], s).when(insert({ firewall_rule_id: id(2) })).then({ status: 409, type: 'FirewallRuleAlreadyAssociated' });
    const t = run(world(), rule(3));
    spec.given([], t).when(insert({ firewall_rule_id: id(3), insert_before: id(2) })).then({ status: 400, type: 'FirewallRuleNotAssociatedWithPolicy' });
    spec.given([], t).when(insert({})).then({ status: 400, type: 'FirewallRuleInfoMissing' });
    spec.given([], t).when({ type: 'RemoveRule', id: id(10), info: { firewall_rule_id: id(3) }, actor: alice }).then({ status: 400, type: 'FirewallRuleNotAssociatedWithPolicy' });
  });

  it('audited resets on any change of the policy or its rules', () => {
    let s = run(world(), { type: 'UpdatePolicy', id: id(10), attrs: { audited: true }, actor: alice });
    expect(s.policies[id(10)].audited).toBe(true);
    s = run(s, { type: 'UpdateRule', id: id(1), attrs: { destination_port: '8080' }, actor: alice });
    expect(s.policies[id(10)].audited).toBe(false);
  });

  it('sharing: a shared policy needs shared rules; another project\'s unshared rule or policy is refused', () => {
    const s = world();
    spec.given([], s).when(policy(11, { shared: true, firewall_rules: [id(1)] })).then({ status: 404, type: 'FirewallRuleSharingConflict' });
    spec.given([], s).when({ type: 'UpdatePolicy', id: id(10), attrs: { shared: true }, actor: alice }).then({ status: 409, type: 'FirewallPolicySharingConflict' });
    spec.given([], s).when(policy(12, { firewall_rules: [id(1)] }, bob)).then({ status: 404, type: 'FirewallRuleNotFound' });
    spec.given([], s).when(group(20, { ingress_firewall_policy_id: id(10) }, {}, bob)).then({ status: 404, type: 'FirewallPolicyConflict' });
  });

  it('in use: a rule in a policy, a policy in a group', () => {
    const s = run(world(), group(20, { ingress_firewall_policy_id: id(10) }));
    spec.given([], s).when({ type: 'DeleteRule', id: id(1), actor: alice }).then({ status: 409, type: 'FirewallRuleInUse' });
    spec.given([], s).when({ type: 'DeletePolicy', id: id(10), actor: alice }).then({ status: 409, type: 'FirewallPolicyInUse' });
  });

  it('a group\'s ports: router interfaces of its project, in one group only', () => {
    const s = world();
    spec.given([], s).when(group(20, { ports: [id(50)] }, { [id(50)]: iface(50, 'p1', 'compute:nova') })).then({ status: 409, type: 'FirewallGroupPortInvalid' });
    spec.given([], s).when(group(20, { ports: [id(50)] }, { [id(50)]: iface(50, 'p2') })).then({ status: 409, type: 'FirewallGroupPortInvalidProject' });
    spec.given([], s).when(group(20, { ports: [id(50)] }, {})).then({ status: 404, type: 'PortNotFound' });
    const t = run(s, group(20, { ports: [id(50)] }, { [id(50)]: iface(50) }));
    spec.given([], t).when(group(21, { ports: [id(50)] }, { [id(50)]: iface(50) })).then({ status: 409, type: 'FirewallGroupPortInUse' });
    spec.given([], t).when(group(22, { name: 'default' })).then({ status: 409, type: 'FirewallDefaultParameterExists' });
  });

  it('status: INACTIVE without ports, PENDING_CREATE → ACTIVE on the agent\'s report of the current version, PENDING_UPDATE when a rule changes, DOWN when admin-down', () => {
    let s = run(world(), group(20, { ingress_firewall_policy_id: id(10) }));
    expect(s.groups[id(20)].status).toBe('INACTIVE');
    s = run(s, { type: 'UpdateGroup', id: id(20), attrs: { ports: [id(50)] }, actor: alice, ports: { [id(50)]: iface(50) } });
    expect(s.groups[id(20)]).toMatchObject({ status: 'PENDING_CREATE', config_version: 2 });
    expect(firewallDecider.decide({ type: 'ReportApplied', group_id: id(20), host: 'h', version: 1 }, s)).toEqual([]);
    s = run(s, { type: 'ReportApplied', group_id: id(20), host: 'h', version: 2 });
    expect(s.groups[id(20)].status).toBe('ACTIVE');
    s = run(s, { type: 'UpdateRule', id: id(1), attrs: { enabled: false }, actor: alice });
    expect(s.groups[id(20)]).toMatchObject({ status: 'PENDING_UPDATE', config_version: 3 });
    s = run(s, { type: 'UpdateGroup', id: id(20), attrs: { admin_state_up: false }, actor: alice, ports: {} });
    expect(s.groups[id(20)].status).toBe('DOWN');
  });

  it('the default group: made once per project, ingress deny and egress allow, not deletable by its owner', () => {
    const ids = { group: id(30), ingress: id(31), egress: id(32), rules: [id(33), id(34), id(35), id(36)] as [string, string, string, string] };
    const s = run(firewallDecider.initialState(), { type: 'EnsureDefaultGroup', project_id: 'p1', ids, now: NOW });
    expect(s.groups[id(30)]).toMatchObject({ name: 'default', status: 'INACTIVE', ingress_firewall_policy_id: id(31) });
    expect(s.rules[id(33)]).toMatchObject({ name: 'default ingress ipv4', action: 'deny' });
    expect(firewallDecider.decide({ type: 'EnsureDefaultGroup', project_id: 'p1', ids, now: NOW }, s)).toEqual([]);
    spec.given([], s).when({ type: 'DeleteGroup', id: id(30), actor: alice }).then({ status: 409, type: 'FirewallGroupCannotRemoveDefault' });
  });

  describe('v1 (/v2.0/fw): a firewall is a group with router_ids, one policy both ways', () => {
    const R1 = id(70);
    const R2 = id(71);
    const routers = { [R1]: { id: R1, project_id: 'p1' }, [R2]: { id: R2, project_id: 'p1' } };
    const fw = (n: number, body: Record<string, unknown>, actor = alice, limit = 1): FirewallCommand =>
      ({ type: 'CreateFirewall', id: id(n), attrs: parseFirewall('firewall', body, actor, true), actor, now: NOW, routers, projectRouters: [R1, R2], limit });

    it('router_ids absent = every router of the tenant, [] = none (INACTIVE); the policy is both directions', () => {
      let s = run(world(), fw(80, { firewall_policy_id: id(10) }));
      expect(s.groups[id(80)]).toMatchObject({ router_ids: [R1, R2], ingress_firewall_policy_id: id(10), egress_firewall_policy_id: id(10), ports: [], status: 'PENDING_CREATE' });
      s = run(world(), fw(80, { firewall_policy_id: id(10), router_ids: [] }));
      expect(s.groups[id(80)].status).toBe('INACTIVE');
      expect(() => parseFirewall('firewall', { name: 'x' }, alice, true)).toThrow(/Required attribute 'firewall_policy_id' not specified/);
    });

    it('one firewall per tenant by default (OverQuota), a router in one firewall only (FirewallRouterInUse), unknown routers 404', () => {
      const s = run(world(), fw(80, { firewall_policy_id: id(10), router_ids: [R1] }));
      spec.given([], s).when(fw(81, { firewall_policy_id: id(10), router_ids: [R2] })).then({ status: 409, type: 'OverQuota', message: "Quota exceeded for resources: ['firewall']." });
      spec.given([], s).when(fw(81, { firewall_policy_id: id(10), router_ids: [R1] }, alice, -1))
        .then({ status: 409, type: 'FirewallRouterInUse', message: `Router(s) ['${R1}'] provided already associated with other Firewall(s). ` });
      spec.given([], s).when(fw(81, { firewall_policy_id: id(10), router_ids: [id(79)] }, alice, -1)).then({ status: 404, type: 'RouterNotFound' });
      spec.given([], s).when(fw(81, { firewall_policy_id: id(10), router_ids: [R2] }, bob, -1)).then({ status: 409, type: 'FirewallPolicyConflict' });
      spec.given([], s).when(fw(81, { firewall_policy_id: null, router_ids: [R2] }, bob, -1)).then({ status: 404, type: 'RouterNotFound' });
    });

    it('v1 wording and rules: a rule in another policy is in use, pending firewalls refuse updates, v2 does not see v1 firewalls', () => {
      let s = run(world(), fw(80, { firewall_policy_id: id(10), router_ids: [R1] }));
      spec.given([], s).when({ ...policy(11, { firewall_rules: [id(1)] }), api: 'v1' } as FirewallCommand)
        .then({ status: 409, type: 'FirewallRuleInUse', message: `Firewall Rule ${id(1)} is being used.` });
      spec.given([], s).when({ type: 'InsertRule', id: id(10), info: { firewall_rule_id: id(2), insert_before: id(9) }, actor: alice, api: 'v1' })
        .then({ status: 400, type: 'FirewallRuleNotAssociatedWithPolicy', message: `Firewall Rule ${id(9)} is not associated  with Firewall Policy ${id(10)}.` });
      spec.given([], s).when({ type: 'UpdateFirewall', id: id(80), attrs: { name: 'x' }, actor: alice, routers: {} })
        .then({ status: 409, type: 'FirewallInPendingState', message: `Operation cannot be performed since associated Firewall ${id(80)} is in PENDING_CREATE.` });
      spec.given([], s).when({ type: 'DeletePolicy', id: id(10), actor: alice, api: 'v1' }).then({ status: 409, type: 'FirewallPolicyInUse', message: `Firewall Policy ${id(10)} is being used.` });
      spec.given([], s).when({ type: 'DeleteGroup', id: id(80), actor: alice }).then({ status: 404, type: 'FirewallGroupNotFound' });
      spec.given([], s).when({ type: 'DeleteFirewall', id: id(20), actor: alice }).then({ status: 404, type: 'FirewallNotFound' });
      // applied → ACTIVE; then a router change makes it PENDING_UPDATE at a new version
      s = run(s, { type: 'ReportApplied', group_id: id(80), host: 'h', version: 1 });
      expect(s.groups[id(80)].status).toBe('ACTIVE');
      s = run(s, { type: 'UpdateFirewall', id: id(80), attrs: parseFirewall('firewall', { router_ids: [R1, R2] }, alice, false), actor: alice, routers });
      expect(s.groups[id(80)]).toMatchObject({ status: 'PENDING_UPDATE', config_version: 2, router_ids: [R1, R2] });
    });
  });
});
