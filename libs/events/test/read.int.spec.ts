import { EventStore, type StoredEvent } from '../src';
import { startNats, type NatsServer } from '@neutrino/testing';
import { ev, newId } from './helpers';

jest.setTimeout(30_000);

describe('EventStore readSubject / replay', () => {
  let server: NatsServer;
  let store: EventStore;
  const netA = newId();
  const netB = newId();
  const all: StoredEvent[] = [];

  beforeAll(async () => {
    server = await startNats();
    store = await EventStore.connect({ servers: server.url });
    // Interleave two networks and one port so filters matter.
    for (let i = 0; i < 10; i++) {
      all.push(...(await store.append([ev('network', netA, 'network.updated', { i })])));
      all.push(...(await store.append([ev('network', netB, 'network.updated', { i })])));
      if (i % 3 === 0) all.push(...(await store.append([ev('port', newId(), 'port.created', { i })])));
    }
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('readSubject returns every event of one subject in order', async () => {
    const a = await store.readSubject(`evt.network.${netA}`);
    expect(a.map((e) => e.data)).toEqual(Array.from({ length: 10 }, (_, i) => ({ i })));
    expect(a).toEqual(all.filter((e) => e.aggregate.id === netA));
  });

  it('readSubject returns promptly (and empty) for a subject with no events', async () => {
    expect(await store.readSubject(`evt.network.${newId()}`)).toEqual([]);
    expect(await store.readSubject(`evt.nothing.*`)).toEqual([]);
  });

  it('replay delivers the whole stream in order and returns the last seq', async () => {
    const seen: number[] = [];
    const last = await store.replay({}, (e) => void seen.push(e.seq));
    expect(seen).toEqual(all.map((e) => e.seq));
    expect(last).toBe(all[all.length - 1].seq);
  });

  it('replay honours fromSeq, untilSeq and filter', async () => {
    const seen: StoredEvent[] = [];
    const last = await store.replay({ fromSeq: 5, untilSeq: 12 }, (e) => void seen.push(e));
    expect(seen.map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(last).toBe(12);

    const ports: StoredEvent[] = [];
    await store.replay({ filter: 'evt.port.*' }, (e) => void ports.push(e));
    expect(ports).toEqual(all.filter((e) => e.aggregate.type === 'port'));

    const none: StoredEvent[] = [];
    expect(await store.replay({ fromSeq: 1000 }, (e) => void none.push(e))).toBe(999);
    expect(await store.replay({ filter: 'evt.router.*' }, (e) => void none.push(e))).toBe(0);
    expect(none).toEqual([]);
  });

  it('replay stops at the head seen at its start even while appends continue', async () => {
    const head = await store.lastSeq();
    const seen: number[] = [];
    const last = await store.replay({}, async (e) => {
      seen.push(e.seq);
      if (e.seq === 1) await store.append([ev('network', netA, 'network.updated', { late: true })]);
    });
    expect(last).toBe(head);
    expect(seen[seen.length - 1]).toBe(head);
    expect(await store.lastSeq()).toBe(head + 1);
  });

  it('awaits async handlers one at a time and rejects with the handler error', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    await store.replay({ untilSeq: 10 }, async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
    });
    expect(maxInFlight).toBe(1);
    await expect(
      store.replay({}, (e) => {
        if (e.seq === 3) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});
