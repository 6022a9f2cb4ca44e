import { objectsOf, type ObjectKey } from '@neutrino/dataplane';
import type { StoredEvent } from '@neutrino/events';
import { prng } from '@neutrino/testing';
import { CFG, HOST, L2LogGenerator, interleave } from '../__fixtures__/l2-events';
import { L2View } from '../view/l2-view';
import { KeptDesired, wholeDesired } from './kept-desired';

/**
 * Properties of the l2-agent's incremental desired state over random logs (seeded: a failure names
 * its seed and step, and replays). ovn-controller's CHECK_NO_CHANGE_AFTER_RECOMPUTE, for this agent.
 */
const SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i);
const EVENTS = 90;

/** An object map as diffing sees it (a chain's object compares by its chain). */
const comparable = (m: ReadonlyMap<ObjectKey, unknown>) =>
  Object.fromEntries([...m].map(([k, v]) => [k, k.startsWith('chain:') ? (v as { chain: unknown }).chain : v]));
const wholeOf = (view: L2View) => comparable(objectsOf(wholeDesired(view, CFG)));
const replay = (log: StoredEvent[]) => {
  const view = new L2View(HOST);
  for (const e of log) view.apply(e);
  return view;
};

describe('KeptDesired over random logs (property)', () => {
  it('fed event by event (or in bursts, as the runner coalesces them) equals the whole recompute of the same view after every step, and a replay of the log at the end', () => {
    let scoped = 0;
    for (const seed of SEEDS) {
      const r = prng(seed);
      const log = new L2LogGenerator(r).log(EVENTS);
      const view = new L2View(HOST);
      const kept = new KeptDesired(view, CFG);
      let d = kept.next();
      for (let i = 0; i < log.length; ) {
        const burst = r() < 0.7 ? 1 : 2 + Math.floor(r() * 4);
        for (const e of log.slice(i, i + burst)) view.apply(e);
        i += burst;
        d = kept.next();
        if (d.touched) scoped++;
        const step = { seed, step: i, objects: comparable(d.objects) };
        expect(step).toEqual({ seed, step: i, objects: wholeOf(view) });
        expect(comparable(objectsOf(d.state()))).toEqual(step.objects);
      }
      expect({ seed, objects: comparable(d.objects) }).toEqual({ seed, objects: wholeOf(replay(log)) });
    }
    // only the first call of each run computes everything: every other step was scoped to what its events named
    expect(kept0WholeRecomputes(SEEDS[0])).toBe(1);
    expect(scoped).toBeGreaterThan(SEEDS.length * EVENTS * 0.5);
  });

  it('fed the independent events of a log (those of different aggregates) in another order ends in the same desired state', () => {
    for (const seed of SEEDS) {
      const r = prng(seed);
      const log = new L2LogGenerator(r).log(EVENTS);
      const expected = wholeOf(replay(log));
      for (let k = 0; k < 3; k++) {
        const order = interleave(log, r);
        const view = new L2View(HOST);
        const kept = new KeptDesired(view, CFG);
        kept.next();
        let d = kept.next();
        for (const e of order) {
          view.apply(e);
          d = kept.next();
        }
        expect({ seed, k, objects: comparable(d.objects) }).toEqual({ seed, k, objects: expected });
      }
    }
  });

  it('an event the view calls irrelevant changes neither the whole desired state nor the kept one (nothing touched)', () => {
    let irrelevant = 0;
    for (const seed of SEEDS) {
      const r = prng(seed);
      const log = new L2LogGenerator(r).log(EVENTS);
      const view = new L2View(HOST);
      const kept = new KeptDesired(view, CFG);
      kept.next();
      let before = wholeOf(view);
      for (const [i, e] of log.entries()) {
        const relevant = view.apply(e);
        const d = kept.next();
        const after = wholeOf(view);
        if (!relevant) {
          irrelevant++;
          expect({ seed, step: i, type: e.type, after }).toEqual({ seed, step: i, type: e.type, after: before });
          expect({ seed, step: i, touched: [...(d.touched ?? ['(everything)'])] }).toEqual({ seed, step: i, touched: [] });
        }
        before = after;
      }
    }
    // the generator makes plenty of them (status reports, names, subnets, ipam, other agents, networks and ports elsewhere)
    expect(irrelevant).toBeGreaterThan(SEEDS.length * 10);
  });
});

function kept0WholeRecomputes(seed: number): number {
  const r = prng(seed);
  const log = new L2LogGenerator(r).log(EVENTS);
  const view = new L2View(HOST);
  const kept = new KeptDesired(view, CFG);
  kept.next();
  for (const e of log) {
    view.apply(e);
    kept.next();
  }
  return kept.wholeRecomputes;
}
