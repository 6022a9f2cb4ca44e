import type { Change, Unresolved } from './diff/changes';
import { diffDetailed, type DiffOptions } from './diff/diff';
import type { ApplyResult, Driver, Scope } from './driver/driver';
import type { HostState } from './model/types';
import type { InstalledState } from './installed';
import { changedKeys, changedKeysAmong, isDesiredObjects, objectsOf, restrictState, type DesiredObjects, type ObjectKey } from './diff/scoped';

export interface ReconcileOptions {
  diff?: DiffOptions;
  /** observe again after applying and report what still differs (costs one more observe) */
  verify?: boolean;
  /**
   * What was last installed: when known, the diff is against it and the host is
   * not read (unless `observe` is set); the changes applied move it forward.
   */
  installed?: InstalledState;
  /** read the host even though the installed state is known (start-up, resync, after a failure); it is reloaded from what was read */
  observe?: boolean;
  /** called before any change is applied (not when there is none), e.g. to drop a persisted copy of the installed state */
  beforeApply?(changes: Change[]): Promise<void> | void;
}

export interface ReconcileResult {
  changes: Change[];
  applied: ApplyResult;
  unresolved: Unresolved[];
  /** with `verify`: the changes a second diff still finds (empty when the host converged) */
  remaining?: Change[];
  /** whether the host was read (false: the diff was against the installed state) */
  observed?: boolean;
  /** when the diff was cut down to the objects that changed: how many */
  scoped?: number;
  /** where the time went (ms): indexing and comparing the desired state with the converged one, reading the host or the installed state, diffing, applying */
  timings?: { compareMs: number; observeMs: number; diffMs: number; applyMs: number };
}

/** The scope extended with what the desired state names: its namespaces, veth peer namespaces, sysctl keys and whether it has traffic control. */
export function scopeFor(desired: HostState, scope: Scope): Scope {
  const namespaces = new Set(scope.namespaces ?? []);
  for (const n of desired.namespaces) namespaces.add(n.name);
  for (const l of desired.links) if (l.peer?.netns) namespaces.add(l.peer.netns);
  const sysctlKeys = new Set([...(scope.sysctlKeys ?? []), ...desired.sysctls.map((s) => s.key)]);
  const tc = scope.tc || !!desired.tc?.length;
  return { ...scope, namespaces: [...namespaces].sort(), sysctlKeys: [...sysctlKeys].sort(), ...(tc ? { tc } : {}) };
}

/**
 * observe (the host, or what was installed) → diff → apply (→ observe → diff). `changes.length` is the "applied N changes" figure.
 * `desired` is a state, or the objects an agent keeps itself with the keys its events touched (then comparing it with the
 * converged state costs what the event touched, not the whole host).
 */
export async function reconcile(driver: Driver, desired: HostState | DesiredObjects, scope: Scope, opts: ReconcileOptions = {}): Promise<ReconcileResult> {
  const kept = isDesiredObjects(desired) ? desired : undefined;
  let whole = kept ? undefined : (desired as HostState);
  const state = () => (whole ??= kept!.state());
  const installed = opts.installed;
  const read = !installed?.known || !!opts.observe;
  const t0 = performance.now();
  const objects: ReadonlyMap<ObjectKey, unknown> | undefined = installed ? (kept?.objects ?? objectsOf(state())) : undefined;
  const converged = installed?.converged;
  // Until this reconcile ends well, nothing is known to be converged (an error thrown below must not leave a stale one).
  if (installed) installed.converged = undefined;
  // Against the installed state, only the objects whose desired form changed since the host last converged are looked at.
  const keys = !read && converged && objects ? (kept?.touched ? changedKeysAmong(converged, objects, kept.touched) : changedKeys(converged, objects)) : undefined;
  const target = keys ? restrictState(objects!, keys) : state();
  const s = keys && kept?.touched ? scopeOfObjects(target, scope) : scopeFor(state(), scope);
  const t1 = performance.now();
  let observed: HostState;
  if (read) observed = await driver.observe(s);
  else if (keys) observed = await installed!.observeKeys(s, keys, driver);
  else observed = await installed!.observe(s, driver);
  if (read) installed?.adopt(observed);
  const t2 = performance.now();
  const { changes, unresolved } = diffDetailed(target, observed, opts.diff);
  const t3 = performance.now();
  if (changes.length) await opts.beforeApply?.(changes);
  const applied = changes.length
    ? await driver.apply(changes)
    : { applied: 0, failed: 0, errors: [], durationMs: 0 };
  await installed?.record(changes, applied);
  if (installed?.known && !applied.failed && !unresolved.length && objects) {
    if (!kept) installed.converged = objects as Map<ObjectKey, unknown>;
    else if (converged && kept.touched) {
      // the same objects but those touched: move the converged copy forward by them
      for (const k of kept.touched) {
        const o = objects.get(k);
        if (o === undefined) converged.delete(k);
        else converged.set(k, o);
      }
      installed.converged = converged;
    } else installed.converged = new Map(objects);
  }
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const timings = { compareMs: r1(t1 - t0), observeMs: r1(t2 - t1), diffMs: r1(t3 - t2), applyMs: r1(performance.now() - t3) };
  const result: ReconcileResult = { changes, applied, unresolved, observed: read, scoped: keys?.size, timings };
  if (opts.verify) result.remaining = diffDetailed(state(), await driver.observe(s), opts.diff).changes;
  return result;
}

/** scopeFor a part of the desired state, with the namespaces its objects are in (a whole state declares them; a part may not). */
function scopeOfObjects(part: HostState, scope: Scope): Scope {
  const s = scopeFor(part, scope);
  const namespaces = new Set(s.namespaces);
  for (const xs of [part.links, part.fdb, part.routes, part.sysctls, part.iptables, part.ipsets] as Array<Array<{ netns?: string }>>) {
    for (const x of xs) if (x.netns) namespaces.add(x.netns);
  }
  return { ...s, namespaces: [...namespaces].sort() };
}
