import type { Change, Unresolved } from './diff/changes';
import { diffDetailed, type DiffOptions } from './diff/diff';
import type { ApplyResult, Driver, Scope } from './driver/driver';
import type { HostState } from './model/types';
import type { InstalledState } from './installed';
import { changedKeys, objectsOf, restrictState } from './diff/scoped';

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
  /** where the time went (ms): reading the host or the installed state, diffing, applying */
  timings?: { observeMs: number; diffMs: number; applyMs: number };
}

/** The scope extended with what the desired state names: its namespaces, veth peer namespaces and sysctl keys. */
export function scopeFor(desired: HostState, scope: Scope): Scope {
  const namespaces = new Set(scope.namespaces ?? []);
  for (const n of desired.namespaces) namespaces.add(n.name);
  for (const l of desired.links) if (l.peer?.netns) namespaces.add(l.peer.netns);
  const sysctlKeys = new Set([...(scope.sysctlKeys ?? []), ...desired.sysctls.map((s) => s.key)]);
  return { ...scope, namespaces: [...namespaces].sort(), sysctlKeys: [...sysctlKeys].sort() };
}

/** observe (the host, or what was installed) → diff → apply (→ observe → diff). `changes.length` is the "applied N changes" figure. */
export async function reconcile(driver: Driver, desired: HostState, scope: Scope, opts: ReconcileOptions = {}): Promise<ReconcileResult> {
  const s = scopeFor(desired, scope);
  const installed = opts.installed;
  const read = !installed?.known || !!opts.observe;
  const t0 = performance.now();
  const objects = installed ? objectsOf(desired) : undefined;
  // Against the installed state, only the objects whose desired form changed since the host last converged are looked at.
  const keys = !read && installed?.converged && objects ? changedKeys(installed.converged, objects) : undefined;
  let observed: HostState;
  if (read) observed = await driver.observe(s);
  else if (keys) observed = await installed!.observeKeys(s, keys, driver);
  else observed = await installed!.observe(s, driver);
  if (read) installed?.adopt(observed);
  const t1 = performance.now();
  const { changes, unresolved } = diffDetailed(keys ? restrictState(objects!, keys) : desired, observed, opts.diff);
  const t2 = performance.now();
  if (changes.length) await opts.beforeApply?.(changes);
  const applied = changes.length
    ? await driver.apply(changes)
    : { applied: 0, failed: 0, errors: [], durationMs: 0 };
  await installed?.record(changes, applied);
  if (installed?.known) installed.converged = !applied.failed && !unresolved.length ? objects : undefined;
  const timings = { observeMs: Math.round(t1 - t0), diffMs: Math.round(t2 - t1), applyMs: Math.round(performance.now() - t2) };
  const result: ReconcileResult = { changes, applied, unresolved, observed: read, scoped: keys?.size, timings };
  if (opts.verify) result.remaining = diffDetailed(desired, await driver.observe(s), opts.diff).changes;
  return result;
}
