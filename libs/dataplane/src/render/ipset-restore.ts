import type { ChangeOf } from '../diff/changes';
import type { IpSet } from '../model/types';

export type IpsetChange = ChangeOf<'ipset.create'> | ChangeOf<'ipset.update'> | ChangeOf<'ipset.swap'> | ChangeOf<'ipset.destroy'>;

/** The name a set is rebuilt under before it is swapped in (ipset names are at most 31 characters). */
export const swapName = (name: string): string => `${name.slice(0, 29)}-n`;

const create = (name: string, s: IpSet) => `create ${name} ${s.type} family ${s.family}`;

/** `ipset restore` lines for one change (run with `-exist`, so re-adding is harmless). */
export function ipsetRestoreLines(c: IpsetChange): string[] {
  switch (c.kind) {
    case 'ipset.create':
      return [create(c.set.name, c.set), ...c.set.members.map((m) => `add ${c.set.name} ${m}`)];
    case 'ipset.update':
      return [...c.del.map((m) => `del ${c.name} ${m}`), ...c.add.map((m) => `add ${c.name} ${m}`)];
    case 'ipset.swap': {
      const tmp = swapName(c.set.name);
      return [
        create(tmp, c.set),
        `flush ${tmp}`,
        ...c.set.members.map((m) => `add ${tmp} ${m}`),
        `swap ${tmp} ${c.set.name}`,
        `destroy ${tmp}`,
      ];
    }
    case 'ipset.destroy':
      return [`destroy ${c.name}`];
  }
}

export const renderIpsetRestore = (changes: IpsetChange[]): string =>
  changes.flatMap(ipsetRestoreLines).map((l) => `${l}\n`).join('');
