import { NeutronError } from '@neutrino/domain';
import { listPage } from './list-page';
import { matchesFilters, parseListQuery } from './list-query';

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
