import { MemoryDriver } from '../driver/memory/memory-driver';
import { hostState } from '../model/state';
import { reconcile } from '../reconcile';
import type { Scope } from '../driver/driver';
import { diff } from './diff';

/** What keepalived holds in a namespace we own: addresses on our links and routes through them. */
describe('state another program manages (foreignAddresses, external routes)', () => {
  const scope: Scope = { ownership: { netnsPrefixes: ['qrouter-'], linkPrefixes: ['ha-'], chainPrefixes: [], ipsetPrefixes: [] } };
  const desired = hostState({
    namespaces: [{ name: 'qrouter-r1' }],
    links: [
      { netns: 'qrouter-r1', name: 'ha-1', kind: 'veth', peer: { name: 'ha-2', netns: 'qrouter-r1' }, addresses: ['169.254.192.1/18'], foreignAddresses: ['169.254.0.1/24'] },
      { netns: 'qrouter-r1', name: 'ha-2', kind: 'veth', peer: { name: 'ha-1', netns: 'qrouter-r1' } },
    ],
    routes: [{ netns: 'qrouter-r1', dst: '0.0.0.0/0', via: '169.254.192.9', dev: 'ha-1', external: true }],
  });

  it('neither removes nor adds them, but still removes other stray addresses and routes', async () => {
    const driver = new MemoryDriver();
    await reconcile(driver, desired, scope);
    // keepalived becomes master: the VIP and its default route appear, plus something that is not its own
    const k = driver.kernel;
    const ha = k.links.get('qrouter-r1/ha-1')!;
    ha.addresses = [...ha.addresses!, '169.254.0.1/24', '10.9.9.9/24'];
    k.putRoute({ netns: 'qrouter-r1', dst: '0.0.0.0/0', via: '169.254.192.9', dev: 'ha-1', protocol: 'boot' });
    k.putRoute({ netns: 'qrouter-r1', dst: '10.8.0.0/16', via: '169.254.192.9', dev: 'ha-1', protocol: 'boot' });
    const changes = diff(desired, await driver.observe(scope));
    expect(changes).toEqual([
      { kind: 'addr.del', netns: 'qrouter-r1', dev: 'ha-1', cidr: '10.9.9.9/24' },
      expect.objectContaining({ kind: 'route.del', route: expect.objectContaining({ dst: '10.8.0.0/16' }) }),
    ]);
  });

  it('does not create a missing external route', async () => {
    const driver = new MemoryDriver();
    await reconcile(driver, desired, scope);
    expect(diff(desired, await driver.observe(scope))).toEqual([]);
    expect([...driver.kernel.routes.values()]).toEqual([]);
  });
});
