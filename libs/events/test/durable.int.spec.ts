import { EventStore, type StoredEvent } from '../src';
import { startNats, waitFor, type NatsServer } from '@neutrino/testing';
import { ev, newId } from './helpers';

jest.setTimeout(60_000);

describe('EventStore.consumeDurable', () => {
  let server: NatsServer;
  let store: EventStore;

  beforeAll(async () => {
    server = await startNats();
    store = await EventStore.connect({ servers: server.url, warn: () => undefined });
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  const appendMany = async (aggType: string, n: number) => {
    const out: StoredEvent[] = [];
    for (let i = 0; i < n; i++) out.push(...(await store.append([ev(aggType, newId(), `${aggType}.created`, { i })])));
    return out;
  };

  it('is a real durable pull consumer with explicit ack', async () => {
    const f = await store.consumeDurable('worker-info', { filter: 'evt.router.*' }, async () => undefined);
    await f.stop();
    const jsm = await store.connection.jetstreamManager();
    const info = await jsm.consumers.info('NEUTRINO', 'worker-info');
    expect(info.config).toMatchObject({ durable_name: 'worker-info', ack_policy: 'explicit', filter_subject: 'evt.router.*' });
    expect(info.config.deliver_subject).toBeUndefined();
  });

  it('redelivers an event whose handler throws, keeping order', async () => {
    const evs = await appendMany('network', 3);
    const attempts: number[] = [];
    let failOnce = true;
    const errors: unknown[] = [];
    const f = await store.consumeDurable('worker-a', { filter: 'evt.network.*', onError: (e) => errors.push(e) }, async (e) => {
      attempts.push(e.seq);
      if (e.seq === evs[1].seq && failOnce) {
        failOnce = false;
        throw new Error('transient');
      }
    });
    await waitFor(() => f.lastDelivered() === evs[2].seq, { timeoutMs: 20_000 });
    await f.stop();
    expect(attempts).toEqual([evs[0].seq, evs[1].seq, evs[1].seq, evs[2].seq]);
    expect(errors).toHaveLength(1);
  });

  it('resumes after a stop where it left off (acked events are not redelivered)', async () => {
    const first = await appendMany('subnet', 3);
    const seen: number[] = [];
    const a = await store.consumeDurable('worker-b', { filter: 'evt.subnet.*' }, async (e) => void seen.push(e.seq));
    await waitFor(() => a.lastDelivered() === first[2].seq);
    await a.stop();

    const second = await appendMany('subnet', 2);
    const b = await store.consumeDurable('worker-b', { filter: 'evt.subnet.*' }, async (e) => void seen.push(e.seq));
    await waitFor(() => b.lastDelivered() === second[1].seq);
    await b.stop();
    expect(seen).toEqual([...first, ...second].map((e) => e.seq));
  });

  it('starts a new consumer at fromSeq', async () => {
    const evs = await appendMany('floatingip', 4);
    const seen: number[] = [];
    const f = await store.consumeDurable('worker-c', { filter: 'evt.floatingip.*', fromSeq: evs[2].seq }, async (e) => void seen.push(e.seq));
    await waitFor(() => f.lastDelivered() === evs[3].seq);
    await f.stop();
    expect(seen).toEqual([evs[2].seq, evs[3].seq]);
  });

  it('keeps consuming across a nats-server restart', async () => {
    const first = await appendMany('loadbalancer', 2);
    const seen: number[] = [];
    const f = await store.consumeDurable('worker-d', { filter: 'evt.loadbalancer.*' }, async (e) => void seen.push(e.seq));
    await waitFor(() => f.lastDelivered() === first[1].seq);
    await server.restart();
    const second = await appendMany('loadbalancer', 2);
    await waitFor(() => f.lastDelivered() === second[1].seq, { timeoutMs: 40_000 });
    await f.stop();
    // At-least-once: every event handled, in order; an unacked one may repeat.
    expect([...new Set(seen)]).toEqual([...first, ...second].map((e) => e.seq));
  });
});
