import type { Change } from './changes';
import { indexBy, ns, tcKey } from '../model/keys';
import type { DeviceTc, TcTbf } from '../model/types';

/** The kernel keeps a tbf's bucket in scheduler ticks: what it reports back may differ from what was asked by a rounding. */
const near = (a: number, b: number) => Math.abs(a - b) <= Math.max(16, Math.abs(b) / 100);

export const sameTbf = (a: TcTbf | null, b: TcTbf | null): boolean =>
  a === b || (!!a && !!b && near(a.rate, b.rate) && near(a.burst, b.burst) && near(a.latencyMs, b.latencyMs));

export const sameTc = (a: DeviceTc, b: DeviceTc): boolean => sameTbf(a.root, b.root) && (a.redirectIngressTo ?? null) === (b.redirectIngressTo ?? null);

/**
 * A tc.set for every desired device whose traffic control differs from the
 * observed one (a device with none observed has nulls). Observed traffic
 * control on devices with no desired entry is not ours to change.
 */
export function diffTc(desired: DeviceTc[], observed: DeviceTc[], deletedNs: Set<string>): Change[] {
  const seen = indexBy(observed, tcKey);
  const out: Change[] = [];
  for (const d of indexBy(desired, tcKey).values()) {
    if (deletedNs.has(ns(d.netns))) continue;
    const was = seen.get(tcKey(d)) ?? { netns: d.netns, dev: d.dev, root: null, redirectIngressTo: null };
    if (!sameTc(d, was)) out.push({ kind: 'tc.set', netns: ns(d.netns), tc: d, was });
  }
  return out;
}
