import { SuiteFixture, member, openstack, openstackCli } from '@neutrino/testing-suite';

const openstackPath = openstackCli('the tags CLI test');
const itWithCli = openstackPath ? it : it.skip;

const admin = { 'X-Project-Id': 'admin', 'X-Roles': 'admin' };
const alice = member('tag-alice');
const bob = member('tag-bob');
const NONE = '11111111-2222-3333-4444-555555555555';
const err = (a: { status: number; body: any }) => ({ status: a.status, type: a.body?.NeutronError?.type, message: a.body?.NeutronError?.message });

/**
 * standard-attr-tag on every tagged kind, through the API: the six routes, the
 * tags in show and list, the four filters, revisions, the errors — each answer
 * as recorded from Zed (neutron-server 21.0.0) for the same request.
 */
describe('tags', () => {
  let fx: SuiteFixture;
  /** path (collection) → the id of one of alice's resources there, and the collection Zed names in TagResourceNotFound. */
  const res: Array<{ path: string; singular: string; collection: string; id: string }> = [];
  const api = (method: string, url: string, body?: unknown, who: Record<string, string> = alice) => fx.api(method, url, body, who);
  const show = async (path: string, singular: string, id: string, who = alice) => (await api('GET', `/v2.0/${path}/${id}`, undefined, who)).body[singular];
  /** The request fails as given and the log gains nothing. */
  const refused = async (method: string, url: string, body: unknown, expected: { status: number; type: string; message?: string }, who = alice) => {
    const before = await fx.store.lastSeq();
    const a = await api(method, url, body, who);
    expect(err(a)).toEqual(expected.message === undefined ? { status: expected.status, type: expected.type, message: expect.any(String) } : expected);
    expect(await fx.store.lastSeq()).toBe(before);
  };
  /** The request succeeds with `status` and appends nothing (nothing changed). */
  const unchanged = async (method: string, url: string, body: unknown, status: number) => {
    const before = await fx.store.lastSeq();
    expect((await api(method, url, body)).status).toBe(status);
    expect(await fx.store.lastSeq()).toBe(before);
  };

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } }, admin)).body.network;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, cidr: '203.0.113.0/28', ip_version: 4, enable_dhcp: false } }, admin);
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'tag-net' } })).body.network;
    const sub = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.80.0.0/24', ip_version: 4 } })).body.subnet;
    const port = (await api('POST', '/v2.0/ports', { port: { network_id: net.id, name: 'tag-port' } })).body.port;
    const router = (await api('POST', '/v2.0/routers', { router: { name: 'tag-router' } })).body.router;
    const fip = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } })).body.floatingip;
    const sg = (await api('POST', '/v2.0/security-groups', { security_group: { name: 'tag-sg' } })).body.security_group;
    res.push(
      { path: 'networks', singular: 'network', collection: 'networks', id: net.id },
      { path: 'subnets', singular: 'subnet', collection: 'subnets', id: sub.id },
      { path: 'ports', singular: 'port', collection: 'ports', id: port.id },
      { path: 'routers', singular: 'router', collection: 'routers', id: router.id },
      { path: 'floatingips', singular: 'floatingip', collection: 'floatingips', id: fip.id },
      { path: 'security-groups', singular: 'security_group', collection: 'security_groups', id: sg.id },
    );
    for (const r of res) expect(r.id).toEqual(expect.any(String));
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('every tagged kind: replace, add, check, remove, remove all; shown sorted; a changed set is a revision, an unchanged one is not', async () => {
    for (const { path, singular, id } of res) {
      const T = `/v2.0/${path}/${id}/tags`;
      const before = await show(path, singular, id);
      expect(before.tags).toEqual([]);

      // PUT …/tags answers the body as given (order, extra keys), the resource shows the set sorted
      const put = await api('PUT', T, { tags: ['zz', 'aa', 'mm'], x: 1 });
      expect({ status: put.status, body: put.body }).toEqual({ status: 200, body: { tags: ['zz', 'aa', 'mm'], x: 1 } });
      const tagged = await show(path, singular, id);
      expect(tagged.tags).toEqual(['aa', 'mm', 'zz']);
      expect(tagged.revision_number).toBe(before.revision_number + 1);
      expect(tagged.updated_at >= before.updated_at).toBe(true);
      await unchanged('PUT', T, { tags: ['mm', 'zz', 'aa'] }, 200);

      // PUT …/tags/<tag>: 201 with a JSON null, also when the tag is there already (then nothing changes)
      const add = await api('PUT', `${T}/bb`);
      expect({ status: add.status, body: add.body, length: add.headers.get('content-length') }).toEqual({ status: 201, body: null, length: '4' });
      await unchanged('PUT', `${T}/bb`, undefined, 201);
      expect(await api('GET', T)).toMatchObject({ status: 200, body: { tags: ['aa', 'bb', 'mm', 'zz'] } });
      expect((await api('GET', `${T}/bb`)).status).toBe(204);
      await refused('GET', `${T}/nope`, undefined, { status: 404, type: 'TagNotFound', message: 'Tag nope could not be found.' });
      await refused('DELETE', `${T}/nope`, undefined, { status: 404, type: 'TagNotFound', message: 'Tag nope could not be found.' });
      expect((await api('DELETE', `${T}/bb`)).status).toBe(204);
      expect((await show(path, singular, id)).revision_number).toBe(before.revision_number + 3);

      // the list shows them too, and the tag filters find the resource
      const listed = (await api('GET', `/v2.0/${path}?tags=aa,zz`)).body[`${singular}s`];
      expect(listed.map((r: { id: string; tags: string[] }) => [r.id, r.tags])).toEqual([[id, ['aa', 'mm', 'zz']]]);
      expect((await api('GET', `/v2.0/${path}?not-tags-any=mm`)).body[`${singular}s`].map((r: { id: string }) => r.id)).not.toContain(id);

      expect((await api('DELETE', T)).status).toBe(204);
      await unchanged('DELETE', T, undefined, 204);
      await unchanged('PUT', T, { tags: [] }, 200);
      const after = await show(path, singular, id);
      expect({ tags: after.tags, revision_number: after.revision_number }).toEqual({ tags: [], revision_number: before.revision_number + 4 });
    }
  });

  it('20 concurrent tag adds on one resource all land: each is decided again on the set the others left', async () => {
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'tag-race' } })).body.network;
    const tags = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const answers = await Promise.all(tags.map((t) => api('PUT', `/v2.0/networks/${net.id}/tags/${t}`)));
    expect(answers.map((a) => a.status)).toEqual(tags.map(() => 201));
    const after = await show('networks', 'network', net.id);
    expect({ tags: after.tags, revision_number: after.revision_number }).toEqual({ tags, revision_number: net.revision_number + 20 });
  });

  it('any string up to 255 characters is a tag, in the body and in the URL', async () => {
    const { path, singular, id } = res[0];
    const T = `/v2.0/${path}/${id}/tags`;
    const odd = ['', 'a,b', ' c', 'été', 'x'.repeat(255)];
    expect((await api('PUT', T, { tags: odd })).status).toBe(200);
    expect((await show(path, singular, id)).tags).toEqual([...odd].sort());
    expect((await api('GET', `${T}/a%2Cb`)).status).toBe(204);
    expect((await api('PUT', `${T}/a%20b`)).status).toBe(201);
    expect((await api('PUT', `${T}/${encodeURIComponent('€'.repeat(255))}`)).status).toBe(201);
    expect((await api('GET', `/v2.0/${path}/${id}/tags`)).body.tags).toEqual(expect.arrayContaining(['a b', '€'.repeat(255)]));
    expect((await api('DELETE', T)).status).toBe(204);
  });

  it('refuses bad tags and bad bodies as Zed does, before looking the resource up, and appends nothing', async () => {
    const { path, id } = res[0];
    const T = `/v2.0/${path}/${id}/tags`;
    const long = 'x'.repeat(256);
    const tooLong = { status: 400, type: 'InvalidInput', message: `Invalid input for operation: '${long}' exceeds maximum length of 255.` };
    for (const [method, url] of [['PUT', `${T}/${long}`], ['GET', `${T}/${long}`], ['DELETE', `${T}/${long}`], ['PUT', `/v2.0/${path}/${NONE}/tags/${long}`]]) {
      await refused(method, url, undefined, tooLong);
    }
    await refused('PUT', T, { tags: [long] }, tooLong);
    await refused('PUT', T, { tags: ['a', 'a'] }, { status: 400, type: 'InvalidInput', message: "Invalid input for operation: Duplicate items in the list: 'a'." });
    await refused('PUT', T, { tags: ['a', 1] }, { status: 400, type: 'InvalidInput', message: "Invalid input for operation: '1' is not a valid string." });
    await refused('PUT', T, { tags: 'a' }, { status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'a' is not a list." });
    await refused('PUT', T, { tags: null }, { status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'None' is not a list." });
    await refused('PUT', T, { tag: ['a'] }, { status: 400, type: 'InvalidInput', message: 'Invalid input for operation: Invalid tags body.' });
    await refused('PUT', T, ['a'], { status: 400, type: 'InvalidInput', message: 'Invalid input for operation: Invalid tags body.' });
    await refused('PUT', T, 'nojson', { status: 400, type: 'MalformedRequestBody', message: 'Malformed request body: Cannot understand JSON.' });
    await refused('PUT', `/v2.0/${path}/${NONE}/tags`, { tags: 'a' }, { status: 400, type: 'InvalidInput', message: "Invalid input for operation: 'a' is not a list." });
    await refused('POST', T, { tags: [] }, { status: 404, type: 'HTTPNotFound', message: 'not supported' });
  });

  it('a missing resource, or another project\'s, is TagResourceNotFound on every route; security group rules have no tags', async () => {
    for (const { path, collection, id } of res) {
      for (const [target, who] of [[NONE, alice], ['not-a-uuid', alice], [id, bob]] as const) {
        const T = `/v2.0/${path}/${target}/tags`;
        const expected = { status: 404, type: 'TagResourceNotFound', message: `Resource ${collection} ${target} could not be found.` };
        for (const [method, url, body] of [['GET', T], ['GET', `${T}/x`], ['PUT', T, { tags: ['x'] }], ['PUT', `${T}/x`], ['DELETE', T], ['DELETE', `${T}/x`]] as const) {
          await refused(method, url, body, expected, who);
        }
      }
    }
    const sg = res.find((r) => r.path === 'security-groups')!;
    const rule = (await api('GET', `/v2.0/security-group-rules?security_group_id=${sg.id}`)).body.security_group_rules[0];
    await refused('GET', `/v2.0/security-group-rules/${rule.id}/tags`, undefined, { status: 404, type: 'HTTPNotFound', message: 'The resource could not be found.' });
    await refused('PUT', `/v2.0/security-group-rules/${rule.id}/tags/x`, undefined, { status: 404, type: 'HTTPNotFound', message: 'The resource could not be found.' });
    await refused('GET', '/v2.0/security-group-rules?tags=x', undefined, { status: 400, type: 'HTTPBadRequest', message: "['tags'] is invalid attribute for filtering" });
    expect(rule).not.toHaveProperty('tags');
  });

  it('whoever may see a resource may tag it (Zed has no tag policy): a shared network and an external one', async () => {
    const shared = (await api('POST', '/v2.0/networks', { network: { name: 'tag-shared', shared: true, tenant_id: 'tag-alice' } }, admin)).body.network;
    const T = `/v2.0/networks/${shared.id}/tags`;
    expect(await api('GET', T, undefined, bob)).toMatchObject({ status: 200, body: { tags: [] } });
    expect((await api('PUT', `${T}/by-bob`, undefined, bob)).status).toBe(201);
    expect((await show('networks', 'network', shared.id)).tags).toEqual(['by-bob']);
    expect((await api('DELETE', T, undefined, bob)).status).toBe(204);
    const ext = (await api('GET', '/v2.0/networks?router:external=true', undefined, bob)).body.networks[0];
    expect((await api('PUT', `/v2.0/networks/${ext.id}/tags/seen`, undefined, bob)).status).toBe(201);
    expect((await api('GET', `/v2.0/networks/${ext.id}/tags`, undefined, admin)).body.tags).toEqual(['seen']);
  });

  it("a subnet's tags are a revision of the subnet only, not of its network", async () => {
    const net = res[0];
    const sub = res[1];
    const before = await show(net.path, net.singular, net.id);
    const subBefore = await show(sub.path, sub.singular, sub.id);
    expect((await api('PUT', `/v2.0/subnets/${sub.id}/tags/s`)).status).toBe(201);
    expect((await show(sub.path, sub.singular, sub.id)).revision_number).toBe(subBefore.revision_number + 1);
    expect((await show(net.path, net.singular, net.id)).revision_number).toBe(before.revision_number);
    expect((await api('DELETE', `/v2.0/subnets/${sub.id}/tags`)).status).toBe(204);
  });

  it('ports take tags on POST, one or in bulk (tag-ports-during-bulk-creation), shown sorted', async () => {
    const one = await api('POST', '/v2.0/ports', { port: { network_id: res[0].id, tags: ['p2', 'p1'] } });
    expect({ status: one.status, tags: one.body.port.tags }).toEqual({ status: 201, tags: ['p1', 'p2'] });
    const bulk = await api('POST', '/v2.0/ports', { ports: [{ network_id: res[0].id, tags: ['pb'] }, { network_id: res[0].id, tags: ['pb', 'pa'] }] });
    expect({ status: bulk.status, tags: bulk.body.ports.map((p: { tags: string[] }) => p.tags) }).toEqual({ status: 201, tags: [['pb'], ['pa', 'pb']] });
    const listed = (await api('GET', '/v2.0/ports?tags=pb')).body.ports.map((p: { id: string }) => p.id).sort();
    expect(listed).toEqual(bulk.body.ports.map((p: { id: string }) => p.id).sort());
    expect((await api('GET', `/v2.0/ports/${one.body.port.id}/tags`)).body.tags).toEqual(['p1', 'p2']);
    const exts = (await api('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    expect(exts).toContain('tag-ports-during-bulk-creation');
  });

  it('the tag filters are no sort keys', async () => {
    await refused('GET', '/v2.0/networks?sort_key=tags&sort_dir=asc', undefined, { status: 400, type: 'HTTPBadRequest', message: "['tags'] is invalid attribute for sort_keys" });
    await refused('GET', '/v2.0/networks?sort_key=foo&sort_key=tags-any&sort_dir=asc&sort_dir=asc', undefined, {
      status: 400, type: 'HTTPBadRequest', message: "['foo', 'tags-any'] is invalid attribute for sort_keys",
    });
  });

  it('tags are refused on POST (but for ports) and on PUT of the resources', async () => {
    await refused('POST', '/v2.0/networks', { network: { name: 'x', tags: ['a'] } }, { status: 400, type: 'HTTPBadRequest', message: "Attribute 'tags' not allowed in POST" });
    await refused('POST', '/v2.0/routers', { router: { name: 'x', tags: ['a'] } }, { status: 400, type: 'HTTPBadRequest', message: "Attribute 'tags' not allowed in POST" });
    await refused('POST', '/v2.0/security-groups', { security_group: { name: 'x', tags: ['a'] } }, { status: 400, type: 'HTTPBadRequest', message: "Attribute 'tags' not allowed in POST" });
    const port = res[2];
    await refused('PUT', `/v2.0/ports/${port.id}`, { port: { tags: ['q'] } }, { status: 400, type: 'HTTPBadRequest', message: 'Cannot update read-only attribute tags' });
    await refused('POST', '/v2.0/ports', { port: { network_id: res[0].id, tags: ['a', 'a'] } }, {
      status: 400, type: 'HTTPBadRequest', message: "Invalid input for tags. Reason: Duplicate items in the list: 'a'.",
    });
    await refused('PUT', `/v2.0/networks/${res[0].id}`, { network: { tags: ['a'] } }, { status: 400, type: 'HTTPBadRequest', message: 'Cannot update read-only attribute tags' });
  });

  it('filters tags (all of), tags-any, not-tags (not all of), not-tags-any (none of), repeated or comma-separated, as Zed', async () => {
    const carol = member('tag-carol');
    const ids: Record<string, string> = {};
    for (const [name, tags] of [['a', ['red', 'blue']], ['b', ['red']], ['c', ['blue', 'green']], ['d', []], ['e', ['a,b']]] as const) {
      ids[name] = (await api('POST', '/v2.0/networks', { network: { name } }, carol)).body.network.id;
      if (tags.length) expect((await api('PUT', `/v2.0/networks/${ids[name]}/tags`, { tags }, carol)).status).toBe(200);
    }
    /** carol's own networks (she also sees the shared and external ones of the tests above) */
    const names = async (query: string) => {
      const a = await api('GET', `/v2.0/networks?tenant_id=tag-carol&${query}`, undefined, carol);
      expect(a.status).toBe(200);
      return a.body.networks.map((n: { name: string }) => n.name).sort();
    };
    const cases: Array<[string, string[]]> = [
      ['tags=red', ['a', 'b']],
      ['tags=red,blue', ['a']],
      ['tags=red&tags=blue', ['a']],
      ['tags-any=red,green', ['a', 'b', 'c']],
      ['tags-any=red&tags-any=green', ['a', 'b', 'c']],
      ['not-tags=red,blue', ['b', 'c', 'd', 'e']],
      ['not-tags=red', ['c', 'd', 'e']],
      ['not-tags=red&not-tags=blue', ['b', 'c', 'd', 'e']],
      ['not-tags-any=red,green', ['d', 'e']],
      ['not-tags-any=red&not-tags-any=green', ['d', 'e']],
      ['tags=red&not-tags=blue', ['b']],
      ['tags=', []],
      ['tags-any=', []],
      ['not-tags=', ['a', 'b', 'c', 'd', 'e']],
      ['not-tags-any=', ['a', 'b', 'c', 'd', 'e']],
      ['tags=red,', []],
      ['tags=a%2Cb', []],
      ['tags=nope', []],
      ['not-tags-any=nope', ['a', 'b', 'c', 'd', 'e']],
      ['tags-any=blue&limit=1&sort_key=name&sort_dir=desc', ['c']],
      ['tags-any=blue&limit=5', ['a', 'c']],
    ];
    for (const [query, expected] of cases) expect([query, await names(query)]).toEqual([query, expected]);
    const fields = (await api('GET', '/v2.0/networks?tenant_id=tag-carol&fields=name&fields=tags&tags-any=blue', undefined, carol)).body.networks;
    expect(fields.sort((x: { name: string }, y: { name: string }) => x.name.localeCompare(y.name))).toEqual([{ name: 'a', tags: ['blue', 'red'] }, { name: 'c', tags: ['blue', 'green'] }]);
  });

  it('announces standard-attr-tag', async () => {
    const ext = (await api('GET', '/v2.0/extensions')).body.extensions;
    expect(ext.find((e: { alias: string }) => e.alias === 'standard-attr-tag')).toMatchObject({ description: 'Enables to set tag on resources with standard attribute.' });
    expect((await api('GET', '/v2.0/extensions/standard-attr-tag')).status).toBe(200);
  });

  itWithCli('works with the openstack CLI: set --tag, unset --tag, --no-tag, list --tags/--any-tags/--not-tags/--not-any-tags', async () => {
    const os = (...args: string[]) => openstack(fx.suite.apiUrl, ...args);
    const json = async (...args: string[]) => JSON.parse(await os(...args, '-f', 'json'));
    // the CLI creates, then PUTs the tags
    expect((await json('network', 'create', '--tag', 'cli-a', 'cli-n1')).tags).toEqual(['cli-a']);
    await os('network', 'create', 'cli-n2');
    await os('network', 'set', '--tag', 'cli-red', '--tag', 'cli-blue', 'cli-n1');
    await os('network', 'set', '--tag', 'cli-red', 'cli-n2');
    expect((await json('network', 'show', 'cli-n1')).tags).toEqual(['cli-a', 'cli-blue', 'cli-red']);
    const listed = async (...filter: string[]) => (await json('network', 'list', ...filter)).map((n: { Name: string }) => n.Name).sort();
    expect(await listed('--tags', 'cli-red,cli-blue')).toEqual(['cli-n1']);
    expect(await listed('--any-tags', 'cli-blue,cli-red')).toEqual(['cli-n1', 'cli-n2']);
    expect(await listed('--not-tags', 'cli-red,cli-blue')).toEqual(expect.arrayContaining(['cli-n2']));
    expect(await listed('--not-tags', 'cli-red,cli-blue')).not.toContain('cli-n1');
    expect(await listed('--not-any-tags', 'cli-red')).not.toContain('cli-n1');
    await os('network', 'unset', '--tag', 'cli-red', 'cli-n1');
    expect((await json('network', 'show', 'cli-n1')).tags).toEqual(['cli-a', 'cli-blue']);
    await os('network', 'set', '--no-tag', 'cli-n1');
    expect((await json('network', 'show', 'cli-n1')).tags).toEqual([]);
    expect((await json('port', 'create', '--network', 'cli-n2', '--tag', 'cli-p', 'cli-port')).tags).toEqual(['cli-p']);
    await os('port', 'set', '--tag', 'cli-q', 'cli-port');
    expect((await json('port', 'list', '--tags', 'cli-q')).map((p: { Name: string }) => p.Name)).toEqual(['cli-port']);
    await os('security', 'group', 'create', 'cli-group');
    await os('security', 'group', 'set', '--tag', 'cli-sg', 'cli-group');
    expect((await json('security', 'group', 'list', '--tags', 'cli-sg')).map((g: { Name: string }) => g.Name)).toEqual(['cli-group']);
    await os('router', 'create', '--tag', 'cli-r', 'cli-router');
    expect((await json('router', 'list', '--tags', 'cli-r')).map((r: { Name: string }) => r.Name)).toEqual(['cli-router']);
  });
});
