import type { TableRef } from '../../diff/changes';
import type { IptablesChange } from '../../render/iptables-restore';
import { tableKey } from '../../model/keys';
import { builtinChains, isBuiltinChain, ruleKey, ruleSets, ruleTarget } from '../../model/rules';
import { KernelError, MemoryKernel } from './kernel';

const isChainName = (t: string) => !/^[A-Z]+$/.test(t); // all-caps targets are extensions (ACCEPT, DROP, SNAT …)

/**
 * Apply the changes of one table the way `iptables-restore --noflush` does: in one
 * commit, all or nothing, with references to chains and sets checked at the end.
 * The changed chains are staged beside the table and only they (and, when a chain
 * goes, the rules that could name it) are checked, so a commit costs what it changes.
 */
export function applyTable(k: MemoryKernel, ref: TableRef, changes: IptablesChange[]): void {
  k.requireNs(ref.netns);
  const key = tableKey(ref);
  const base = k.tables.get(key) ?? new Map(builtinChains(ref.table).map((n) => [n, [] as string[]]));
  /** chain → its rules after this commit, or null when deleted */
  const staged = new Map<string, string[] | null>();
  /** chains deleted in this commit (a chain made again goes to the end, as in a rebuilt table) */
  const deleted = new Set<string>();
  const has = (chain: string) => (staged.has(chain) ? staged.get(chain) !== null : base.has(chain));
  const need = (chain: string) => {
    const rules = staged.has(chain) ? staged.get(chain) : base.get(chain);
    if (!rules) throw new KernelError(`iptables-restore: chain ${chain} does not exist`);
    if (!staged.has(chain)) staged.set(chain, [...rules]);
    return staged.get(chain)!;
  };
  for (const c of changes) {
    switch (c.kind) {
      case 'chain.create':
        if (has(c.chain)) throw new KernelError(`chain ${c.chain} already exists`);
        staged.set(c.chain, [...c.rules]);
        break;
      case 'chain.set':
        need(c.chain);
        staged.set(c.chain, [...c.rules]);
        break;
      case 'hook.set': {
        if (c.createChain) {
          if (has(c.chain)) throw new KernelError(`chain ${c.chain} already exists`);
          staged.set(c.chain, []);
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
        staged.set(c.chain, null);
        deleted.add(c.chain);
        break;
    }
  }
  const check = (chain: string, r: string) => {
    const target = ruleTarget(r);
    if (target && isChainName(target) && !has(target)) throw new KernelError(`${chain}: jump to missing chain ${target}`);
    for (const s of ruleSets(r)) {
      if (!k.ipsets.has(`${ref.netns}/${s}`)) throw new KernelError(`${chain}: set ${s} does not exist`);
    }
  };
  for (const [chain, rules] of staged) for (const r of rules ?? []) check(chain, r);
  const gone = [...deleted].filter((c) => !has(c));
  if (gone.length) {
    for (const [chain, rules] of base) {
      if (staged.has(chain)) continue;
      for (const r of rules) if (gone.some((g) => r.includes(g))) check(chain, r);
    }
  }
  for (const c of deleted) base.delete(c);
  for (const [chain, rules] of staged) if (rules) base.set(chain, rules);
  k.tables.set(key, base);
}

/** Is a set referenced by any rule in its namespace? (ipset destroy then fails with "in use") */
export function setInUse(k: MemoryKernel, netns: string, name: string): boolean {
  for (const [key, t] of k.tables) {
    if (!key.startsWith(`${netns}/`)) continue;
    for (const rules of t.values()) if (rules.some((r) => ruleSets(r).includes(name))) return true;
  }
  return false;
}
