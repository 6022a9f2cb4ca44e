import type { Decider } from '../decider';
import { NeutronError, conflict } from '../errors';
import type { CoreEvent } from '../events';

/**
 * A bulk create as a recorded batch (evt.bulk.<id>): its ids are recorded
 * before any of its resources, so a crash part-way leaves a batch that was
 * started and never committed, and the gateway's settlement undoes it.
 */
export interface BulkBatch {
  id: string;
  resource: 'port';
  /** The ids its resources are created with, in request order. */
  ids: string[];
  /** The gateway (host:port) that runs it: after that gateway restarts, an open batch of its own is dead. */
  owner: string;
  started_at: string;
  /** After this an open batch is undone by any gateway (its request has outlived every deadline). */
  deadline_at: string;
  status: 'started' | 'committed' | 'aborted';
  /** When it was aborted (the bulk.aborted event's time). */
  aborted_at?: string;
}

export type BulkEvent = CoreEvent<'bulk.started' | 'bulk.committed' | 'bulk.aborted' | 'bulk.cleared'>;

export type BulkCommand =
  | { type: 'StartBulk'; id: string; resource: 'port'; ids: string[]; owner: string; now: string; deadline_at: string }
  /** The request created every resource: the batch stands. Refused when it was aborted meanwhile. */
  | { type: 'CommitBulk' }
  /** The request failed, or the batch outlived its request (a crash): its resources are undone. */
  | { type: 'AbortBulk'; reason: string }
  /**
   * An aborted batch is finished with: every resource it named is gone, and
   * it was aborted at least `quietMs` before `now` (an item in flight when the
   * abort landed has landed, and been undone, by then). After bulk.cleared no
   * settlement walks it again; not yet, it is nothing.
   */
  | { type: 'ClearBulk'; now: string; quietMs: number };

/** A commit (or a further item) of a batch the settlement undid. */
export const bulkUndone = (id: string): NeutronError =>
  conflict('Conflict', `The bulk request ${id} was undone before it completed (it outlived its deadline); nothing of it was kept. Try again.`);

export interface BulkState {
  batch: BulkBatch | undefined;
  /** The ids the batch named whose resources exist (the facts of ClearBulk). */
  left?: string[];
}

/** The batch after one event; a committed or cleared batch is finished with (undefined: no settlement needs it). */
export const evolveBulk = (batch: BulkBatch | undefined, e: { type: string; data: any; at?: string }): BulkBatch | undefined => {
  if (e.type === 'bulk.started') return e.data.batch as BulkBatch;
  if (!batch) return batch;
  if (e.type === 'bulk.committed') return { ...batch, status: 'committed' };
  if (e.type === 'bulk.aborted') return { ...batch, status: 'aborted', ...(e.at ? { aborted_at: e.at } : {}) };
  if (e.type === 'bulk.cleared') return undefined;
  return batch;
};

export const bulkDecider: Decider<BulkCommand, BulkState, BulkEvent> = {
  initialState: () => ({ batch: undefined }),
  evolve: (s, e) => ({ ...s, batch: evolveBulk(s.batch, e) }),
  decide(command, { batch, left = [] }) {
    switch (command.type) {
      case 'StartBulk': {
        if (batch) throw conflict('Conflict', `Bulk request ${command.id} already exists.`);
        if (!command.ids.length) throw new NeutronError(400, 'HTTPBadRequest', 'Resources required');
        if (new Set(command.ids).size !== command.ids.length) throw new NeutronError(400, 'HTTPBadRequest', 'A bulk request names one resource twice.');
        const { id, resource, ids, owner, now, deadline_at } = command;
        return [{ type: 'bulk.started', data: { batch: { id, resource, ids, owner, started_at: now, deadline_at, status: 'started' } } }];
      }
      case 'CommitBulk':
        if (!batch) throw conflict('Conflict', 'The bulk request was not recorded.');
        if (batch.status === 'aborted') throw bulkUndone(batch.id);
        return batch.status === 'committed' ? [] : [{ type: 'bulk.committed', data: { bulk_id: batch.id } }];
      case 'AbortBulk':
        return batch?.status === 'started' ? [{ type: 'bulk.aborted', data: { bulk_id: batch.id, reason: command.reason } }] : [];
      case 'ClearBulk': {
        if (batch?.status !== 'aborted' || left.length) return [];
        const since = Date.parse(batch.aborted_at ?? batch.started_at);
        return Date.parse(command.now) - since >= command.quietMs ? [{ type: 'bulk.cleared', data: { bulk_id: batch.id } }] : [];
      }
    }
  },
};

/** Whether an open batch is dead: past its deadline, or owned by this gateway before its current start. */
export const bulkIsStale = (batch: BulkBatch, now: number, self: { owner: string; startedAt: number }): boolean =>
  batch.status === 'started' && (Date.parse(batch.deadline_at) <= now || (batch.owner === self.owner && Date.parse(batch.started_at) < self.startedAt));
