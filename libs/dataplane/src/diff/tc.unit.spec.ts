import { diff } from './diff';
import { hostState } from '../model/state';
import { MemoryDriver } from '../driver/memory/memory-driver';
import { NEUTRON_OWNERSHIP } from '../model/ownership';
import { parseTcJson } from '../parse/tc-json';
import { tcBatchLines } from '../render/tc-batch';
import { planLinux } from '../driver/linux/plan';
import type { DeviceTc, HostState } from '../model/types';

const tap = 'tap11111111-11';
const ifb = 'qfb11111111-11';
const tbf = { rate: 128000, burst: 102400, latencyMs: 50 };
const limited: DeviceTc[] = [
  { dev: tap, root: { rate: 256000, burst: 1024, latencyMs: 50 }, redirectIngressTo: ifb },
  { dev: ifb, root: tbf, redirectIngressTo: null },
];
const links: HostState['links'] = [
  { name: tap, kind: 'external' },
  { name: ifb, kind: 'ifb' },
];

describe('traffic control (QoS)', () => {
  it('renders a root tbf and an ingress redirect to an ifb; removes what the desired state no longer has', () => {
    const [ifbSet, tapSet] = diff(hostState({ links, tc: limited }), hostState({ links })).filter((c) => c.kind === 'tc.set');
    expect(ifbSet.kind === 'tc.set' && tcBatchLines(ifbSet)).toEqual([`qdisc replace dev ${ifb} root tbf rate 128000bps burst 102400b latency 50ms`]);
    expect(tapSet.kind === 'tc.set' && tcBatchLines(tapSet)).toEqual([
      `qdisc replace dev ${tap} root tbf rate 256000bps burst 1024b latency 50ms`,
      `qdisc add dev ${tap} ingress`,
      `filter add dev ${tap} parent ffff: protocol all prio 49 u32 match u32 0 0 action mirred egress redirect dev ${ifb}`,
    ]);
    const none = diff(hostState({ links, tc: [{ dev: tap, root: null, redirectIngressTo: null }] }), hostState({ links, tc: limited }));
    expect(none.map((c) => c.kind === 'tc.set' && tcBatchLines(c))).toEqual([[`qdisc del dev ${tap} root`, `qdisc del dev ${tap} ingress`]]);
    const steps = planLinux(diff(hostState({ links, tc: limited }), hostState({ links })), { hostNetns: 'host-a' }).flat();
    expect(steps.map((s) => s.type === 'command' && s.argv)).toContainEqual(['tc', '-n', 'host-a', '-force', '-batch', '-']);
  });

  it('reads `tc -j` back; a rounding of the bucket by the kernel is no change', () => {
    const qdiscs = JSON.stringify([
      { kind: 'noqueue', handle: '0:', dev: 'lo', root: true, options: {} },
      { kind: 'tbf', handle: '8004:', dev: ifb, root: true, refcnt: 2, options: { rate: 128000, burst: 102399, lat: 50000 } },
      { kind: 'ingress', handle: 'ffff:', dev: tap, parent: 'ffff:fff1', options: {} },
    ]);
    const filters = `dev ${tap}\n` + JSON.stringify([{ protocol: 'all', pref: 49, kind: 'u32', options: { actions: [{ order: 1, kind: 'mirred', mirred_action: 'redirect', direction: 'egress', to_dev: ifb }] } }]) + '\n';
    const seen = parseTcJson(qdiscs, filters, '');
    expect(seen).toEqual([
      { netns: '', dev: ifb, root: { rate: 128000, burst: 102399, latencyMs: 50 }, redirectIngressTo: null },
      { netns: '', dev: tap, root: null, redirectIngressTo: ifb },
    ]);
    const desired = hostState({ links, tc: [{ dev: tap, root: null, redirectIngressTo: ifb }, { dev: ifb, root: tbf, redirectIngressTo: null }] });
    expect(diff(desired, hostState({ links, tc: seen })).filter((c) => c.kind === 'tc.set')).toEqual([]);
  });

  it('memory driver: apply then observe is the desired state, a second diff finds nothing, the tap going takes its tc', async () => {
    const d = new MemoryDriver(hostState({ links: [{ name: tap, kind: 'external', up: true }] }));
    const desired = hostState({ links, tc: limited });
    const scope = { ownership: NEUTRON_OWNERSHIP, tc: true };
    const r = await d.apply(diff(desired, await d.observe(scope)));
    expect(r.errors).toEqual([]);
    expect(diff(desired, await d.observe(scope))).toEqual([]);
    d.kernel.removeLink(d.kernel.requireLink('', tap));
    expect((await d.observe(scope)).tc).toEqual([{ netns: '', dev: ifb, root: tbf, redirectIngressTo: null }]);
  });
});

describe('traffic control in the installed state', () => {
  it('is kept in a snapshot, so an agent that trusts its snapshot at start finds no change', async () => {
    const { InstalledState } = await import('../installed');
    const installed = new InstalledState();
    installed.adopt(hostState({ links: [{ name: tap, kind: 'external', up: true }] }));
    const desired = hostState({ links, tc: limited });
    const scope = { ownership: NEUTRON_OWNERSHIP, tc: true };
    const d = new MemoryDriver();
    const changes = diff(desired, await installed.observe(scope, d));
    await installed.record(changes, { applied: changes.length, failed: 0, errors: [], durationMs: 0 });
    const again = new InstalledState();
    again.trust(installed.snapshot(NEUTRON_OWNERSHIP)!);
    expect(diff(desired, await again.observe(scope, d))).toEqual([]);
  });
});
