import type { IpSet } from '../model/types';
import { indexBy, ipsetKey, ns, sortedKeys } from '../model/keys';
import { normSetMember } from '../model/normalize';
import type { Change, Unresolved } from './changes';

/** Member changes above this count rebuild the set under a temporary name and swap it in. */
export const DEFAULT_IPSET_SWAP_THRESHOLD = 128;

const members = (s: IpSet) => new Set(s.members.map((m) => normSetMember(m, s.type)));

export function diffIpsets(desired: IpSet[], observed: IpSet[], deletedNs: Set<string>, swapThreshold = DEFAULT_IPSET_SWAP_THRESHOLD) {
  const D = indexBy(desired, ipsetKey);
  const O = indexBy(observed, ipsetKey);
  const changes: Change[] = [];
  const unresolved: Unresolved[] = [];
  for (const k of sortedKeys(D, O)) {
    const d = D.get(k);
    const o = O.get(k);
    const netns = ns((d ?? o)!.netns);
    if (deletedNs.has(netns)) continue;
    const canonical = d && { ...d, netns, members: [...members(d)].sort() };
    if (d && canonical && !o) {
      changes.push({ kind: 'ipset.create', set: canonical });
    } else if (d && canonical && o) {
      if (d.type !== o.type || d.family !== o.family) {
        if (!o.owned) unresolved.push({ kind: 'ipset', key: k, reason: 'a foreign set of another type has this name' });
        else changes.push({ kind: 'ipset.destroy', netns, name: o.name, replace: true }, { kind: 'ipset.create', set: canonical });
        continue;
      }
      const want = new Set(canonical.members);
      const have = members(o);
      const add = canonical.members.filter((m) => !have.has(m));
      const del = [...have].filter((m) => !want.has(m)).sort();
      if (add.length + del.length > swapThreshold) changes.push({ kind: 'ipset.swap', set: canonical });
      else if (add.length || del.length) changes.push({ kind: 'ipset.update', netns, name: d.name, add, del });
    } else if (o && o.owned) {
      changes.push({ kind: 'ipset.destroy', netns, name: o.name, replace: false });
    }
  }
  return { changes, unresolved };
}
