import { thrown } from '../__fixtures__/zed';
import { SG, SgCase, beforeOf, finder, sgActor, sgCases, sgError } from '../__fixtures__/zed-security-group';
import { checkPortGroups, portGroupsOnCreate } from './port-groups';

const port = (c: SgCase) => (c.request.body?.port ?? {}) as Record<string, any>;
const defaultOf = (c: SgCase, project: string) => beforeOf(c, project).find((g: any) => g.name === 'default').id;
/** Body errors (bad UUIDs) are the port attribute parser's, tested with the ports. */
const plugin = (c: SgCase) => c.response.status < 300 || c.response.body.NeutronError.type !== 'HTTPBadRequest';

describe('port create: port security and security groups as Zed decides them', () => {
  const creates = sgCases((c) => c.request.method === 'POST' && c.request.path === '/ports' && plugin(c));
  const decide = (c: SgCase) => {
    const p = port(c);
    const project = (p.tenant_id as string | undefined) ?? SG.setup.net.project_id;
    return portGroupsOnCreate(
      {
        project_id: project,
        device_owner: p.device_owner ?? '',
        port_security_enabled: p.port_security_enabled ?? true,
        requested: 'security_groups' in p ? (p.security_groups ?? []) : undefined,
      },
      sgActor(c),
      { findGroup: finder(c), defaultGroupId: () => defaultOf(c, project) },
    );
  };
  it.each(creates.filter(([, c]) => c.response.status >= 400))('%s → Zed error', (_n, c) => {
    expect(thrown(() => decide(c))).toEqual(sgError(c));
  });
  it.each(creates.filter(([, c]) => c.response.status === 201))('%s → Zed groups', (_n, c) => {
    const z = c.response.body.port;
    expect(decide(c)).toEqual({ port_security_enabled: z.port_security_enabled, security_groups: z.security_groups });
  });
});

describe('port update: the groups must exist and be the port project', () => {
  const updates = sgCases((c) => c.request.method === 'PUT' && c.request.path.startsWith('/ports/') && plugin(c));
  it.each(updates)('%s', (_n, c) => {
    const check = () => checkPortGroups(port(c).security_groups, SG.setup.usedPort.project_id, sgActor(c), { findGroup: finder(c) });
    expect(thrown(check)).toEqual(c.response.status < 300 ? 'no error' : sgError(c));
  });
});

describe('a port\'s groups all track connections or none does (stateful-security-group, recorded from Zed)', () => {
  const g = (id: string, stateful?: boolean) => ({ id, project_id: 'p1', stateful }) as any;
  const groups: Record<string, any> = { a: g('a', false), b: g('b'), c: g('c', false) };
  const actor = { user_id: 'u', project_id: 'p1', roles: ['member'] };
  it('mixed → 409 SecurityGroupConflict; all stateless or all stateful → fine', () => {
    expect(thrown(() => checkPortGroups(['a', 'b'], 'p1', actor, { findGroup: (id) => groups[id] }))).toEqual({
      status: 409, type: 'SecurityGroupConflict', message: 'Error Cannot apply both stateful and stateless security groups on the same port at the same time while attempting the operation.',
    });
    expect(() => checkPortGroups(['a', 'c'], 'p1', actor, { findGroup: (id) => groups[id] })).not.toThrow();
    expect(() => checkPortGroups(['b'], 'p1', actor, { findGroup: (id) => groups[id] })).not.toThrow();
  });
});
