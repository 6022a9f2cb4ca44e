import type { HostState, IptChain, IptTable } from '../model/types';
import { fdbKey, indexBy, ipsetKey, linkKey, ns, processKey, routeKey, sysctlKey, tableKey, tcKey } from '../model/keys';
import { emptyHostState } from '../model/state';

/**
 * Scoped diffs: the objects of a desired state by a key of their own
 * (namespace, link, fdb entry, route, sysctl, iptables chain, ipset, process),
 * which of them changed from one desired state to the next, and a state cut
 * down to a set of keys — so a reconcile can diff and observe only what an
 * event touched. Pure.
 */
export type ObjectKey = string;

export const chainObjectKey = (t: Pick<IptTable, 'netns' | 'family' | 'table'>, chain: string): ObjectKey => `chain:${tableKey(t)}/${chain}`;

/** Every object of a state by its key (the last one of a key wins, as in diff()). */
export function objectsOf(s: HostState): Map<ObjectKey, unknown> {
  const m = new Map<ObjectKey, unknown>();
  for (const n of s.namespaces) m.set(`ns:${n.name}`, n);
  for (const l of s.links) m.set(`link:${linkKey(l)}`, l);
  for (const f of s.fdb) m.set(`fdb:${fdbKey(f)}`, f);
  for (const r of s.routes) m.set(`route:${routeKey(r)}`, r);
  for (const x of s.sysctls) m.set(`sysctl:${sysctlKey(x)}`, x);
  for (const t of indexBy(s.iptables, tableKey).values()) {
    for (const c of indexBy(t.chains, (c) => c.name).values()) m.set(chainObjectKey(t, c.name), { table: t, chain: c } satisfies TableChain);
  }
  for (const x of s.ipsets) m.set(`ipset:${ipsetKey(x)}`, x);
  for (const p of s.processes) m.set(`proc:${processKey(p)}`, p);
  for (const t of s.tc ?? []) m.set(`tc:${tcKey(t)}`, t);
  return m;
}

/** A chain's object: the chain and the table it is in. */
interface TableChain {
  table: IptTable;
  chain: IptChain;
}

/** Structural equality of plain data (what desired objects are). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const sameChain = (a: IptChain, b: IptChain) =>
  a.name === b.name && !!a.shared === !!b.shared && a.rules.length === b.rules.length && a.rules.every((r, i) => r === b.rules[i]);

function same(key: ObjectKey, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (key.startsWith('chain:')) return sameChain((a as TableChain).chain, (b as TableChain).chain);
  return deepEqual(a, b);
}

/**
 * The keys whose object differs between two desired states (added, removed or
 * changed), with what diffing them needs beside them: a route's or fdb entry's
 * device, a veth's peer.
 */
export function changedKeys(before: ReadonlyMap<ObjectKey, unknown>, after: ReadonlyMap<ObjectKey, unknown>): Set<ObjectKey> {
  const out = new Set<ObjectKey>();
  for (const [k, v] of after) if (!before.has(k) || !same(k, before.get(k), v)) out.add(k);
  for (const k of before.keys()) if (!after.has(k)) out.add(k);
  return withCompanions(out, before, after);
}

/**
 * changedKeys when the caller knows which keys can differ (those its event touched: an
 * agent that recomputes only the objects an event names): O(candidates), not O(objects).
 */
export function changedKeysAmong(before: ReadonlyMap<ObjectKey, unknown>, after: ReadonlyMap<ObjectKey, unknown>, candidates: Iterable<ObjectKey>): Set<ObjectKey> {
  const out = new Set<ObjectKey>();
  for (const k of candidates) {
    const a = after.get(k);
    const b = before.get(k);
    if (a === undefined ? b !== undefined : b === undefined || !same(k, b, a)) out.add(k);
  }
  return withCompanions(out, before, after);
}

function withCompanions(out: Set<ObjectKey>, before: ReadonlyMap<ObjectKey, unknown>, after: ReadonlyMap<ObjectKey, unknown>): Set<ObjectKey> {
  for (const k of [...out]) {
    for (const o of [before.get(k), after.get(k)]) {
      if (!o) continue;
      const x = o as { netns?: string; dev?: string; peer?: { name: string; netns?: string } };
      if ((k.startsWith('route:') || k.startsWith('fdb:')) && x.dev) out.add(`link:${linkKey({ netns: x.netns, name: x.dev })}`);
      if (k.startsWith('link:') && x.peer) out.add(`link:${linkKey({ netns: x.peer.netns, name: x.peer.name })}`);
      if (k.startsWith('tc:')) {
        const t = o as { netns?: string; dev: string; redirectIngressTo?: string | null };
        out.add(`link:${linkKey({ netns: t.netns, name: t.dev })}`);
        if (t.redirectIngressTo) out.add(`tc:${tcKey({ netns: t.netns, dev: t.redirectIngressTo })}`);
      }
    }
  }
  return out;
}

/**
 * A desired state kept by object by the agent itself (recomputing only what an
 * event names), with the keys that may have changed since it was last given to
 * reconcile (undefined: any may have). `objects` may be mutated between reconciles.
 */
export interface DesiredObjects {
  objects: ReadonlyMap<ObjectKey, unknown>;
  touched?: ReadonlySet<ObjectKey>;
  /** the whole state (for a full diff: start-up, resync, after a failure) */
  state(): HostState;
}

export const isDesiredObjects = (d: HostState | DesiredObjects): d is DesiredObjects => 'objects' in d && typeof (d as DesiredObjects).state === 'function';

/** The part of a state (given by its objectsOf) whose objects have one of the keys. */
export function restrictState(objects: ReadonlyMap<ObjectKey, unknown>, keys: Set<ObjectKey>): HostState {
  const out = emptyHostState();
  const tables = new Map<string, IptTable>();
  for (const k of keys) {
    const o = objects.get(k);
    if (o === undefined) continue;
    const kind = k.slice(0, k.indexOf(':'));
    if (kind === 'ns') out.namespaces.push(o as HostState['namespaces'][number]);
    else if (kind === 'link') out.links.push(o as HostState['links'][number]);
    else if (kind === 'fdb') out.fdb.push(o as HostState['fdb'][number]);
    else if (kind === 'route') out.routes.push(o as HostState['routes'][number]);
    else if (kind === 'sysctl') out.sysctls.push(o as HostState['sysctls'][number]);
    else if (kind === 'ipset') out.ipsets.push(o as HostState['ipsets'][number]);
    else if (kind === 'proc') out.processes.push(o as HostState['processes'][number]);
    else if (kind === 'tc') out.tc!.push(o as NonNullable<HostState['tc']>[number]);
    else if (kind === 'chain') {
      const { table, chain } = o as TableChain;
      const tk = tableKey(table);
      const t = tables.get(tk) ?? { netns: ns(table.netns), family: table.family, table: table.table, chains: [] };
      t.chains.push(chain);
      tables.set(tk, t);
    }
  }
  out.iptables = [...tables.values()];
  return out;
}
