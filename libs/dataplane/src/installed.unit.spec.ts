import { OWNERSHIP, hypervisorTaps, sampleHost } from './__fixtures__/sample-host';
import { MemoryDriver } from './driver/memory/memory-driver';
import type { Change } from './diff/changes';
import type { ApplyResult, Driver, Scope } from './driver/driver';
import { InstalledState } from './installed';
import { hostState } from './model/state';
import type { HostState } from './model/types';
import { reconcile } from './reconcile';
import { objectsOf, type DesiredObjects, type ObjectKey } from './diff/scoped';

const scope: Scope = { ownership: OWNERSHIP };

/** A driver that counts observes and can be told to fail the next apply. */
class Counting implements Driver {
  readonly inner = new MemoryDriver(hypervisorTaps(4));
  observes = 0;
  failNext = false;
  async observe(s: Scope): Promise<HostState> {
    this.observes++;
    return this.inner.observe(s);
  }
  observeProcesses() {
    return this.inner.observeProcesses();
  }
  async apply(changes: Change[]): Promise<ApplyResult> {
    if (!this.failNext) return this.inner.apply(changes);
    this.failNext = false;
    const [first, ...rest] = changes;
    const r = await this.inner.apply(rest);
    return { ...r, failed: r.failed + 1, errors: [...r.errors, { changes: [first], command: first.kind, message: 'injected' }] };
  }
}

const bridge = (name: string, mtu = 1450): HostState => hostState({ links: [{ name, kind: 'bridge', mtu }] });

describe('InstalledState', () => {
  it('diffs against what was installed without reading the host, and converges like a full observe', async () => {
    const d = new Counting();
    const installed = new InstalledState();
    const desired = sampleHost(4);
    const first = await reconcile(d, desired, scope, { installed });
    expect(first.observed).toBe(true);
    expect(first.changes.length).toBeGreaterThan(0);
    expect(d.observes).toBe(1);
    const again = await reconcile(d, desired, scope, { installed });
    expect(again.observed).toBe(false);
    expect(again.changes).toEqual([]);
    expect(d.observes).toBe(1);
    // the model answers what the host answers
    expect(await installed.observe(scope, d)).toEqual(await d.inner.observe(scope));
  });

  it('applies only the difference of a new desired state, the same changes a full observe would find', async () => {
    const d = new Counting();
    const installed = new InstalledState();
    await reconcile(d, bridge('brqa'), scope, { installed });
    const viaModel = await reconcile(d, bridge('brqb', 1400), scope, { installed });
    const other = new MemoryDriver(hypervisorTaps(4));
    await reconcile(other, bridge('brqa'), scope);
    const viaHost = await reconcile(other, bridge('brqb', 1400), scope);
    expect(viaModel.observed).toBe(false);
    expect(viaModel.changes).toEqual(viaHost.changes);
    expect(await d.inner.observe(scope)).toEqual(await other.observe(scope));
  });

  it('forgets what it installed after a failed apply, so the next reconcile reads the host', async () => {
    const d = new Counting();
    const installed = new InstalledState();
    await reconcile(d, bridge('brqa'), scope, { installed });
    d.failNext = true;
    const failed = await reconcile(d, hostState({ links: [...bridge('brqa').links, ...bridge('brqb').links] }), scope, { installed });
    expect(failed.applied.failed).toBeGreaterThan(0);
    expect(installed.known).toBe(false);
    const repaired = await reconcile(d, hostState({ links: [...bridge('brqa').links, ...bridge('brqb').links] }), scope, { installed });
    expect(repaired.observed).toBe(true);
    expect(repaired.changes.map((c) => c.kind)).toContain('link.add');
    expect(installed.known).toBe(true);
  });

  it('does not see drift made by hand until the host is read again (the resync), which repairs it', async () => {
    const d = new Counting();
    const installed = new InstalledState();
    await reconcile(d, bridge('brqa'), scope, { installed });
    await d.inner.apply([{ kind: 'link.set', netns: '', name: 'brqa', mtu: 9000 }]);
    expect((await reconcile(d, bridge('brqa'), scope, { installed })).changes).toEqual([]);
    const resync = await reconcile(d, bridge('brqa'), scope, { installed, observe: true });
    expect(resync.changes).toEqual([{ kind: 'link.set', netns: '', name: 'brqa', mtu: 1450 }]);
    expect((await d.inner.observe(scope)).links.find((l) => l.name === 'brqa')?.mtu).toBe(1450);
  });

  it('with the objects an agent keeps and the keys it touched, compares only those and converges like a whole state', async () => {
    const d = new Counting();
    const installed = new InstalledState();
    const objects = objectsOf(sampleHost(4)) as Map<ObjectKey, unknown>;
    const compared: ObjectKey[] = [];
    const kept = (touched?: Set<ObjectKey>): DesiredObjects => ({
      objects,
      touched: touched && new Proxy(touched, { get: (t, p) => (p === Symbol.iterator ? () => { compared.push(...t); return t[Symbol.iterator](); } : Reflect.get(t, p, t)) }),
      state: () => hostState({ links: [...objects].filter(([k]) => k.startsWith('link:')).map(([, o]) => o as never), fdb: [...objects].filter(([k]) => k.startsWith('fdb:')).map(([, o]) => o as never), routes: [...objects].filter(([k]) => k.startsWith('route:')).map(([, o]) => o as never), namespaces: [...objects].filter(([k]) => k.startsWith('ns:')).map(([, o]) => o as never), sysctls: [...objects].filter(([k]) => k.startsWith('sysctl:')).map(([, o]) => o as never), ipsets: [...objects].filter(([k]) => k.startsWith('ipset:')).map(([, o]) => o as never), iptables: sampleHost(4).iptables }),
    });
    const first = await reconcile(d, kept(), scope, { installed });
    expect(first.changes.length).toBeGreaterThan(0);
    // one bridge's MTU changes: the agent says so, and only that key is compared and diffed
    const key = [...objects.keys()].find((k) => k.startsWith('link:') && (objects.get(k) as { kind: string }).kind === 'bridge')!;
    objects.set(key, { ...(objects.get(key) as object), mtu: 1400 });
    const observes = d.observes;
    const second = await reconcile(d, kept(new Set([key])), scope, { installed });
    expect([...new Set(compared)]).toEqual([key]); // iterated to compare and to move the converged state forward, never the others
    expect(second.scoped).toBe(1);
    expect(second.changes.map((c) => c.kind)).toEqual(['link.set']);
    expect(d.observes).toBe(observes);
    // nothing touched: nothing to do; and the host is what a whole state says
    expect((await reconcile(d, kept(new Set()), scope, { installed })).changes).toEqual([]);
    expect((await reconcile(d, kept(), scope, { observe: true })).changes).toEqual([]);
  });
});
