import zed from '../__fixtures__/zed-body.json';
import { ZedCase, ZedFile, actorOf, isError, thrown, toNetwork, zedError } from '../__fixtures__/zed';
import { defaultDomainConfig } from '../config';
import { validateNetworkCreate } from '../network/validate-create';
import { validateNetworkUpdate } from '../network/validate-update';
import { isBulkBody, splitBulkBody } from './body';

const file = zed as unknown as ZedFile;
const cfg = defaultDomainConfig;

/** What the gateway does with a POST /v2.0/networks body: bulk → split, then validate each item. */
function create(c: ZedCase) {
  const body = c.request.body;
  const items = isBulkBody(body, 'networks') ? splitBulkBody(body, 'network', 'networks') : [body];
  return items.map((item) => validateNetworkCreate(item, actorOf(c), cfg));
}

describe('request envelopes and attribute checks, against Zed', () => {
  const cases = Object.entries(file.cases);

  it.each(cases.filter(([, c]) => c.request.method === 'POST' && isError(c)))('POST %s → Zed error', (_name, c) => {
    expect(thrown(() => create(c))).toEqual(zedError(c));
  });

  it.each(cases.filter(([, c]) => c.request.method === 'POST' && !isError(c)))('POST %s → accepted', (_name, c) => {
    const plans = create(c);
    const created = Array.isArray(c.response.body.networks) ? c.response.body.networks : [c.response.body.network];
    expect(plans.map((p) => [p.attrs.name, p.attrs.tenant_id, p.attrs.admin_state_up])).toEqual(
      created.map((n: any) => [n.name, n.tenant_id, n.admin_state_up]),
    );
  });

  it.each(cases.filter(([, c]) => c.request.method === 'PUT'))('PUT %s → Zed error', (_name, c) => {
    const current = toNetwork(file.setup.netU);
    expect(thrown(() => validateNetworkUpdate(c.request.body, current, actorOf(c), { otherProjectsHavePorts: false }))).toEqual(
      zedError(c),
    );
  });
});

describe('splitBulkBody', () => {
  it('wraps bare items and keeps wrapped ones', () => {
    expect(splitBulkBody({ networks: [{ name: 'a' }, { network: { name: 'b' } }] }, 'network', 'networks')).toEqual([
      { network: { name: 'a' } },
      { network: { name: 'b' } },
    ]);
  });
});
