import type { ChangeOf } from '../diff/changes';
import type { IptTableName } from '../model/types';

export type IptablesChange = ChangeOf<'chain.create'> | ChangeOf<'chain.set'> | ChangeOf<'hook.set'> | ChangeOf<'chain.delete'>;

/**
 * `iptables-restore --noflush` input for the changes of ONE table. Only the chains
 * that changed appear: new chains are declared (declaring an existing chain would
 * flush it, so existing ones are flushed with -F instead), our rules in chains we
 * don't own are deleted by spec and re-inserted at the top, removed chains are
 * flushed and then deleted. The whole table commits atomically.
 */
export function renderIptablesRestore(table: IptTableName, changes: IptablesChange[]): string {
  const decl: string[] = [];
  const unhook: string[] = [];
  const body: string[] = [];
  const hook: string[] = [];
  const flushGone: string[] = [];
  const dropGone: string[] = [];
  for (const c of changes) {
    switch (c.kind) {
      case 'chain.create':
        decl.push(`:${c.chain} - [0:0]`);
        body.push(...c.rules.map((r) => `-A ${c.chain} ${r}`));
        break;
      case 'chain.set':
        body.push(`-F ${c.chain}`, ...c.rules.map((r) => `-A ${c.chain} ${r}`));
        break;
      case 'hook.set':
        if (c.createChain) decl.push(`:${c.chain} - [0:0]`);
        unhook.push(...c.remove.map((r) => `-D ${c.chain} ${r}`));
        hook.push(...c.insert.map((r, i) => `-I ${c.chain} ${i + 1} ${r}`));
        break;
      case 'chain.delete':
        flushGone.push(`-F ${c.chain}`);
        dropGone.push(`-X ${c.chain}`);
        break;
    }
  }
  return [`*${table}`, ...decl, ...unhook, ...body, ...hook, ...flushGone, ...dropGone, 'COMMIT', ''].join('\n');
}
