import { MemoryDriver } from '../driver/memory/memory-driver';
import { reconcile } from '../reconcile';
import { InstalledState } from '../installed';
import { OWNERSHIP, hypervisorTaps, sampleHost } from '../__fixtures__/sample-host';
import type { HostState } from '../model/types';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random variation of the sample host: objects dropped, attributes and members changed. */
function variant(r: () => number): HostState {
  const s = sampleHost(1 + Math.floor(r() * 6));
  const keep = <T>(xs: T[], p: number) => xs.filter(() => r() > p);
  if (r() < 0.2) return { ...s, namespaces: [], links: [], fdb: [], routes: [], iptables: [], ipsets: [], processes: [] };
  if (r() < 0.3) {
    s.namespaces = [];
    s.links = s.links.filter((l) => !l.netns && !(l.peer && l.peer.netns));
    s.routes = [];
    s.processes = [];
  }
  s.links = keep(s.links, 0.15).map((l) => (r() < 0.2 && l.kind === 'bridge' ? { ...l, mtu: 1400 + Math.floor(r() * 100) } : l));
  // keep the links' dependencies consistent: a veth needs its pair, a vxlan its bridge
  const names = new Set(s.links.map((l) => `${l.netns ?? ''}/${l.name}`));
  s.links = s.links.filter((l) => !l.peer || names.has(`${l.peer.netns ?? ''}/${l.peer.name}`));
  s.links = s.links.map((l) => (l.master && !names.has(`/${l.master}`) ? { ...l, master: null } : l));
  s.fdb = keep(s.fdb, 0.3).filter((f) => s.links.some((l) => l.name === f.dev));
  s.routes = s.routes.filter((rt) => s.links.some((l) => l.netns === rt.netns && l.addresses?.length));
  if (r() < 0.5) s.ipsets[0].members = keep(s.ipsets[0].members, 0.4).concat(r() < 0.5 ? ['192.168.9.0/24'] : []);
  if (r() < 0.3) s.processes = s.processes.map((p) => ({ ...p, files: [{ path: p.files![0].path, content: `v${Math.floor(r() * 3)}` }] }));
  if (r() < 0.2) s.processes = s.processes.map((p) => ({ ...p, argv: [...p.argv, '--log-dhcp'] }));
  return s;
}

describe('idempotence property on the memory driver', () => {
  it.each([1, 2, 3, 4, 5])('converges with zero errors and an empty second diff through random transitions (seed %i)', async (seed) => {
    const r = rng(seed);
    const driver = new MemoryDriver(hypervisorTaps(6));
    const scope = { ownership: OWNERSHIP };
    let total = 0;
    for (let step = 0; step < 25; step++) {
      const desired = variant(r);
      const res = await reconcile(driver, desired, scope, { verify: true });
      total += res.changes.length;
      expect({ step, errors: res.applied.errors }).toEqual({ step, errors: [] });
      expect({ step, remaining: res.remaining }).toEqual({ step, remaining: [] });
    }
    expect(total).toBeGreaterThan(200);
  });
});

describe('diffing against the installed state (no read of the host between changes)', () => {
  it.each([1, 2, 3, 4, 5])('finds the same changes as a full observe through random transitions, looking only at what changed, and the host ends the same (seed %i)', async (seed) => {
    const r = rng(seed);
    const viaModel = new MemoryDriver(hypervisorTaps(6));
    const viaHost = new MemoryDriver(hypervisorTaps(6));
    const installed = new InstalledState();
    const scope = { ownership: OWNERSHIP };
    let unread = 0;
    let scoped = 0;
    for (let step = 0; step < 25; step++) {
      const desired = variant(r);
      const a = await reconcile(viaModel, desired, scope, { installed, verify: true });
      const b = await reconcile(viaHost, desired, scope);
      if (!a.observed) unread++;
      if (a.scoped !== undefined) scoped++;
      expect({ step, changes: a.changes }).toEqual({ step, changes: b.changes });
      expect({ step, remaining: a.remaining }).toEqual({ step, remaining: [] });
      expect({ step, state: await viaModel.observe(scope) }).toEqual({ step, state: await viaHost.observe(scope) });
    }
    expect(unread).toBe(24);
    // most steps only look at the objects whose desired form changed
    expect(scoped).toBeGreaterThan(15);
  });
});
