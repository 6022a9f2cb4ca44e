import { NO_USAGE } from '../port/address-usage';
import { ACTORS, thrown } from '../__fixtures__/zed';
import { defaultDomainConfig } from '../config';
import { validateNetworkCreate } from '../network/validate-create';
import { validateNetworkUpdate } from '../network/validate-update';
import { validatePortCreate } from '../port/validate-create';
import { isBulkBody, unwrapSingular } from './body';

const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
const unknownAttr = (key: string) => ({ status: 400, type: 'HTTPBadRequest', message: `Unrecognized attribute(s) '${key}'` });

// Zed answers each of these as any other unknown attribute (recorded on neutron-server 21.0.0).
describe("attribute names that are Object.prototype's", () => {
  it.each(KEYS)('%s in a network create is an unknown attribute', (key) => {
    const body = JSON.parse(`{"network": {"name": "n", "${key}": 1}}`);
    expect(thrown(() => validateNetworkCreate(body, ACTORS.p1, defaultDomainConfig))).toEqual(unknownAttr(key));
  });

  it.each(KEYS)('%s in a port create is an unknown attribute', (key) => {
    const body = JSON.parse(`{"port": {"network_id": "6b1e2f4a-0000-4000-8000-000000000000", "${key}": {}}}`);
    const ctx = { network: undefined, subnets: [], usage: NO_USAGE };
    expect(thrown(() => validatePortCreate(body, ACTORS.p1, ctx, defaultDomainConfig))).toEqual(unknownAttr(key));
  });

  it('the envelope looks at own keys only', () => {
    expect(() => unwrapSingular(JSON.parse('{"constructor": {}}'), 'constructor')).not.toThrow();
    expect(() => unwrapSingular({}, 'constructor')).toThrow("Unable to find 'constructor' in request body");
    expect(isBulkBody({}, 'constructor')).toBe(false);
  });
});

describe('the update pipeline', () => {
  it('refuses toString like any other unknown key', () => {
    const current = { id: 'n1', tenant_id: ACTORS.p1.project_id, project_id: ACTORS.p1.project_id } as never;
    expect(thrown(() => validateNetworkUpdate({ network: JSON.parse('{"toString": "x"}') }, current, ACTORS.p1, { otherProjectsHavePorts: false }, defaultDomainConfig))).toEqual(unknownAttr('toString'));
  });
});
