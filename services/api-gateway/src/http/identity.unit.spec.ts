import { actorFromHeaders } from './identity';
import { checkIfMatch } from '../write/if-match';
import { parseJsonBody } from './json-body';

describe('noauth identity', () => {
  it('is an admin of the default project without identity headers', () => {
    expect(actorFromHeaders({}, 'admin')).toEqual({ user_id: null, project_id: 'admin', roles: ['admin'] });
  });
  it('takes project, user and roles from the Keystone headers', () => {
    expect(actorFromHeaders({ 'x-tenant-id': 'p1', 'x-user-id': 'u1', 'x-roles': 'Member, reader' }, 'admin')).toEqual({
      user_id: 'u1', project_id: 'p1', roles: ['member', 'reader'],
    });
    expect(actorFromHeaders({ 'x-project-id': 'p2' }, 'admin').roles).toEqual([]);
  });
});

describe('If-Match and bodies', () => {
  it('checks revision_number like Neutron', () => {
    expect(() => checkIfMatch('revision_number=2', { revision_number: 2 })).not.toThrow();
    expect(() => checkIfMatch('revision_number=1', { revision_number: 2 })).toThrow('Constrained to 1, but current revision is 2');
    expect(() => checkIfMatch(undefined, { revision_number: 2 })).not.toThrow();
  });
  it('rejects malformed JSON with Neutron\'s message', () => {
    expect(() => parseJsonBody('{"a":')).toThrow('Body contains invalid data');
    expect(parseJsonBody('')).toBeUndefined();
  });
});
