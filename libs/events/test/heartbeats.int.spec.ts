import { nanos } from 'nats';
import { EventStore } from '../src';
import { waitFor } from '@neutrino/testing';

import { withNatsStore } from './helpers';

jest.setTimeout(60_000);

describe('heartbeats', () => {
  let store: EventStore;

  withNatsStore((s) => ({ store } = s));

  it('put / get / list / delete with host-name keys', async () => {
    const hb = await store.heartbeats('agents', 60_000);
    const before = Date.now();
    await hb.put('compute-1.example.org', { kind: 'ovs', up: true });
    await hb.put('net node #2', { kind: 'dhcp' });
    const got = await hb.get('compute-1.example.org');
    expect(got?.value).toEqual({ kind: 'ovs', up: true });
    expect(got!.updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(await hb.get('unknown-host')).toBeNull();

    const list = await hb.list();
    expect(list.map((e) => [e.key, e.value])).toEqual([
      ['compute-1.example.org', { kind: 'ovs', up: true }],
      ['net node #2', { kind: 'dhcp' }],
    ]);

    await hb.delete('net node #2');
    expect(await hb.get('net node #2')).toBeNull();
    expect((await hb.list()).map((e) => e.key)).toEqual(['compute-1.example.org']);
  });

  it('list of an empty bucket is empty (and returns)', async () => {
    const hb = await store.heartbeats('empty-bucket', 10_000);
    expect(await hb.list()).toEqual([]);
  });

  it('entries expire on the server after the TTL unless refreshed', async () => {
    const ttl = 1_500;
    const hb = await store.heartbeats('short-lived', ttl);
    const jsm = await store.connection.jetstreamManager();
    expect((await jsm.streams.info('KV_short-lived')).config.max_age).toBe(nanos(ttl));

    await hb.put('host-a', { n: 1 });
    await hb.put('host-b', { n: 1 });
    // Keep host-b alive while host-a ages out.
    const keepAlive = setInterval(() => void hb.put('host-b', { n: 2 }).catch(() => undefined), 300);
    try {
      await waitFor(async () => (await hb.get('host-a')) === null, { timeoutMs: 10_000 });
      // The server itself dropped it (not only the client-side age check).
      await waitFor(async () => {
        const kv = await store.connection.jetstream().views.kv('short-lived', { bindOnly: true });
        return (await kv.get('host-a')) === null;
      }, { timeoutMs: 10_000 });
      expect((await hb.get('host-b'))?.value).toEqual({ n: 2 });
      expect((await hb.list()).map((e) => e.key)).toEqual(['host-b']);
    } finally {
      clearInterval(keepAlive);
    }
    await waitFor(async () => (await jsm.streams.info('KV_short-lived')).state.messages === 0, { timeoutMs: 10_000 });
  });

  it('a followed bucket lists from memory: puts and deletes arrive, no consumer is made per list', async () => {
    const writer = await store.heartbeats('followed', 60_000);
    await writer.put('host-a', { n: 1 });
    const reader = await store.heartbeats('followed', 60_000);
    await reader.follow();
    expect((await reader.list()).map((e) => [e.key, e.value])).toEqual([['host-a', { n: 1 }]]);
    await writer.put('host-b.example.org', { n: 2 });
    await writer.put('host-a', { n: 3 });
    await waitFor(async () => (await reader.list()).some((e) => e.key === 'host-a' && e.value.n === 3) && (await reader.list()).length === 2, { timeoutMs: 10_000 });
    await writer.delete('host-b.example.org');
    await waitFor(async () => (await reader.list()).length === 1, { timeoutMs: 10_000 });

    const jsm = await store.connection.jetstreamManager();
    const consumers = (await jsm.streams.info('KV_followed')).state.consumer_count;
    for (let i = 0; i < 20; i++) await reader.list();
    // the watch's one consumer, nothing more for twenty lists
    expect((await jsm.streams.info('KV_followed')).state.consumer_count).toBe(consumers);
    expect(consumers).toBe(1);

    reader.stopFollowing();
    // without the watch it asks the server, with the same answer
    expect((await reader.list()).map((e) => [e.key, e.value])).toEqual([['host-a', { n: 3 }]]);
  });

  it('re-opening a bucket with another TTL updates its max_age', async () => {
    await store.heartbeats('retimed', 5_000);
    await store.heartbeats('retimed', 2_000);
    const jsm = await store.connection.jetstreamManager();
    expect((await jsm.streams.info('KV_retimed')).config.max_age).toBe(nanos(2_000));
  });
});
