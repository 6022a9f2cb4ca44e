import type { IptTable } from '../model/types';
import { builtinChains, isBuiltinChain } from '../model/rules';

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * A table in iptables-save form (counters `[0:0]`, no comment lines): built-in
 * chains first in table order with policy ACCEPT, user chains by byte value,
 * rules grouped by chain in the same order (spec/security-groups.md §13).
 */
export function renderIptablesSave(t: IptTable): string {
  const builtins = builtinChains(t.table);
  const user = t.chains.map((c) => c.name).filter((n) => !isBuiltinChain(t.table, n)).sort(byteOrder);
  const order = [...builtins, ...user];
  const rules = new Map(t.chains.map((c) => [c.name, c.rules]));
  return [
    `*${t.table}`,
    ...builtins.map((n) => `:${n} ACCEPT [0:0]`),
    ...user.map((n) => `:${n} - [0:0]`),
    ...order.flatMap((n) => (rules.get(n) ?? []).map((r) => `-A ${n} ${r}`)),
    'COMMIT',
    '',
  ].join('\n');
}
