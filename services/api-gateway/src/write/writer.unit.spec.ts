import { ConcurrencyError, type NewEvent, type StoredEvent } from '@neutrino/events';
import type { CoreEvent } from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import { AppendNotStored, AppendOutcomeUnknown, provablyNotStored } from './append-outcome';
import { CommandHandler } from './command-handler';
import { withReservation } from './reservation';
import { Writer, type WriterProjection, type WriterStore } from './writer';

const ctx: RequestContext = { actor: { user_id: 'u', project_id: 'p', roles: [] }, requestId: 'req-1', baseUrl: 'http://x' };
const renamed: CoreEvent = { type: 'network.updated', data: { changes: { name: 'n' } } };
const net = { type: 'network' as const, id: 'n1' };

/** A log of one subject in memory; `script` decides what each publish does. */
function fakeStore(script: Array<'store' | 'store-then-fail' | 'fail' | 'conflict'>) {
  const log: StoredEvent[] = [];
  let calls = 0;
  const store: WriterStore = {
    async append(events: NewEvent[], opts) {
      const step = script[calls++] ?? 'store';
      if (step === 'conflict') throw new ConcurrencyError('evt.network.n1', opts?.expectedSubjectSeq ?? -1, log.length + 1);
      if (step === 'fail') throw Object.assign(new Error('TIMEOUT'), { code: 'TIMEOUT' });
      const out: StoredEvent[] = [];
      for (const e of events) {
        const dup = log.find((x) => x.id === e.id);
        if (dup) {
          out.push(dup);
          continue;
        }
        const s = { ...e, id: e.id!, at: 'now', schema: 1, seq: log.length + 1, subject: 'evt.network.n1' } as StoredEvent;
        log.push(s);
        out.push(s);
      }
      if (step === 'store-then-fail') throw Object.assign(new Error('TIMEOUT'), { code: 'TIMEOUT' });
      return out;
    },
    async findEvent(_subject, id, after = 0) {
      return log.find((e) => e.id === id && e.seq > after) ?? null;
    },
  };
  return { store, log, calls: () => calls };
}

const projection: WriterProjection = { waitFor: async () => undefined, catchUp: async () => undefined };

describe('Writer: a publish that ended without an answer', () => {
  it('publishes again with the same event id: stored once, answered as stored', async () => {
    const { store, log } = fakeStore(['store-then-fail', 'store']);
    const stored = await new Writer(store, projection).append(ctx, net, [renamed], 0);
    expect(log).toHaveLength(1);
    expect(stored[0].id).toBe(log[0].id);
    expect(stored[0].data).toEqual({ changes: { name: 'n' } });
  });

  it('stores it on the second publish when the first never reached the log', async () => {
    const { store, log } = fakeStore(['fail', 'store']);
    await new Writer(store, projection).append(ctx, net, [renamed], 0);
    expect(log).toHaveLength(1);
  });

  it('answers AppendNotStored (a release is safe) when the log refuses the retry and does not hold the event', async () => {
    const { store, log } = fakeStore(['fail', 'conflict']);
    const err = await new Writer(store, projection).append(ctx, net, [renamed], 0).catch((e) => e);
    expect(err).toBeInstanceOf(AppendNotStored);
    expect(provablyNotStored(err)).toBe(true);
    expect(log).toHaveLength(0);
  });

  it('answers AppendOutcomeUnknown (503, nothing released) when the retry gets no answer either', async () => {
    const { store } = fakeStore(['fail', 'fail']);
    const err = await new Writer(store, projection).append(ctx, net, [renamed], 0).catch((e) => e);
    expect(err).toBeInstanceOf(AppendOutcomeUnknown);
    expect(err.status).toBe(503);
    expect(provablyNotStored(err)).toBe(false);
  });

  it('passes a sequence conflict through untouched (the command handler re-decides)', async () => {
    const { store, calls } = fakeStore(['conflict']);
    await expect(new Writer(store, projection).append(ctx, net, [renamed], 0)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(calls()).toBe(1);
  });
});

describe('withReservation', () => {
  const run = async (failure: unknown) => {
    const released: string[] = [];
    const err = await withReservation(
      { reserve: async () => 'addr', release: async (r) => void released.push(r) },
      async () => {
        throw failure;
      },
    ).catch((e) => e);
    return { err, released };
  };

  it('releases after a failure that stored nothing', async () => {
    expect((await run(new AppendNotStored('evt.port.x', 'down'))).released).toEqual(['addr']);
    expect((await run(new Error('refused'))).released).toEqual(['addr']);
  });

  it('keeps the reservation when the append outcome is unknown', async () => {
    const { err, released } = await run(new AppendOutcomeUnknown('evt.port.x', 'timeout'));
    expect(err).toBeInstanceOf(AppendOutcomeUnknown);
    expect(released).toEqual([]);
  });

  it('keeps it after success', async () => {
    const released: string[] = [];
    const out = await withReservation({ reserve: async () => 'a', release: async (r) => void released.push(r) }, async (r) => `${r}!`);
    expect(out).toBe('a!');
    expect(released).toEqual([]);
  });
});

describe('CommandHandler', () => {
  it('re-decides on fresh state after lost races and appends the decision made on the last one', async () => {
    const { store, log } = fakeStore(['conflict', 'conflict', 'store']);
    const handler = new CommandHandler(new Writer(store, projection), { baseBackoffMs: 1 });
    let loads = 0;
    await handler.handle(ctx, {
      aggregate: net,
      load: () => ({ state: ++loads, seq: 0 }),
      decide: (n) => [{ type: 'network.updated', data: { changes: { name: `decided on load ${n}` } } }],
    });
    expect(loads).toBe(3);
    expect(log.map((e) => e.data)).toEqual([{ changes: { name: 'decided on load 3' } }]);
  });

  it('answers 409 Conflict (a NeutronError, not a 500) once the deadline has passed', async () => {
    const { store } = fakeStore(Array(1000).fill('conflict'));
    const handler = new CommandHandler(new Writer(store, projection), { deadlineMs: 20, baseBackoffMs: 1, capBackoffMs: 2 });
    const err = await handler.handle(ctx, { aggregate: net, load: () => ({ state: 0, seq: 0 }), decide: () => [renamed] }).catch((e) => e);
    expect(err).toMatchObject({ status: 409, type: 'Conflict' });
  });

  it('appends nothing when the decision is no events', async () => {
    const { store, calls } = fakeStore([]);
    const out = await new CommandHandler(new Writer(store, projection)).handle(ctx, { aggregate: net, load: () => ({ state: 0, seq: 0 }), decide: () => [] });
    expect(out).toEqual([]);
    expect(calls()).toBe(0);
  });
});
