import { actorOf, needsToken } from './keystone-auth';

describe('keystone strategy', () => {
  it('asks a token for everything but the versions document (/v2.0 as api-paste.ini, Octavia\'s /v2 too)', () => {
    expect(['/v2.0', '/v2.0/', '/v2.0/networks', '/v2.0/networks?name=a', '/v2.0/extensions', '/v2/lbaas/loadbalancers', '/v2.0foo', '//v2.0/networks'].every(needsToken)).toBe(true);
    expect(['/', '/?x=1'].some(needsToken)).toBe(false);
  });
  it('makes the actor from the token: user, project, roles, domain, system scope', () => {
    const base = { userName: 'a', userDomainId: 'default', projectName: 'p', roles: ['member', 'reader'], expiresAt: 0 };
    expect(actorOf({ ...base, userId: 'u1', projectId: 'p1', projectDomainId: 'default', domainId: null, system: null })).toEqual({
      user_id: 'u1', project_id: 'p1', roles: ['member', 'reader'], domain_id: 'default', system_scope: null,
    });
    expect(actorOf({ ...base, userId: 'u2', projectId: null, projectDomainId: null, domainId: null, system: 'all', roles: ['admin'] })).toEqual({
      user_id: 'u2', project_id: '', roles: ['admin'], domain_id: null, system_scope: 'all',
    });
  });
});
