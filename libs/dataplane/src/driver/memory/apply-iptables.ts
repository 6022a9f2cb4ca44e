import type { TableRef } from '../../diff/changes';
import type { IptablesChange } from '../../render/iptables-restore';
import { tableKey } from '../../model/keys';
import { builtinChains, isBuiltinChain, ruleKey, ruleSets, ruleTarget } from '../../model/rules';
import { KernelError, MemoryKernel } from './kernel';

const isChainName = (t: string) => !/^[A-Z]+$/.test(t); // all-caps targets are extensions (ACCEPT, DROP, SNAT …)

/**
 * Apply the changes of one table the way `iptables-restore --noflush` does: in one
 * commit, all or nothing, with references to chains and sets checked at the end.
 */
export function applyTable(k: MemoryKernel, ref: TableRef, changes: IptablesChange[]): void {
  k.requireNs(ref.netns);
  const key = tableKey(ref);
  const current = k.tables.get(key) ?? new Map(builtinChains(ref.table).map((n) => [n, [] as string[]]));
  const t = new Map([...current].map(([n, r]) => [n, [...r]]));
  const need = (chain: string) => {
    const rules = t.get(chain);
    if (!rules) throw new KernelError(`iptables-restore: chain ${chain} does not exist`);
    return rules;
  };
  for (const c of changes) {
    switch (c.kind) {
      case 'chain.create':
        if (t.has(c.chain)) throw new KernelError(`chain ${c.chain} already exists`);
        t.set(c.chain, [...c.rules]);
        break;
      case 'chain.set':
        need(c.chain);
        t.set(c.chain, [...c.rules]);
        break;
      case 'hook.set': {
        if (c.createChain) {
          if (t.has(c.chain)) throw new KernelError(`chain ${c.chain} already exists`);
          t.set(c.chain, []);
        }
        const rules = need(c.chain);
        for (const r of c.remove) {
          const i = rules.findIndex((x) => ruleKey(x) === ruleKey(r));
          if (i < 0) throw new KernelError(`iptables-restore: -D ${c.chain} ${r}: rule does not exist`);
          rules.splice(i, 1);
        }
        rules.unshift(...c.insert);
        break;
      }
      case 'chain.delete':
        if (isBuiltinChain(ref.table, c.chain)) throw new KernelError(`cannot delete built-in chain ${c.chain}`);
        need(c.chain);
        t.delete(c.chain);
        break;
    }
  }
  for (const [chain, rules] of t) {
    for (const r of rules) {
      const target = ruleTarget(r);
      if (target && isChainName(target) && !t.has(target)) throw new KernelError(`${chain}: jump to missing chain ${target}`);
      for (const s of ruleSets(r)) {
        if (!k.ipsets.has(`${ref.netns}/${s}`)) throw new KernelError(`${chain}: set ${s} does not exist`);
      }
    }
  }
  k.tables.set(key, t);
}

/** Is a set referenced by any rule in its namespace? (ipset destroy then fails with "in use") */
export function setInUse(k: MemoryKernel, netns: string, name: string): boolean {
  for (const [key, t] of k.tables) {
    if (!key.startsWith(`${netns}/`)) continue;
    for (const rules of t.values()) if (rules.some((r) => ruleSets(r).includes(name))) return true;
  }
  return false;
}
