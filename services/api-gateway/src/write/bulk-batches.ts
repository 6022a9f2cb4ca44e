import { bulkDecider, bulkIsStale, bulkUndone, type BulkCommand } from '@neutrino/domain';
import type { Logger } from '@neutrino/observability';
import type { RequestContext } from '../http/request-context';
import type { ReadModel } from '../read/read-model';
import type { BulkRecord } from './bulk';
import { newId } from './clock';
import type { CommandHandler } from './command-handler';
import { aggregate, bulkState } from './states';

export interface BulkBatchesOptions {
  /** This gateway as batches name their runner (host:port): one process at a time holds it. */
  owner: string;
  /** How long a batch may stay open before any gateway undoes it (ms). */
  deadlineMs: number;
  /** When this process started (ms): an open batch of its owner started before is dead (its process was killed). */
  startedAt?: number;
  /**
   * How long an aborted batch with none of its ports left waits before it is
   * cleared (ms; the gateway passes its settle interval): an item in flight
   * when the abort landed has landed, and been undone, by then.
   */
  quietMs?: number;
}

/** The settlement's own identity on the events it appends. */
const SETTLEMENT: RequestContext = {
  actor: { user_id: 'bulk-settlement', project_id: '', roles: ['admin', 'service'] },
  requestId: 'bulk-settlement',
  baseUrl: '',
};

/**
 * Bulk creates that are all or nothing across a crash: the batch (its ids)
 * is recorded on evt.bulk.<id> before its first resource, committed after the
 * last. The settlement — at start and every interval — aborts an open batch
 * whose gateway died (its own owner, started before this process) or that
 * outlived its deadline, then deletes every resource of an aborted batch that
 * exists (ipam gets their addresses back with the delete; what was reserved
 * for a resource never appended is ipam's reaper's). Commit and abort are
 * appended with the batch subject's expected sequence, so of a late commit
 * and the settlement's abort exactly one wins; a request whose commit lost
 * answers 409 after undoing what it made. An aborted batch none of whose
 * ports is left is cleared (`bulk.cleared`, after `quietMs`) and dropped from
 * the projection: a settlement walks only the batches still open or being
 * undone, not every batch ever aborted.
 */
export class BulkBatches {
  private readonly startedAt: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly model: ReadModel,
    private readonly handler: CommandHandler,
    private readonly opts: BulkBatchesOptions,
    /** Deletes one resource of an aborted batch (and gives its addresses back). */
    private readonly undo: (ctx: RequestContext, resource: 'port', id: string) => Promise<void>,
    private readonly log?: Logger,
  ) {
    this.startedAt = opts.startedAt ?? Date.now();
  }

  /** The record of one bulk request of `resource`. */
  record(ctx: RequestContext, resource: 'port'): BulkRecord {
    return {
      begin: async (count) => {
        const id = newId();
        const ids = Array.from({ length: count }, () => newId());
        const now = Date.now();
        await this.decide(ctx, id, {
          type: 'StartBulk', id, resource, ids, owner: this.opts.owner, now: new Date(now).toISOString(), deadline_at: new Date(now + this.opts.deadlineMs).toISOString(),
        });
        return {
          ids,
          check: () => {
            // Not kept any more (it was recorded before the first item): cleared after an abort.
            const batch = this.model.bulks.get(id)?.value;
            if (!batch || batch.status === 'aborted') throw bulkUndone(id);
          },
          commit: async () => void (await this.decide(ctx, id, { type: 'CommitBulk' })),
          abort: async (reason) => void (await this.decide(ctx, id, { type: 'AbortBulk', reason })),
        };
      },
    };
  }

  /** Aborts the dead open batches, undoes what aborted batches left, clears the aborted batches with nothing left. Resolves to the counts. */
  async settle(now = Date.now()): Promise<{ aborted: number; undone: number; cleared: number }> {
    let aborted = 0;
    let undone = 0;
    let cleared = 0;
    for (const [id, { value }] of [...this.model.bulks]) {
      if (!bulkIsStale(value, now, { owner: this.opts.owner, startedAt: this.startedAt })) continue;
      const reason = Date.parse(value.deadline_at) <= now ? 'the batch outlived its deadline' : `its gateway ${value.owner} restarted before the batch completed`;
      if ((await this.decide(SETTLEMENT, id, { type: 'AbortBulk', reason })).length) aborted++;
    }
    for (const { value } of [...this.model.bulks.values()]) {
      if (value.status !== 'aborted') continue;
      for (const pid of value.ids) {
        if (!this.model.ports.has(pid)) continue;
        try {
          await this.undo(SETTLEMENT, value.resource, pid);
          undone++;
        } catch (err) {
          this.log?.warn({ bulk: value.id, port: pid, err: (err as Error).message }, 'bulk settlement could not undo a port yet');
        }
      }
      const clear: BulkCommand = { type: 'ClearBulk', now: new Date(now).toISOString(), quietMs: this.opts.quietMs ?? 0 };
      if ((await this.decide(SETTLEMENT, value.id, clear)).length) cleared++;
    }
    if (aborted || undone) this.log?.info({ aborted, undone }, 'bulk settlement undid interrupted bulk creates');
    return { aborted, undone, cleared };
  }

  /** Settles now and then every `intervalMs` (never two at once). */
  start(intervalMs: number): void {
    const run = () => {
      this.running ??= this.settle()
        .catch((err: Error) => this.log?.warn({ err: err.message }, 'bulk settlement failed; it runs again'))
        .finally(() => (this.running = undefined));
    };
    run();
    if (intervalMs > 0) {
      this.timer = setInterval(run, intervalMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private decide(ctx: RequestContext, id: string, command: BulkCommand) {
    return this.handler.handle(ctx, {
      aggregate: aggregate('bulk', id),
      load: () => bulkState(this.model, id),
      decide: (s) => bulkDecider.decide(command, s),
    });
  }
}
