import { EventStore, SNAPSHOT_BUCKET } from '../src';
import type { NatsServer } from '@neutrino/testing';

import { withNatsStore } from './helpers';

jest.setTimeout(60_000);

describe('snapshots', () => {
  let server: NatsServer;
  let store: EventStore;

  withNatsStore((s) => ({ server, store } = s));

  it('returns null when there is no snapshot', async () => {
    expect(await store.loadSnapshot('nothing-here')).toBeNull();
  });

  it('round-trips a 5 MB state through the object store', async () => {
    const ports = Array.from({ length: 25_000 }, (_, i) => ({
      id: `port-${i}`,
      mac: `fa:16:3e:${(i >> 16) & 0xff}:${(i >> 8) & 0xff}:${i & 0xff}`,
      fixed_ips: [{ subnet_id: 'sub-1', ip_address: `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}` }],
      description: 'x'.repeat(100),
    }));
    const state = { ports, version: 7 };
    const size = Buffer.byteLength(JSON.stringify(state));
    expect(size).toBeGreaterThan(5 * 1024 * 1024);

    await store.saveSnapshot('ports-projection', { seq: 12_345, state });
    const loaded = await store.loadSnapshot<typeof state>('ports-projection');
    expect(loaded?.seq).toBe(12_345);
    expect(loaded?.state).toEqual(state);

    // It really is an object in the object store bucket, not a KV value.
    const jsm = await store.connection.jetstreamManager();
    const info = await jsm.streams.info(`OBJ_${SNAPSHOT_BUCKET}`);
    expect(info.state.bytes).toBeGreaterThan(size);
  });

  it('a newer save replaces the older one', async () => {
    await store.saveSnapshot('small', { seq: 1, state: { a: 1 } });
    await store.saveSnapshot('small', { seq: 2, state: { a: 2 } });
    expect(await store.loadSnapshot('small')).toEqual({ seq: 2, state: { a: 2 } });
  });

  it('snapshots survive a second connection (another process)', async () => {
    const other = await EventStore.connect({ servers: server.url });
    try {
      expect(await other.loadSnapshot('small')).toEqual({ seq: 2, state: { a: 2 } });
    } finally {
      await other.close();
    }
  });
});
