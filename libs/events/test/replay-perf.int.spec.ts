import { EventStore } from '../src';
import { startNats, type NatsServer } from '@neutrino/testing';
import { ev, newId } from './helpers';

jest.setTimeout(180_000);

describe('replay throughput', () => {
  let server: NatsServer;
  let store: EventStore;
  const N = 100_000;

  beforeAll(async () => {
    server = await startNats();
    store = await EventStore.connect({ servers: server.url });
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it(`replays ${N} events in order`, async () => {
    const t0 = performance.now();
    const CONCURRENCY = 500;
    const prefix = newId();
    for (let i = 0; i < N; i += CONCURRENCY) {
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, N - i) }, (_, j) =>
          store.append([ev('port', `${prefix}-${i + j}`, 'port.created', { i: i + j, name: `port-${i + j}`, admin_state_up: true })]),
        ),
      );
    }
    const writeS = (performance.now() - t0) / 1000;
    expect(await store.lastSeq()).toBe(N);

    const t1 = performance.now();
    let expected = 1;
    let ordered = true;
    const last = await store.replay({}, (e) => {
      if (e.seq !== expected) ordered = false;
      expected++;
    });
    const replayS = (performance.now() - t1) / 1000;
    expect(last).toBe(N);
    expect(expected - 1).toBe(N);
    expect(ordered).toBe(true);

    const t2 = performance.now();
    let count = 0;
    const lastFiltered = await store.replay({ fromSeq: N / 2 + 1, filter: 'evt.port.*' }, async () => {
      count++;
    });
    const asyncS = (performance.now() - t2) / 1000;
    expect(lastFiltered).toBe(N);
    expect(count).toBe(N / 2);

    // A follower catching up from the start with a slow handler: backpressure, order, batching.
    const t3 = performance.now();
    let next = 1;
    let followOrdered = true;
    let batches = 0;
    let maxBatch = 0;
    const f = store.follow({ fromSeq: 1 }, async (batch) => {
      batches++;
      maxBatch = Math.max(maxBatch, batch.length);
      for (const e of batch) if (e.seq !== next++) followOrdered = false;
      await new Promise((r) => setTimeout(r, 2));
    });
    while (f.lastDelivered() < N) await new Promise((r) => setTimeout(r, 20));
    const followS = (performance.now() - t3) / 1000;
    await f.stop();
    expect(followOrdered).toBe(true);
    expect(next - 1).toBe(N);
    expect(maxBatch).toBeLessThanOrEqual(5_000);

    // Small batches: the queue passes its high-water mark, so flow-control
    // replies are withheld (server pauses) and released again; nothing lost.
    const t4 = performance.now();
    let next2 = 1;
    let ordered2 = true;
    const g = store.follow({ fromSeq: 1, maxBatch: 100 }, async (batch) => {
      for (const e of batch) if (e.seq !== next2++) ordered2 = false;
      await new Promise((r) => setImmediate(r));
    });
    while (g.lastDelivered() < N) await new Promise((r) => setTimeout(r, 20));
    const smallS = (performance.now() - t4) / 1000;
    await g.stop();
    expect(ordered2).toBe(true);
    expect(next2 - 1).toBe(N);

    console.log(
      `follow catch-up, batches of <= 100: ${N} events in ${smallS.toFixed(2)} s\n` +
      `follow catch-up from seq 1 (2 ms per batch): ${N} events in ${followS.toFixed(2)} s, ${batches} batches (max ${maxBatch})\n` +
      `bulk append (${CONCURRENCY} concurrent appends): ${N} events in ${writeS.toFixed(2)} s (${Math.round(N / writeS)}/s)\n` +
        `replay (sync handler): ${N} events in ${replayS.toFixed(2)} s (${Math.round(N / replayS)}/s)\n` +
        `replay (async handler, filtered, second half): ${N / 2} events in ${asyncS.toFixed(2)} s (${Math.round(N / 2 / asyncS)}/s)`,
    );
  });
});
