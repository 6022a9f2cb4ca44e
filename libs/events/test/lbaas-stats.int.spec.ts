import { EventStore, LBAAS_STATS_BUCKET } from '../src';
import { startNats, type NatsServer } from '@neutrino/testing';

jest.setTimeout(30_000);

describe('LbaasStatsBucket', () => {
  let server: NatsServer;
  let store: EventStore;

  beforeAll(async () => {
    server = await startNats();
    store = await EventStore.connect({ servers: server.url, name: 'lbaas-stats-test' });
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('keeps the last stats per load balancer in neutrino_lbaas_stats, read by another opener; zeros when absent or deleted', async () => {
    expect(LBAAS_STATS_BUCKET).toBe('neutrino_lbaas_stats');
    const writer = await store.lbaasStats();
    const reader = await store.lbaasStats();
    const id = '6a8a2e1c-49e4-4d8e-9c1f-0c3a0f2b5e11';
    const zero = { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0, listeners: {} };
    expect(await reader.get(id)).toEqual(zero);
    const counters = { bytes_in: 1, bytes_out: 2, active_connections: 0, total_connections: 3, request_errors: 0 };
    await writer.put(id, { ...counters, listeners: { l1: counters } });
    await writer.put(id, { ...counters, bytes_in: 10, listeners: { l1: { ...counters, bytes_in: 10 } } });
    expect(await reader.get(id)).toEqual({ ...counters, bytes_in: 10, listeners: { l1: { ...counters, bytes_in: 10 } } });
    await writer.delete(id);
    expect(await reader.get(id)).toEqual(zero);
  });
});
