import { SuiteFixture, member } from '@neutrino/testing-suite';

const alice = member('paging-alice');
const bob = member('paging-bob');
const COUNT = 620; // above the length from which lists are streamed in slices

/** Pages from the sorted index and long lists streamed in slices give Neutron's answers. */
describe('paging and long lists', () => {
  let fx: SuiteFixture;
  let mine: string[];
  let bobs: string;
  beforeAll(async () => {
    // 620 networks in one project: above Neutron's default network quota (100), so unlimited here.
    fx = await SuiteFixture.start({ env: { NEUTRINO_QUOTA_NETWORK: '-1' } });
    mine = [];
    for (let i = 0; i < COUNT; i += 100) {
      const made = await fx.api('POST', '/v2.0/networks', { networks: Array.from({ length: Math.min(100, COUNT - i) }, (_, j) => ({ name: `pg-${i + j}` })) }, alice);
      expect(made.status).toBe(201);
      mine.push(...made.body.networks.map((n: { id: string }) => n.id));
    }
    bobs = (await fx.api('POST', '/v2.0/networks', { network: { name: 'pg-bob' } }, bob)).body.network.id;
    mine.sort();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  const ids = (body: any) => body.networks.map((n: { id: string }) => n.id);
  const link = (body: any, rel: string) => body.networks_links?.find((l: { rel: string }) => l.rel === rel)?.href as string | undefined;
  const path = (href: string) => href.slice(href.indexOf('/v2.0'));

  it('answers a full list of many networks as one JSON document with every visible network once', async () => {
    const all = await fx.api('GET', '/v2.0/networks', undefined, alice);
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toMatch(/^application\/json/);
    expect(all.headers.get('x-openstack-request-id')).toMatch(/^req-/);
    expect(all.headers.get('transfer-encoding')).toBe('chunked'); // the streamed path is the one under test
    expect([...ids(all.body)].sort()).toEqual(mine);
    expect(all.body.networks[0]).toMatchObject({ project_id: 'paging-alice', status: 'ACTIVE', subnets: [] });
    expect(all.body.networks_links).toBeUndefined();
    const some = await fx.api('GET', '/v2.0/networks?fields=id&sort_key=name&sort_dir=desc', undefined, alice);
    expect(some.body.networks.every((n: object) => Object.keys(n).join() === 'id')).toBe(true);
    expect(some.body.networks).toHaveLength(COUNT);
  });

  it('walks forward by next links and back by previous links, in id order, with no network twice or missed', async () => {
    let page = (await fx.api('GET', '/v2.0/networks?limit=100', undefined, alice)).body;
    const forward = [...ids(page)];
    while (link(page, 'next')) {
      page = (await fx.api('GET', path(link(page, 'next')!), undefined, alice)).body;
      forward.push(...ids(page));
    }
    expect(forward).toEqual(mine);
    const back: string[] = [...ids(page)];
    while (link(page, 'previous')) {
      page = (await fx.api('GET', path(link(page, 'previous')!), undefined, alice)).body;
      back.unshift(...ids(page));
    }
    expect(back).toEqual(mine);
    expect(link(page, 'next')).toContain(`marker=${mine[ids(page).length - 1]}`);
  });

  it('pages in descending id order and from a marker in the middle, as the full sort does', async () => {
    const desc = await fx.api('GET', `/v2.0/networks?limit=7&sort_key=id&sort_dir=desc&marker=${mine[300]}`, undefined, alice);
    expect(ids(desc.body)).toEqual(mine.slice(293, 300).reverse());
    const reverse = await fx.api('GET', `/v2.0/networks?limit=7&marker=${mine[300]}&page_reverse=True`, undefined, alice);
    expect(ids(reverse.body)).toEqual(mine.slice(293, 300));
    const admin = await fx.api('GET', `/v2.0/networks?limit=3&marker=${bobs}`);
    expect(ids(admin.body)).toHaveLength(3);
  });

  it("answers another project's network as a marker with NetworkNotFound", async () => {
    const res = await fx.api('GET', `/v2.0/networks?limit=5&marker=${bobs}`, undefined, alice);
    expect(res.status).toBe(404);
    expect(res.body.NeutronError).toMatchObject({ type: 'NetworkNotFound', message: `Network ${bobs} could not be found.` });
  });
});
