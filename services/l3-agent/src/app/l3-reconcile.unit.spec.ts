import { MemoryDriver, hostState, reconcile } from '@neutrino/dataplane';
import { FIP, HOST, ROUTER, ev, fipUpdated, floatingIp, routerLog, scheduled } from '../__fixtures__/l3-log';
import { l3Desired, routerPlans, type L3DesiredSettings } from '../desired/l3-desired';
import { L3View } from '../view/l3-view';
import { fipStatusReports } from './fip-status';
import { l3Ownership } from './l3-ownership';
import { fipTransitions, servedFloatingIps } from './served-fips';

const cfg: L3DesiredSettings = { netnsPrefix: 'p-', enableMetadataProxy: true, haConfsDir: '/tmp/ha', keepalivedBin: 'keepalived', ipsecDir: '/var/lib/neutron/ipsec', starterBin: '/usr/lib/ipsec/starter' };
const scope = { ownership: l3Ownership('p-') };
const log = () => [...routerLog(), floatingIp()];
const viewOf = (events = log()) => {
  const v = new L3View(HOST);
  for (const e of events) v.apply(e);
  return v;
};
const QR = `p-qrouter-${ROUTER}`;

/** The host the l2-agent and others share: the l2-agent's chains and bridge, an instance's tap. */
const sharedHost = () =>
  hostState({
    links: [
      { name: 'brq34265955-56', kind: 'bridge', up: true },
      { name: 'tapa1b2c3d4-e5', kind: 'external', up: true, master: 'brq34265955-56' },
    ],
    iptables: [{ family: 'ipv4', table: 'filter', chains: [{ name: 'FORWARD', rules: ['-j neutron-filter-top'] }, { name: 'neutron-filter-top', rules: ['-j neutron-linuxbri-local'] }, { name: 'neutron-linuxbri-local', rules: [] }] }],
  });

describe('l3-agent reconcile on the memory driver', () => {
  it('applies a router from scratch; a second reconcile and a restart (fresh view from the log) find zero changes', async () => {
    const driver = new MemoryDriver(sharedHost());
    const first = await reconcile(driver, l3Desired(viewOf(), cfg), scope, { verify: true });
    expect(first.applied.errors).toEqual([]);
    expect(first.remaining).toEqual([]);
    expect((await reconcile(driver, l3Desired(viewOf(), cfg), scope)).changes).toEqual([]);
  });

  it('event by event gives the same desired state as one replay', () => {
    const events = log();
    const v = new L3View(HOST);
    const relevant = events.map((e) => v.apply(e));
    expect(l3Desired(v, cfg)).toEqual(l3Desired(viewOf(events), cfg));
    // the network/subnet events come before any router port: nothing to do yet; the scheduling and the fip are
    expect(relevant).toEqual([false, false, false, false, false, false, false, true, true]);
  });

  it('a status-only fact (the ACTIVE we report) is not relevant', () => {
    const v = viewOf();
    expect(v.apply(fipUpdated({ status: 'ACTIVE' }))).toBe(false);
    expect(v.apply(fipUpdated({ fixed_ip_address: '10.30.0.9' }))).toBe(true);
  });

  it('never touches what is not its own: the l2-agent\'s chains, bridges and taps stay when the router goes', async () => {
    const driver = new MemoryDriver(sharedHost());
    await reconcile(driver, l3Desired(viewOf(), cfg), scope);
    const gone = await reconcile(driver, l3Desired(viewOf([...log(), ev('router.deleted', 'router', ROUTER, { router_id: ROUTER })]), cfg), scope, { verify: true });
    expect(gone.changes.map((c) => c.kind)).toEqual(['netns.del']);
    expect(gone.remaining).toEqual([]);
    const k = driver.kernel;
    expect([...k.links.keys()].sort()).toEqual(['/brq34265955-56', '/tapa1b2c3d4-e5']);
    expect(k.namespaces.has(QR)).toBe(false);
    expect((await driver.observe({ ownership: { netnsPrefixes: [], linkPrefixes: [], chainPrefixes: ['neutron-'], ipsetPrefixes: [] } })).iptables[0].chains.map((c) => c.name)).toContain('neutron-linuxbri-local');
  });

  it('floating IP transitions: announce new and moved, forget removed and moved; status ACTIVE then DOWN', async () => {
    const plans = (events = log()) => routerPlans(viewOf(events), cfg);
    const before = servedFloatingIps(plans());
    expect(fipTransitions(new Map(), before).announce.map((f) => f.floatingIp)).toEqual(['10.50.0.101']);
    const moved = servedFloatingIps(plans([...log(), fipUpdated({ port_id: 'x', fixed_ip_address: '10.30.0.4' })]));
    const t = fipTransitions(before, moved);
    expect(t.announce).toEqual([expect.objectContaining({ fixedIp: '10.30.0.4', netns: QR, dev: 'qg-df73484e-8b' })]);
    expect(t.forget).toEqual([expect.objectContaining({ fixedIp: '10.30.0.3' })]);
    const ok = { changes: [], unresolved: [], applied: { applied: 1, failed: 0, errors: [], durationMs: 0 } };
    expect(fipStatusReports(viewOf(), before, new Map(), ok)).toEqual([{ aggregate: { type: 'floatingip', id: FIP }, type: 'floatingip.updated', data: { changes: { status: 'ACTIVE' } } }]);
    const off = viewOf([...log(), fipUpdated({ status: 'ACTIVE' }), fipUpdated({ port_id: null, fixed_ip_address: null })]);
    expect(fipStatusReports(off, servedFloatingIps(routerPlans(off, cfg)), before, ok)).toEqual([{ aggregate: { type: 'floatingip', id: FIP }, type: 'floatingip.updated', data: { changes: { status: 'DOWN' } } }]);
    // another host's l3-agent says nothing about it
    const elsewhere = viewOf([...log(), scheduled(ROUTER, ['network2'])]);
    expect(fipStatusReports(elsewhere, servedFloatingIps(routerPlans(elsewhere, cfg)), new Map(), ok)).toEqual([]);
  });
});
