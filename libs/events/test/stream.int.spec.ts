import { connect, nanos, type NatsConnection } from 'nats';
import { EventStore } from '../src';
import { startNats, type NatsServer } from '@neutrino/testing';
import { ev, newId } from './helpers';

jest.setTimeout(30_000);

describe('EventStore.ensureStream', () => {
  let server: NatsServer;
  let raw: NatsConnection;
  const stores: EventStore[] = [];

  beforeAll(async () => {
    server = await startNats();
    raw = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await Promise.allSettled(stores.map((s) => s.close()));
    await raw?.close();
    await server?.stop();
  });

  const open = async (stream?: string) => {
    const s = await EventStore.connect({ servers: server.url, stream });
    stores.push(s);
    return s;
  };

  it('creates the stream concurrently from several stores on a fresh server', async () => {
    const results = await Promise.allSettled([open(), open(), open()]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
  });

  it('creates the stream with the event-log settings', async () => {
    const store = stores[0];
    const info = await (await raw.jetstreamManager()).streams.info('NEUTRINO');
    expect(info.config).toMatchObject({
      subjects: ['evt.>'],
      storage: 'file',
      retention: 'limits',
      max_age: 0,
      duplicate_window: nanos(120_000),
      num_replicas: 1,
      allow_direct: true,
    });
    expect(await store.lastSeq()).toBe(0);
  });

  it('is idempotent: twice in a row, and from two stores at once, keeping the data', async () => {
    const store = await open();
    await store.append([ev('network', newId(), 'network.created', {})]);
    await store.ensureStream();
    await store.ensureStream();
    const [a, b] = await Promise.all([open(), open()]);
    await Promise.all([a.ensureStream(), b.ensureStream(), store.ensureStream()]);
    expect(await a.lastSeq()).toBe(1);
    const jsm = await raw.jetstreamManager();
    const names: string[] = [];
    for await (const n of jsm.streams.names()) names.push(n);
    expect(names.filter((n) => n === 'NEUTRINO')).toHaveLength(1);
  });

  it('brings an existing stream with drifted settings back in line', async () => {
    const jsm = await raw.jetstreamManager();
    const info0 = await jsm.streams.info('NEUTRINO');
    await jsm.streams.update('NEUTRINO', { ...info0.config, duplicate_window: nanos(10_000), allow_direct: false });
    const store = await open();
    await store.ensureStream();
    const info = await jsm.streams.info('NEUTRINO');
    expect(info.config.duplicate_window).toBe(nanos(120_000));
    expect(info.config.allow_direct).toBe(true);
  });
});
