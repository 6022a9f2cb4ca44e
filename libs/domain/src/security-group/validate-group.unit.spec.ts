import { thrown } from '../__fixtures__/zed';
import { SG, SgCase, finder, sgActor, sgCases, withoutOmittedSg, sgError } from '../__fixtures__/zed-security-group';
import { evolveSecurityGroup } from './evolve';
import { buildDefaultSecurityGroup, buildSecurityGroup } from './build';
import { presentSecurityGroup } from './present';
import { checkSecurityGroupDelete, validateSecurityGroupCreate, validateSecurityGroupUpdate } from './validate-group';
import { canSeeSecurityGroup } from './visibility';

const on = (method: string) => sgCases((c) => c.request.method === method && c.request.path.startsWith('/security-groups'));
const idOf = (c: SgCase) => c.request.path.split('/')[2];
const ok = (c: SgCase) => c.response.status < 300;
const errors = (cases: Array<[string, SgCase]>) => cases.filter(([, c]) => !ok(c));

describe('validateSecurityGroupCreate against Zed', () => {
  const create = (c: SgCase) => validateSecurityGroupCreate(c.request.body, sgActor(c));
  it.each(errors(on('POST')))('%s → Zed error', (_n, c) => expect(thrown(() => create(c))).toEqual(sgError(c)));

  it.each(on('POST').filter(([, c]) => c.response.status === 201 && c.request.body.security_group))('%s → the group Zed created', (_n, c) => {
    const z = c.response.body.security_group;
    const group = buildSecurityGroup(create(c), { id: z.id, now: z.created_at, ruleIds: z.security_group_rules.map((r: any) => r.id) });
    expect(presentSecurityGroup(group)).toEqual(withoutOmittedSg(z));
  });
});

describe('the default group', () => {
  const [[, c]] = sgCases((_c, n) => n === 'fresh-list');
  it('is made on the first list with Zed four rules', () => {
    const [z] = c.response.body.security_groups;
    const g = buildDefaultSecurityGroup(sgActor(c).project_id, { id: z.id, now: z.created_at, ruleIds: z.security_group_rules.map((r: any) => r.id) });
    expect(presentSecurityGroup(g)).toEqual(withoutOmittedSg(z));
  });
});

describe('show: visible groups read like Zed, others are SecurityGroupNotFound', () => {
  it.each(on('GET').filter(([, c]) => c.request.path.split('/').length > 2))('%s', (_n, c) => {
    const g = finder(c)(idOf(c));
    const visible = !!g && canSeeSecurityGroup(g, sgActor(c));
    expect(visible).toBe(ok(c));
    if (visible) expect(presentSecurityGroup(g!)).toEqual(withoutOmittedSg(c.response.body.security_group));
    else expect(c.response.body.NeutronError.type).toBe('SecurityGroupNotFound');
  });
});

describe('validateSecurityGroupUpdate against Zed', () => {
  const update = (c: SgCase) => {
    const current = finder(c)(idOf(c));
    if (!current) throw new Error('not recorded');
    return { current, changes: validateSecurityGroupUpdate(c.request.body, current, sgActor(c)) };
  };
  it.each(errors(on('PUT')).filter(([n]) => !n.endsWith('not-found')))('%s → Zed error', (_n, c) => {
    expect(thrown(() => update(c))).toEqual(sgError(c));
  });
  it.each(on('PUT').filter(([, c]) => ok(c)))('%s → the group Zed shows after', (_n, c) => {
    const { current, changes } = update(c);
    const z = c.response.body.security_group;
    const after = evolveSecurityGroup(current, { type: 'security_group.updated', at: z.updated_at, data: { changes } })!;
    expect(presentSecurityGroup(after)).toEqual(withoutOmittedSg(z));
  });
});

describe('checkSecurityGroupDelete against Zed', () => {
  const inUse = (id: string) => id === SG.setup.used.id;
  it.each(on('DELETE').filter(([n]) => !n.endsWith('not-found')))('%s', (_n, c) => {
    const g = finder(c)(idOf(c))!;
    const result = thrown(() => checkSecurityGroupDelete(g, sgActor(c), inUse(g.id) && c.response.status !== 204));
    expect(result).toEqual(ok(c) ? 'no error' : sgError(c));
  });
});

describe('rules revise their group', () => {
  const [[, c]] = sgCases((_c, n) => n === 'rule-delete');
  it('a removed rule leaves the group and bumps its revision', () => {
    const rg = finder(c)(SG.setup.rg.id)!;
    const ruleId = SG.setup.r22.id;
    const after = evolveSecurityGroup(rg, { type: 'security_group.rule_removed', at: '2026-11-23T05:00:00Z', data: { rule_id: ruleId, security_group_id: rg.id } })!;
    expect(after.security_group_rules.map((r) => r.id)).not.toContain(ruleId);
    expect(after.revision_number).toBe(rg.revision_number + 1);
    const [[, shown]] = sgCases((_c, n) => n === 'group-after-rule-delete');
    expect(shown.response.body.security_group.revision_number).toBe(rg.revision_number + 1);
  });
});

describe('stateful-security-group (answers recorded from Zed, 2026-12-04)', () => {
  const alice = { user_id: 'u', project_id: 'p1', roles: ['member'] };
  const made = (body: Record<string, unknown>) =>
    buildSecurityGroup(validateSecurityGroupCreate({ security_group: { name: 'sl', ...body } }, alice), { id: 'g1', now: '2026-12-04T19:00:00Z', ruleIds: ['r1', 'r2'] });

  it('stateful defaults to true, false is kept, and it is shown after the name', () => {
    expect(presentSecurityGroup(made({}))).toMatchObject({ stateful: true });
    expect(Object.keys(presentSecurityGroup(made({ stateful: false }))).slice(0, 3)).toEqual(['id', 'name', 'stateful']);
    expect(presentSecurityGroup(made({ stateful: 'false' })).stateful).toBe(false);
    expect(thrown(() => made({ stateful: 'maybe' }))).toEqual({ status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'maybe' cannot be converted to boolean." });
  });

  it('changes only while no port uses the group (SecurityGroupInUse)', () => {
    const g = made({ stateful: false });
    expect(validateSecurityGroupUpdate({ security_group: { stateful: true } }, g, alice)).toEqual({ stateful: true });
    expect(validateSecurityGroupUpdate({ security_group: { stateful: false } }, g, alice, true)).toEqual({});
    expect(thrown(() => validateSecurityGroupUpdate({ security_group: { stateful: true } }, g, alice, true)))
      .toEqual({ status: 409, type: 'SecurityGroupInUse', message: 'Security Group g1 in use.' });
  });
});
