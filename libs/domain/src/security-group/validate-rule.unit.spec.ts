import { thrown } from '../__fixtures__/zed';
import { SgCase, finder, sgActor, sgCases, withoutOmittedSg, sgError } from '../__fixtures__/zed-security-group';
import { buildSecurityGroupRule } from './build';
import { presentSecurityGroupRule } from './present';
import { validateSecurityGroupRuleCreate, validateSecurityGroupRuleUpdate } from './validate-rule';

const creates = sgCases((c) => c.request.method === 'POST' && c.request.path === '/security-group-rules');
const create = (c: SgCase) => validateSecurityGroupRuleCreate(c.request.body, sgActor(c), { findGroup: finder(c) });
/** Zed answers a list given as protocol with HTTP 500 (an AttributeError); Neutrino refuses it as an unsupported protocol. */
const ZED_500 = new Set(['rule-protocol-list']);

describe('validateSecurityGroupRuleCreate against Zed', () => {
  it.each(creates.filter(([n, c]) => c.response.status >= 400 && !ZED_500.has(n)))('%s → Zed error', (_n, c) => {
    expect(thrown(() => create(c))).toEqual(sgError(c));
  });

  it.each(creates.filter(([, c]) => c.response.status === 201))('%s → the rule(s) Zed created', (_n, c) => {
    const plan = create(c);
    const zedRules: any[] = c.response.body.security_group_rule ? [c.response.body.security_group_rule] : c.response.body.security_group_rules;
    expect(plan.rules).toHaveLength(zedRules.length);
    plan.rules.forEach((r, i) => {
      const z = zedRules[i];
      expect(presentSecurityGroupRule(buildSecurityGroupRule(r, { id: z.id, now: z.created_at }))).toEqual(withoutOmittedSg(z));
    });
  });

  it('a list as protocol is an unsupported protocol (Zed: HTTP 500)', () => {
    expect(thrown(() => create(sgCases((_c, n) => n === 'rule-protocol-list')[0][1]))).toMatchObject({
      status: 400, type: 'SecurityGroupRuleInvalidProtocol',
    });
  });
});

describe('rules cannot be updated', () => {
  const [[, readOnly]] = sgCases((_c, n) => n === 'rule-update');
  it('a read-only attribute: Zed error', () => {
    expect(thrown(() => validateSecurityGroupRuleUpdate(readOnly.request.body, sgActor(readOnly)))).toEqual(sgError(readOnly));
  });
  it('the description: 501 where Zed fails with 500', () => {
    const [[, c]] = sgCases((_c, n) => n === 'rule-update-description');
    expect(c.response.status).toBe(500);
    expect(thrown(() => validateSecurityGroupRuleUpdate(c.request.body, sgActor(c)))).toMatchObject({ status: 501 });
  });
});
