import type { IptFamily, IptTable, IptTableName } from '../model/types';
import type { Ownership } from '../model/ownership';
import { projectChain } from '../model/ownership';

const TABLES: IptTableName[] = ['filter', 'nat', 'mangle', 'raw'];

/** Parse iptables-save / ip6tables-save output into tables with every chain and rule, in order. */
export function parseIptablesSave(text: string, family: IptFamily, netns = ''): IptTable[] {
  const tables: IptTable[] = [];
  let cur: { table: IptTable; chains: Map<string, string[]> } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      const name = line.slice(1) as IptTableName;
      cur = TABLES.includes(name) ? { table: { netns, family, table: name, chains: [] }, chains: new Map() } : undefined;
    } else if (!cur) {
      continue;
    } else if (line.startsWith(':')) {
      const name = line.slice(1).split(' ')[0];
      cur.chains.set(name, []);
    } else if (line.startsWith('-A ')) {
      const rest = line.slice(3);
      const sp = rest.indexOf(' ');
      const chain = sp < 0 ? rest : rest.slice(0, sp);
      const rule = sp < 0 ? '' : rest.slice(sp + 1);
      if (!cur.chains.has(chain)) cur.chains.set(chain, []);
      cur.chains.get(chain)!.push(rule);
    } else if (line === 'COMMIT') {
      cur.table.chains = [...cur.chains].map(([name, rules]) => ({ name, rules }));
      tables.push(cur.table);
      cur = undefined;
    }
  }
  return tables;
}

/** Keep what an agent sees of a table: its own chains whole, only its own rules of everyone else's. */
export const projectTable = (o: Ownership, t: IptTable): IptTable => ({
  ...t,
  chains: t.chains.map((c) => projectChain(o, t.table, c)),
});
