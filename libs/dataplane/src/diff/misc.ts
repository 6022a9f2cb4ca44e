import type { FdbEntry, HostState, Namespace, Route, Sysctl } from '../model/types';
import { fdbKey, indexBy, linkKey, ns, routeKey, sortedKeys, sysctlKey } from '../model/keys';
import { normAddr } from '@neutrino/netaddr';
import { normSysctl, routeDst } from '../model/normalize';
import type { Change } from './changes';

export function diffNamespaces(desired: Namespace[], observed: Namespace[]): { changes: Change[]; deleted: Set<string>; created: Set<string> } {
  const D = indexBy(desired, (n) => n.name);
  const O = indexBy(observed, (n) => n.name);
  const changes: Change[] = [];
  const deleted = new Set<string>();
  const created = new Set<string>();
  for (const k of sortedKeys(D, O)) {
    if (D.has(k) && !O.has(k)) {
      changes.push({ kind: 'netns.add', name: k });
      created.add(k);
    }
    else if (!D.has(k) && O.get(k)!.owned) {
      changes.push({ kind: 'netns.del', name: k });
      deleted.add(k);
    }
  }
  return { changes, deleted, created };
}

/** Objects hanging off a device that is gone (deleted or recreated), or in a deleted namespace, need no deletion. */
const detached = (netns: string | undefined, dev: string | undefined, gone: Set<string>, deletedNs: Set<string>) =>
  deletedNs.has(ns(netns)) || (dev !== undefined && gone.has(linkKey({ netns, name: dev })));

export function diffFdb(desired: FdbEntry[], observed: FdbEntry[], ownedDevs: Set<string>, gone: Set<string>, deletedNs: Set<string>): Change[] {
  const D = indexBy(desired, fdbKey);
  const O = indexBy(observed, fdbKey);
  const changes: Change[] = [];
  for (const k of sortedKeys(D, O)) {
    const d = D.get(k);
    const o = O.get(k);
    const alive = o && !detached(o.netns, o.dev, gone, deletedNs);
    if (d && !alive) changes.push({ kind: 'fdb.add', entry: { ...d, netns: ns(d.netns), mac: d.mac.toLowerCase() } });
    if (!d && alive && ownedDevs.has(linkKey({ netns: o.netns, name: o.dev }))) changes.push({ kind: 'fdb.del', entry: o });
  }
  return changes;
}

function sameRoute(d: Route, o: Route): boolean {
  if (routeDst(d) !== routeDst(o)) return false;
  if ((d.via ? normAddr(d.via) : undefined) !== (o.via ? normAddr(o.via) : undefined)) return false;
  if (d.dev !== undefined && d.dev !== o.dev) return false;
  if (d.src !== undefined && normAddr(d.src) !== (o.src && normAddr(o.src))) return false;
  return d.metric === undefined || d.metric === o.metric;
}

export function diffRoutes(desired: Route[], observed: Route[], gone: Set<string>, deletedNs: Set<string>): Change[] {
  const D = indexBy(desired, routeKey);
  const O = indexBy(observed, routeKey);
  const changes: Change[] = [];
  for (const k of sortedKeys(D, O)) {
    const d = D.get(k);
    const o = O.get(k);
    const alive = o && !detached(o.netns, o.dev, gone, deletedNs);
    if (d?.external) continue;
    if (d && !(alive && sameRoute(d, o))) changes.push({ kind: 'route.set', route: { ...d, netns: ns(d.netns) } });
    if (!d && alive && o.owned) changes.push({ kind: 'route.del', route: o });
  }
  return changes;
}

/** Sysctls are only ever set, never removed. */
export function diffSysctls(desired: Sysctl[], observed: Sysctl[], deletedNs: Set<string>): Change[] {
  const O = indexBy(observed, sysctlKey);
  const D = indexBy(desired, sysctlKey);
  const changes: Change[] = [];
  for (const k of sortedKeys(D)) {
    const d = D.get(k)!;
    const o = O.get(k);
    if (deletedNs.has(ns(d.netns))) continue;
    if (!o || normSysctl(o.value) !== normSysctl(d.value)) changes.push({ kind: 'sysctl.set', netns: ns(d.netns), key: d.key, value: d.value });
  }
  return changes;
}

export const ownedLinkKeys = (s: HostState): Set<string> => new Set(s.links.filter((l) => l.owned).map(linkKey));
