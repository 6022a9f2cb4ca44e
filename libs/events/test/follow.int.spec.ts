import { EventStore, type StoredEvent } from '../src';
import { startNats, waitFor, type NatsServer } from '@neutrino/testing';
import { deferred, ev, newId, percentile } from './helpers';

jest.setTimeout(60_000);

describe('EventStore.follow', () => {
  let server: NatsServer;
  let store: EventStore;

  beforeAll(async () => {
    server = await startNats();
    store = await EventStore.connect({ servers: server.url, name: 'follow-test' });
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  const appendMany = async (n: number, aggType = 'network') => {
    const out: StoredEvent[] = [];
    for (let i = 0; i < n; i++) out.push(...(await store.append([ev(aggType, newId(), `${aggType}.created`, { i })])));
    return out;
  };

  it('a follower restarted from its checkpoint sees exactly the events after it', async () => {
    const before = await appendMany(5);
    const seenA: number[] = [];
    const a = store.follow({ fromSeq: before[0].seq }, (batch) => void seenA.push(...batch.map((e) => e.seq)));
    await waitFor(() => a.lastDelivered() === before[4].seq);
    await a.stop();
    const checkpoint = a.lastDelivered();
    expect(seenA).toEqual(before.map((e) => e.seq));

    // Written while nobody follows.
    const during = await appendMany(7);
    const seenB: number[] = [];
    const b = store.follow({ fromSeq: checkpoint + 1 }, (batch) => void seenB.push(...batch.map((e) => e.seq)));
    const after = await appendMany(3);
    await waitFor(() => b.lastDelivered() === after[2].seq);
    await b.stop();
    const expected = [...during, ...after].map((e) => e.seq);
    expect(seenB).toEqual(expected);
    // No gap, no duplicate: contiguous stream sequences starting right after the checkpoint.
    expect(seenB).toEqual(Array.from({ length: expected.length }, (_, i) => checkpoint + 1 + i));
  });

  it('filters by subject and hands out the stored events with seq and subject', async () => {
    const id = newId();
    const start = (await store.lastSeq()) + 1;
    const got: StoredEvent[] = [];
    const f = store.follow({ fromSeq: start, filter: `evt.router.${id}` }, (batch) => void got.push(...batch));
    await appendMany(2, 'port');
    const mine = await store.append([ev('router', id, 'router.created', {}), ev('router', id, 'router.updated', { x: 1 })]);
    await waitFor(() => got.length === 2);
    await f.stop();
    expect(got).toEqual(mine);
  });

  it('coalesces bursts into batches and never overlaps onBatch calls', async () => {
    const start = (await store.lastSeq()) + 1;
    const batches: number[][] = [];
    let inFlight = 0;
    let overlap = false;
    const f = store.follow({ fromSeq: start }, async (batch) => {
      if (inFlight++ > 0) overlap = true;
      batches.push(batch.map((e) => e.seq));
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
    });
    const id = newId();
    // 200 concurrent appends to different aggregates arrive while the handler sleeps.
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.append([ev('port', `${id}-${i}`, 'port.created', { i })])));
    const head = await store.lastSeq();
    await waitFor(() => f.lastDelivered() === head);
    await f.stop();
    const flat = batches.flat();
    expect(flat).toEqual(Array.from({ length: head - start + 1 }, (_, i) => start + i));
    expect(overlap).toBe(false);
    expect(batches.length).toBeLessThan(200);
    console.log(`follow: 200 burst events arrived in ${batches.length} batches`);
  });

  it('retries a batch whose handler throws, without skipping or duplicating', async () => {
    const start = (await store.lastSeq()) + 1;
    const applied: number[] = [];
    let failuresLeft = 2;
    const errors: unknown[] = [];
    const f = store.follow(
      {
        fromSeq: start,
        onError: (err) => errors.push(err),
      },
      (batch) => {
        if (failuresLeft-- > 0) throw new Error('db down');
        applied.push(...batch.map((e) => e.seq));
      },
    );
    const evs = await appendMany(3);
    await waitFor(() => f.lastDelivered() === evs[2].seq);
    await f.stop();
    expect(applied).toEqual(evs.map((e) => e.seq));
    expect(errors).toHaveLength(2);
  });

  it('stop() waits for the in-flight onBatch to settle', async () => {
    const start = (await store.lastSeq()) + 1;
    const entered = deferred();
    let finished = false;
    const f = store.follow({ fromSeq: start }, async () => {
      entered.resolve();
      await new Promise((r) => setTimeout(r, 100));
      finished = true;
    });
    await appendMany(1);
    await entered.promise;
    await f.stop();
    expect(finished).toBe(true);
  });

  it('measures append latency and append -> onBatch latency', async () => {
    const start = (await store.lastSeq()) + 1;
    let waiter: ((seq: number) => void) | null = null;
    const f = store.follow({ fromSeq: start }, (batch) => {
      const at = performance.now();
      for (const e of batch) arrivals.set(e.seq, at);
      waiter?.(batch[batch.length - 1].seq);
    });
    const arrivals = new Map<number, number>();
    const appendMs: number[] = [];
    const lagMs: number[] = [];
    const endToEndMs: number[] = [];
    const N = 1000;
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const [e] = await store.append([ev('network', newId(), 'network.created', { i })], { expectedSubjectSeq: 0 });
      const t1 = performance.now();
      if (!arrivals.has(e.seq)) await new Promise<void>((r) => (waiter = (s) => s >= e.seq && r()));
      const t2 = arrivals.get(e.seq)!;
      appendMs.push(t1 - t0);
      lagMs.push(t2 - t1);
      endToEndMs.push(t2 - t0);
    }
    await f.stop();
    expect(arrivals.size).toBe(N);
    const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(3)} ms, p99 ${percentile(xs, 99).toFixed(3)} ms`;
    console.log(
      `latency over ${N} single-event appends (expectedSubjectSeq=0):\n` +
        `  append:            ${fmt(appendMs)}\n` +
        `  append resolved -> onBatch: ${fmt(lagMs)} (negative: onBatch ran before append resolved; ${lagMs.filter((x) => x <= 0).length}/${N})\n` +
        `  end to end:        ${fmt(endToEndMs)}`,
    );
  });
});
