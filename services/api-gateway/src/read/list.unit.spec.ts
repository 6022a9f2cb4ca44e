import { NeutronError } from '@neutrino/domain';
import { indexedPage, listPage, pagedById, pageLinks } from './list-page';
import { matchesFilters, parseListQuery } from './list-query';
import { SortedIds } from './sorted-ids';

const FILTERABLE = new Set(['id', 'name', 'admin_state_up', 'fixed_ips', 'mtu', 'tags']);
const notFound = (id: string) => new NeutronError(404, 'NetworkNotFound', `Network ${id} could not be found.`);
const items = ['c', 'a', 'd', 'b'].map((id, i) => ({ id, name: `n${i % 2}`, admin_state_up: i !== 2, mtu: 1450 }));

describe('list parameters', () => {
  it('ORs repeated filter values and ANDs different attributes', () => {
    const q = parseListQuery({ name: ['n0', 'n1'], admin_state_up: 'True' }, FILTERABLE);
    expect(items.filter((i) => matchesFilters(i, q.filters)).map((i) => i.id)).toEqual(['c', 'a', 'b']);
  });

  it('matches fixed_ips by ip_address= or subnet_id=, and numbers by text', () => {
    const port = { fixed_ips: [{ subnet_id: 's1', ip_address: '10.0.0.3' }], mtu: 1450 };
    expect(matchesFilters(port, new Map([['fixed_ips', ['ip_address=10.0.0.3']]]))).toBe(true);
    expect(matchesFilters(port, new Map([['fixed_ips', ['subnet_id=s2']]]))).toBe(false);
    expect(matchesFilters(port, new Map([['mtu', ['1450']]]))).toBe(true);
  });

  it('refuses unknown filters, bad booleans, limits and sort directions as Neutron does', () => {
    expect(() => parseListQuery({ foo: 'x' }, FILTERABLE)).toThrow("['foo'] is invalid attribute for filtering");
    expect(() => matchesFilters({ admin_state_up: true }, parseListQuery({ admin_state_up: 'xyz' }, FILTERABLE).filters)).toThrow(
      "'xyz' cannot be converted to boolean",
    );
    expect(() => parseListQuery({ limit: 'abc' }, FILTERABLE)).toThrow("Limit must be an integer 0 or greater and not 'abc'");
    expect(() => parseListQuery({ sort_key: ['name', 'id'], sort_dir: 'asc' }, FILTERABLE)).toThrow('The number of sort_keys and sort_dirs must be same');
  });

  it('applies the tag filters with their set semantics, not as equality (Zed: all of, any of, not all of, none of)', () => {
    const tagged = [{ id: 'a', tags: ['red', 'blue'] }, { id: 'b', tags: ['red'] }, { id: 'c', tags: [] }];
    const F = new Set([...FILTERABLE, 'tags-any', 'not-tags', 'not-tags-any']);
    const ids = (query: Record<string, string | string[]>) => tagged.filter((i) => matchesFilters(i, parseListQuery(query, F).filters)).map((i) => i.id);
    expect(ids({ tags: 'red,blue' })).toEqual(['a']);
    expect(ids({ tags: ['red', 'blue'] })).toEqual(['a']);
    expect(ids({ 'tags-any': 'blue,red' })).toEqual(['a', 'b']);
    expect(ids({ 'not-tags': 'red,blue' })).toEqual(['b', 'c']);
    expect(ids({ 'not-tags-any': 'blue' })).toEqual(['b', 'c']);
    expect(ids({ tags: 'red', 'not-tags': 'blue' })).toEqual(['b']);
  });

  it('refuses unknown sort keys and the tag filters as sort keys, all named, as Zed', () => {
    expect(() => parseListQuery({ sort_key: ['foo', 'tags'], sort_dir: ['asc', 'asc'] }, FILTERABLE)).toThrow("['foo', 'tags'] is invalid attribute for sort_keys");
  });
});

describe('listPage', () => {
  const opts = { collection: 'networks', notFound, selfUrl: 'http://x/v2.0/networks', rawQuery: 'limit=2' };

  it('sorts, pages by marker and links the next and previous pages', () => {
    const first = listPage(items, parseListQuery({ limit: '2' }, FILTERABLE), opts);
    expect(first.items.map((i) => i.id)).toEqual(['a', 'b']);
    expect(first.links).toEqual([
      { rel: 'next', href: 'http://x/v2.0/networks?limit=2&marker=b' },
      { rel: 'previous', href: 'http://x/v2.0/networks?limit=2&marker=a&page_reverse=True' },
    ]);
    const second = listPage(items, parseListQuery({ limit: '2', marker: 'b' }, FILTERABLE), opts);
    expect(second.items.map((i) => i.id)).toEqual(['c', 'd']);
    expect(second.links?.map((l) => l.rel)).toEqual(['previous']);
  });

  it('sorts by several keys and selects fields', () => {
    const page = listPage(items, parseListQuery({ sort_key: ['name', 'id'], sort_dir: ['desc', 'asc'], fields: ['id'] }, FILTERABLE), opts);
    expect(page.items).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }]);
    expect(page.links).toBeNull();
  });

  it('answers a marker that does not exist with the kind\'s 404', () => {
    expect(() => listPage(items, parseListQuery({ limit: '1', marker: 'zz' }, FILTERABLE), opts)).toThrow('Network zz could not be found.');
  });
});

describe('indexedPage (pages from the sorted ids)', () => {
  const opts = { collection: 'networks', notFound, selfUrl: 'http://x/v2.0/networks', rawQuery: 'limit=3' };
  // A fixed pseudo-random table: ids in random order, a third of it hidden by `keep`.
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const table = new Map<string, { id: string; name: string; hidden: boolean }>();
  const ids = new SortedIds();
  for (let i = 0; i < 60; i++) {
    const id = Math.floor(rand() * 1e9).toString(36);
    table.set(id, { id, name: `n${i % 3}`, hidden: rand() < 0.3 });
    ids.add(id);
  }
  const gone = [...table.keys()].slice(10, 15);
  for (const id of gone) {
    table.delete(id);
    ids.delete(id);
  }
  const keep = (v: { hidden: boolean }) => !v.hidden;
  const shown = [...table.values()].filter(keep);

  it('keeps the ids sorted through inserts and deletes', () => {
    const all = Array.from({ length: ids.size }, (_, i) => ids.at(i));
    expect(all).toEqual([...table.keys()].sort());
    expect(ids.indexOf(gone[0])).toBe(-1);
  });

  it.each([
    ['asc', false], ['asc', true], ['desc', false], ['desc', true],
  ] as const)('answers as the full sort does (sort_dir=%s, page_reverse=%s), from every marker', (dir, reverse) => {
    const markers: Array<string | undefined> = [undefined, ...shown.map((v) => v.id)];
    for (const marker of markers) {
      const query = { limit: '3', sort_key: 'id', sort_dir: dir, ...(marker ? { marker } : {}), ...(reverse ? { page_reverse: 'True' } : {}) };
      const q = parseListQuery(query, FILTERABLE) as ReturnType<typeof parseListQuery> & { limit: number };
      const expected = listPage(shown, q, opts);
      const page = indexedPage(ids, (id) => table.get(id), keep, q, pagedById(q)!, notFound);
      expect(page.rows.map((r) => r.id)).toEqual(expected.items.map((i) => i.id));
      expect(pageLinks(page.rows.map((r) => r.id), page.more, q, opts)).toEqual(expected.links);
    }
  });

  it('refuses a marker that is hidden or gone with the kind\'s 404, and leaves other sort keys to the full sort', () => {
    const hidden = [...table.values()].find((v) => v.hidden)!.id;
    const q = parseListQuery({ limit: '2', marker: hidden }, FILTERABLE) as ReturnType<typeof parseListQuery> & { limit: number };
    expect(() => indexedPage(ids, (id) => table.get(id), keep, q, 'asc', notFound)).toThrow(`Network ${hidden} could not be found.`);
    expect(() => indexedPage(ids, (id) => table.get(id), keep, { ...q, marker: gone[0] }, 'asc', notFound)).toThrow('could not be found');
    expect(pagedById(parseListQuery({ limit: '2', sort_key: 'name', sort_dir: 'asc' }, FILTERABLE))).toBeNull();
    expect(pagedById(parseListQuery({ sort_key: 'id', sort_dir: 'asc' }, FILTERABLE))).toBeNull();
    expect(pagedById(parseListQuery({ limit: '2', sort_key: ['id', 'name'], sort_dir: ['desc', 'asc'] }, FILTERABLE))).toBe('desc');
  });
});
