import { deciderSpec } from '../decider-spec';
import { bulkDecider, bulkIsStale, type BulkBatch, type BulkCommand, type BulkEvent } from './decider';

const spec = deciderSpec(bulkDecider);
const now = '2026-01-01T00:00:00Z';
const start: BulkCommand = {
  type: 'StartBulk', id: 'b1', resource: 'port', ids: ['p1', 'p2', 'p3'], owner: 'gw:9696', now, deadline_at: '2026-01-01T00:05:00Z',
};
const batch: BulkBatch = { id: 'b1', resource: 'port', ids: ['p1', 'p2', 'p3'], owner: 'gw:9696', started_at: now, deadline_at: '2026-01-01T00:05:00Z', status: 'started' };
const started: BulkEvent = { type: 'bulk.started', data: { batch } };
const committed: BulkEvent = { type: 'bulk.committed', data: { bulk_id: 'b1' } };
const aborted: BulkEvent = { type: 'bulk.aborted', data: { bulk_id: 'b1', reason: 'crash' } };

describe('bulk decider: a recorded batch is committed or aborted, never both', () => {
  it('records the batch with its ids before any resource', () => {
    spec.given().when(start).then([started]);
  });

  it('refuses a second start of one batch, an empty batch and a batch naming an id twice', () => {
    spec.given([started]).when(start).then({ status: 409, type: 'Conflict' });
    spec.given().when({ ...start, ids: [] }).then({ status: 400, type: 'HTTPBadRequest' });
    spec.given().when({ ...start, ids: ['p1', 'p1'] }).then({ status: 400, type: 'HTTPBadRequest' });
  });

  it('commits an open batch once', () => {
    spec.given([started]).when({ type: 'CommitBulk' }).then([committed]);
    spec.given([started, committed]).when({ type: 'CommitBulk' }).then([]);
  });

  it('refuses to commit a batch that was aborted (the settlement undid it first)', () => {
    spec.given([started, aborted]).when({ type: 'CommitBulk' }).then({ status: 409, type: 'Conflict' });
    spec.given([]).when({ type: 'CommitBulk' }).then({ status: 409, type: 'Conflict' });
  });

  it('aborts only an open batch: a committed one stands', () => {
    spec.given([started]).when({ type: 'AbortBulk', reason: 'crash' }).then([aborted]);
    spec.given([started, committed]).when({ type: 'AbortBulk', reason: 'crash' }).then([]);
    spec.given([started, aborted]).when({ type: 'AbortBulk', reason: 'again' }).then([]);
    spec.given([]).when({ type: 'AbortBulk', reason: 'crash' }).then([]);
  });

  it('clears an aborted batch once none of its resources is left and it has been quiet for quietMs; not before, not a started one', () => {
    const cleared: BulkEvent = { type: 'bulk.cleared', data: { bulk_id: 'b1' } };
    const AT = Date.parse('2026-01-01T00:00:00Z'); // the time deciderSpec stamps on the given events
    const at = (ms: number) => new Date(AT + ms).toISOString();
    spec.given([started, aborted], { left: [] }).when({ type: 'ClearBulk', now: at(1_000), quietMs: 1_000 }).then([cleared]);
    spec.given([started, aborted], { left: [] }).when({ type: 'ClearBulk', now: at(999), quietMs: 1_000 }).then([]);
    spec.given([started, aborted], { left: ['p2'] }).when({ type: 'ClearBulk', now: at(60_000), quietMs: 1_000 }).then([]);
    spec.given([started], { left: [] }).when({ type: 'ClearBulk', now: at(60_000), quietMs: 0 }).then([]);
    spec.given([started, aborted, cleared], { left: [] }).when({ type: 'ClearBulk', now: at(60_000), quietMs: 0 }).then([]);
  });

  it('a cleared batch is finished with: not kept, a late commit refused, a late abort nothing', () => {
    const cleared: BulkEvent = { type: 'bulk.cleared', data: { bulk_id: 'b1' } };
    expect(spec.given([started, aborted]).state.batch?.aborted_at).toBe('2026-01-01T00:00:00Z');
    expect(spec.given([started, aborted, cleared]).state.batch).toBeUndefined();
    spec.given([started, aborted, cleared]).when({ type: 'CommitBulk' }).then({ status: 409, type: 'Conflict' });
    spec.given([started, aborted, cleared]).when({ type: 'AbortBulk', reason: 'again' }).then([]);
  });

  it('folds the events into the batch status', () => {
    expect(spec.given([started]).state.batch?.status).toBe('started');
    expect(spec.given([started, committed]).state.batch?.status).toBe('committed');
    expect(spec.given([started, aborted]).state.batch?.status).toBe('aborted');
  });

  it('calls an open batch stale past its deadline, or when its own gateway started again after it', () => {
    const self = { owner: 'gw:9696', startedAt: Date.parse(now) - 1000 };
    expect(bulkIsStale(batch, Date.parse(now) + 1000, self)).toBe(false);
    expect(bulkIsStale(batch, Date.parse('2026-01-01T00:05:00Z'), self)).toBe(true);
    expect(bulkIsStale(batch, Date.parse(now) + 1000, { ...self, startedAt: Date.parse(now) + 500 })).toBe(true);
    expect(bulkIsStale(batch, Date.parse(now) + 1000, { owner: 'other:9696', startedAt: Date.parse(now) + 500 })).toBe(false);
    expect(bulkIsStale({ ...batch, status: 'committed' }, Date.parse('2026-01-02T00:00:00Z'), self)).toBe(false);
  });
});
