import type { DeviceTc, FdbEntry, IpSet, IptTable, Link, ManagedProcess, Route, Sysctl } from './types';
import { routeDst, routeFamily } from './normalize';

/** '' is the host's own namespace. */
export const ns = (netns?: string): string => netns ?? '';

export const linkKey = (l: Pick<Link, 'netns' | 'name'>): string => `${ns(l.netns)}/${l.name}`;
export const fdbKey = (f: FdbEntry): string => `${ns(f.netns)}/${f.dev}/${f.mac.toLowerCase()}/${f.dst}`;
export const routeKey = (r: Route): string =>
  `${ns(r.netns)}/${r.table ?? 'main'}/${routeFamily(r)}/${routeDst(r)}`;
export const sysctlKey = (s: Sysctl): string => `${ns(s.netns)}/${s.key}`;
export const tableKey = (t: Pick<IptTable, 'netns' | 'family' | 'table'>): string =>
  `${ns(t.netns)}/${t.family}/${t.table}`;
export const ipsetKey = (s: Pick<IpSet, 'netns' | 'name'>): string => `${ns(s.netns)}/${s.name}`;
export const tcKey = (t: Pick<DeviceTc, 'netns' | 'dev'>): string => `${ns(t.netns)}/${t.dev}`;
export const processKey = (p: Pick<ManagedProcess, 'id'>): string => p.id;

/** Index a list by key; with duplicates the last one wins. */
export function indexBy<T>(items: T[], key: (t: T) => string): Map<string, T> {
  const m = new Map<string, T>();
  for (const it of items) m.set(key(it), it);
  return m;
}

export const sortedKeys = (...maps: Map<string, unknown>[]): string[] =>
  [...new Set(maps.flatMap((m) => [...m.keys()]))].sort();
