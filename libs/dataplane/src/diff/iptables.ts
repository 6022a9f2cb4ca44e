import type { IptChain, IptTable } from '../model/types';
import { indexBy, ns, sortedKeys, tableKey } from '../model/keys';
import { isBuiltinChain, ruleKey } from '../model/rules';
import type { Change, TableRef, Unresolved } from './changes';

const sameRules = (a: string[], b: string[]) => a.length === b.length && a.every((r, i) => r === b[i] || ruleKey(r) === ruleKey(b[i]));

/**
 * Per table: chains we own are compared whole and rewritten whole; in chains we
 * don't own (built-in, shared, foreign) only our rules are compared, and when
 * they differ ours are removed and re-inserted at the top in the desired order.
 */
export function diffIptables(desired: IptTable[], observed: IptTable[], deletedNs: Set<string>): { changes: Change[]; unresolved: Unresolved[] } {
  const D = indexBy(desired, tableKey);
  const O = indexBy(observed, tableKey);
  const changes: Change[] = [];
  const unresolved: Unresolved[] = [];
  for (const k of sortedKeys(D, O)) {
    const d = D.get(k);
    const o = O.get(k);
    const ref: TableRef = { netns: ns((d ?? o)!.netns), family: (d ?? o)!.family, table: (d ?? o)!.table };
    if (deletedNs.has(ref.netns)) continue;
    const dc = indexBy(d?.chains ?? [], (c) => c.name);
    const oc = indexBy(o?.chains ?? [], (c) => c.name);
    for (const name of sortedKeys(dc, oc)) {
      const want = dc.get(name);
      const have = oc.get(name);
      const shared = isBuiltinChain(ref.table, name) || !!want?.shared || have?.owned === false;
      if (want && shared) {
        if (!want.shared && !isBuiltinChain(ref.table, name)) {
          unresolved.push({ kind: 'chain', key: `${k}/${name}`, reason: 'chain exists and is not ours: only our rules in it are managed' });
        }
        const ours = have?.rules ?? [];
        const missing = !have && !isBuiltinChain(ref.table, name);
        if (missing || !sameRules(want.rules, ours)) {
          changes.push({ kind: 'hook.set', ...ref, chain: name, remove: ours, insert: want.rules, createChain: missing });
        }
      } else if (want) {
        if (!have) changes.push({ kind: 'chain.create', ...ref, chain: name, rules: want.rules });
        else if (!sameRules(want.rules, have.rules)) changes.push({ kind: 'chain.set', ...ref, chain: name, rules: want.rules });
      } else if (have) {
        changes.push(...removal(ref, have));
      }
    }
  }
  return { changes, unresolved };
}

function removal(ref: TableRef, have: IptChain): Change[] {
  if (have.owned) return [{ kind: 'chain.delete', ...ref, chain: have.name }];
  if (have.rules.length) return [{ kind: 'hook.set', ...ref, chain: have.name, remove: have.rules, insert: [], createChain: false }];
  return [];
}
