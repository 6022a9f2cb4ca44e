import { deciderSpec } from '../decider-spec';
import { quotaDecider, quotaDetails, type QuotaEvent, type QuotaState } from './decider';
import { NEUTRON_QUOTA_DEFAULTS, validateQuotaBody } from './limits';

const spec = deciderSpec(quotaDecider);
const admin = { user_id: 'u', project_id: 'adm', roles: ['admin'] };
const member = { user_id: 'u', project_id: 'p1', roles: ['member'] };
const AT = Date.parse('2026-01-01T00:00:00Z'); // what deciderSpec stamps on the given events
const at = (ms: number) => new Date(AT + ms).toISOString();
const facts = (used: Partial<Record<string, number>> = {}): Partial<QuotaState> => ({
  project_id: 'p1', defaults: NEUTRON_QUOTA_DEFAULTS, used: (k) => used[k] ?? 0, claimTtlMs: 60_000,
});
const updated = (limits: object): QuotaEvent => ({ type: 'quota.updated', data: { project_id: 'p1', limits } });
const claimed = (...ids: string[]): QuotaEvent => ({ type: 'quota.claimed', data: { project_id: 'p1', claims: ids.map((id) => ({ id, counts: { network: 1 } })) } });

describe('quota decider: limits are events, set and reset by admins only', () => {
  it('sets limits over the defaults; the same values again change nothing', () => {
    spec.given([], facts()).when({ type: 'UpdateQuota', body: { quota: { network: '7', port: ' 3 ' } }, actor: admin }).then([updated({ network: 7, port: 3 })]);
    spec.given([updated({ network: 7 })], facts()).when({ type: 'UpdateQuota', body: { quota: { subnet: 2.9 } }, actor: admin }).then([updated({ network: 7, subnet: 2 })]);
    spec.given([updated({ network: 7 })], facts()).when({ type: 'UpdateQuota', body: { quota: { network: 7 } }, actor: admin }).then([]);
    spec.given([], facts()).when({ type: 'UpdateQuota', body: { quota: {} }, actor: admin }).then([]);
  });

  it('a value equal to the default is still a quota set for the project (Zed lists it until it is deleted)', () => {
    spec.given([], facts()).when({ type: 'UpdateQuota', body: { quota: { network: 100 } }, actor: admin }).then([updated({ network: 100 })]);
  });

  it('refuses members (403) and bad bodies with Zed\'s messages', () => {
    spec.given([], facts()).when({ type: 'UpdateQuota', body: { quota: { network: 1 } }, actor: member })
      .then({ status: 403, type: 'PolicyNotAuthorized', message: 'rule:update_quota is disallowed by policy' });
    spec.given([], facts()).when({ type: 'UpdateQuota', body: { quota: { bogus: 5 } }, actor: admin })
      .then({ status: 400, type: 'HTTPBadRequest', message: "Unrecognized attribute(s) 'bogus'" });
    spec.given([], facts()).when({ type: 'UpdateQuota', body: { quota: { network: -2 } }, actor: admin })
      .then({ status: 400, type: 'HTTPBadRequest', message: "Invalid input for network. Reason: '-2' is too small - must be at least '-1'." });
    spec.given([], facts()).when({ type: 'UpdateQuota', body: { quota: { network: 'abc' } }, actor: admin })
      .then({ status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'abc' is not an integer." });
    spec.given([], facts()).when({ type: 'UpdateQuota', body: { quota: { network: null } }, actor: admin })
      .then({ status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'None' is not an integer." });
    spec.given([], facts()).when({ type: 'UpdateQuota', body: { quota: { network: 99999999999999 } }, actor: admin })
      .then({ status: 400, type: 'HTTPBadRequest', message: "Invalid input for network. Reason: '99999999999999' is too large - must be no larger than '2147483647'." });
    spec.given([], facts()).when({ type: 'UpdateQuota', body: { quota: 5 }, actor: admin }).then({ status: 400, type: 'HTTPBadRequest' });
    expect(validateQuotaBody({ quota: { network: true, port: -1 } })).toEqual({ network: 1, port: -1 });
  });

  it('reset (DELETE) needs a quota set: TenantQuotaNotFound otherwise; members 403', () => {
    spec.given([updated({ network: 7 })], facts()).when({ type: 'ResetQuota', actor: admin }).then([{ type: 'quota.reset', data: { project_id: 'p1' } }]);
    spec.given([], facts()).when({ type: 'ResetQuota', actor: admin })
      .then({ status: 404, type: 'TenantQuotaNotFound', message: 'Quota for tenant p1 could not be found.' });
    spec.given([updated({ network: 7 }), { type: 'quota.reset', data: { project_id: 'p1' } }], facts()).when({ type: 'ResetQuota', actor: admin })
      .then({ status: 404, type: 'TenantQuotaNotFound' });
    spec.given([updated({ network: 7 })], facts()).when({ type: 'ResetQuota', actor: member })
      .then({ status: 403, type: 'PolicyNotAuthorized', message: 'rule:delete_quota is disallowed by policy' });
  });
});

describe('quota decider: claims count what exists and what is in flight', () => {
  const claim = (n: number, now = at(0)) => ({ type: 'ClaimQuota' as const, claims: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, counts: { network: 1 } })), now });

  it('claims up to the limit, counting used resources and claims not yet fulfilled', () => {
    spec.given([updated({ network: 3 })], facts({ network: 1 })).when(claim(2)).then([claimed('n0', 'n1')]);
    spec.given([updated({ network: 3 }), claimed('x')], facts({ network: 1 })).when(claim(1)).then([claimed('n0')]);
    spec.given([updated({ network: 3 }), claimed('x')], facts({ network: 1 })).when(claim(2))
      .then({ status: 409, type: 'OverQuota', message: "Quota exceeded for resources: ['network']." });
  });

  it('a bulk claim is all or nothing', () => {
    spec.given([updated({ network: 2 })], facts()).when(claim(3)).then({ status: 409, type: 'OverQuota' });
  });

  it('a released claim and an expired one no longer count', () => {
    const released: QuotaEvent = { type: 'quota.released', data: { project_id: 'p1', ids: ['x'] } };
    spec.given([updated({ network: 1 }), claimed('x'), released], facts()).when(claim(1)).then([claimed('n0')]);
    spec.given([updated({ network: 1 }), claimed('x')], facts()).when(claim(1, at(59_999))).then({ status: 409, type: 'OverQuota' });
    const [e] = spec.given([updated({ network: 1 }), claimed('x')], facts()).when(claim(1, at(60_000)))
      .then([{ type: 'quota.claimed', data: { project_id: 'p1', claims: [{ id: 'n0', counts: { network: 1 } }], expired: ['x'] } }]);
    // The expired claim leaves the state with the claim that named it.
    const s = spec.given([updated({ network: 1 }), claimed('x'), e], facts()).state;
    expect(Object.keys(s.quota!.claims)).toEqual(['n0']);
  });

  it('-1 is unlimited: no claim is recorded; 0 refuses every create', () => {
    spec.given([updated({ network: -1 })], facts({ network: 10_000 })).when(claim(5)).then([]);
    spec.given([updated({ network: 0 })], facts()).when(claim(1)).then({ status: 409, type: 'OverQuota' });
  });

  it('names the first resource over its limit, as Zed checks them in turn (a security group takes its two egress rules)', () => {
    const sg = { type: 'ClaimQuota' as const, claims: [{ id: 'g', counts: { security_group: 1, security_group_rule: 2 } }], now: at(0) };
    spec.given([updated({ security_group_rule: 5 })], facts({ security_group: 1, security_group_rule: 4 })).when(sg)
      .then({ status: 409, type: 'OverQuota', message: "Quota exceeded for resources: ['security_group_rule']." });
    spec.given([updated({ security_group_rule: 5, security_group: 1 })], facts({ security_group: 1, security_group_rule: 4 })).when(sg)
      .then({ status: 409, type: 'OverQuota', message: "Quota exceeded for resources: ['security_group']." });
  });

  it('release names only claims still pending', () => {
    spec.given([claimed('x')], facts()).when({ type: 'ReleaseQuota', ids: ['x', 'y'] }).then([{ type: 'quota.released', data: { project_id: 'p1', ids: ['x'] } }]);
    spec.given([], facts()).when({ type: 'ReleaseQuota', ids: ['y'] }).then([]);
  });

  it('details: limit, used and reserved per resource', () => {
    const s = spec.given([updated({ network: 3 }), claimed('x')], facts({ network: 1, port: 4 })).state;
    const d = quotaDetails(s, at(0));
    expect(d.network).toEqual({ limit: 3, used: 1, reserved: 1 });
    expect(d.port).toEqual({ limit: 500, used: 4, reserved: 0 });
    expect(Object.keys(d)).toEqual(['network', 'subnet', 'port', 'router', 'floatingip', 'security_group', 'security_group_rule']);
  });
});
