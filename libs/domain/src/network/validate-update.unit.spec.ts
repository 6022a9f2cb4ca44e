import zed from '../__fixtures__/zed-network.json';
import { ACTORS, ZedFile, actorOf, isError, thrown, toNetwork, zedError } from '../__fixtures__/zed';
import { defaultDomainConfig } from '../config';
import { validateNetworkUpdate } from './validate-update';

const file = zed as unknown as ZedFile;
const cfg = defaultDomainConfig;
const updates = Object.entries(file.cases).filter(([, c]) => c.request.method === 'PUT');
/** The shared network has a port of another project (dom-fx-p2port). */
const ctxFor = (name: string) => ({ otherProjectsHavePorts: name === 'update-unshare-in-use' });

describe('validateNetworkUpdate against Zed', () => {
  it.each(updates.filter(([, c]) => isError(c)))('%s → Zed error', (name, c) => {
    const current = toNetwork(c.before!);
    expect(thrown(() => validateNetworkUpdate(c.request.body, current, actorOf(c), ctxFor(name), cfg))).toEqual(zedError(c));
  });

  it('update-ok → the changed attributes Zed shows', () => {
    const c = file.cases['update-ok'];
    const changes = validateNetworkUpdate(c.request.body, toNetwork(c.before!), actorOf(c), ctxFor('update-ok'), cfg);
    const z = c.response.body.network;
    expect(changes).toEqual({
      name: z.name, admin_state_up: z.admin_state_up, port_security_enabled: z.port_security_enabled, mtu: z.mtu,
      description: z.description,
    });
  });
});

describe('network updates', () => {
  const net1 = toNetwork(file.setup.net1);
  const vlan = toNetwork(file.setup.vlan);
  const ctx = { otherProjectsHavePorts: false };

  it('only changed attributes are returned', () => {
    expect(validateNetworkUpdate({ network: { name: net1.name, admin_state_up: 'false' } }, net1, ACTORS.p1, ctx, cfg)).toEqual({
      admin_state_up: false,
    });
  });
  it("an admin may move a VLAN network to another VLAN id (the caller reserves it)", () => {
    expect(validateNetworkUpdate({ network: { 'provider:segmentation_id': 190 } }, vlan, ACTORS.adm, ctx, cfg)).toEqual({
      'provider:segmentation_id': 190,
    });
  });
  it('repeating the provider type is not a change', () => {
    expect(validateNetworkUpdate({ network: { 'provider:network_type': 'vlan' } }, vlan, ACTORS.adm, ctx, cfg)).toEqual({});
  });
  it('unsharing is fine when no other project uses the network', () => {
    const shared = toNetwork(file.setup.shared);
    expect(validateNetworkUpdate({ network: { shared: false } }, shared, ACTORS.adm, ctx, cfg)).toEqual({ shared: false });
  });
  it('mtu 0 means the largest the type allows', () => {
    expect(validateNetworkUpdate({ network: { mtu: 0 } }, { ...net1, mtu: 1400 }, ACTORS.p1, ctx, cfg)).toEqual({ mtu: 1450 });
  });
});
