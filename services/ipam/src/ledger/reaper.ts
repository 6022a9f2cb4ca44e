import type { EventActor } from '@neutrino/events';
import type { LedgerBook } from './ledger-book';
import type { OwnerRegistry } from './owner-registry';

const REAPER: EventActor = { user_id: 'ipam-reaper', project_id: null, roles: ['service'] };

/**
 * Gives back allocations whose owner (a port; for segments, a network) has
 * not existed for longer than the grace period — what a crash between two
 * steps of a command leaves behind. Returns how many were released.
 */
export async function reapOrphans(book: LedgerBook, owners: OwnerRegistry, graceMs: number, now = Date.now()): Promise<number> {
  let released = 0;
  for (const [token, ledger] of book.entries()) {
    const segment = token.startsWith('seg-');
    for (const [key, owner] of [...ledger.owners]) {
      const alloc = ledger.allocations.get(key);
      const alive = segment ? owners.networks.has(owner) : owners.ports.has(owner);
      if (alive || !alloc || now - alloc.at < graceMs) continue;
      const type = alloc.type.replace(/\.allocated$/, '.released');
      const done = await book.record(token, (l) => (l.owners.get(key) === owner ? { type, data: alloc.data, actor: REAPER, request_id: null } : null));
      if (done) released++;
    }
  }
  return released;
}
