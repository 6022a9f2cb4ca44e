import { EventStore, type StoredEvent } from '../src';
import { startNats, waitFor, type NatsServer } from '@neutrino/testing';
import { ev, newId } from './helpers';

jest.setTimeout(90_000);

describe('follow across nats-server restarts', () => {
  let server: NatsServer;
  let writer: EventStore;
  let reader: EventStore;

  beforeAll(async () => {
    server = await startNats();
    writer = await EventStore.connect({ servers: server.url, name: 'writer' });
    reader = await EventStore.connect({ servers: server.url, name: 'reader', warn: () => undefined });
  });
  afterAll(async () => {
    await reader?.close();
    await writer?.close();
    await server?.stop();
  });

  const appendMany = async (n: number) => {
    const out: StoredEvent[] = [];
    for (let i = 0; i < n; i++) out.push(...(await writer.append([ev('network', newId(), 'network.created', { i })])));
    return out;
  };

  it.each([
    ['graceful restart', { signal: 'SIGTERM' as const }],
    ['crash with downtime', { signal: 'SIGKILL' as const, downMs: 1_500 }],
  ])('keeps delivering, with no gap and no duplicate, after a %s', async (_label, restartOpts) => {
    const fromSeq = (await writer.lastSeq()) + 1;
    const seen: number[] = [];
    const f = reader.follow({ fromSeq }, (batch) => void seen.push(...batch.map((e) => e.seq)));
    const first = await appendMany(5);
    await waitFor(() => f.lastDelivered() === first[4].seq);

    await server.restart(restartOpts);

    // The writer's append retries transient failures while its connection comes back.
    const second = await waitFor(() => appendMany(5), { timeoutMs: 20_000 });
    await waitFor(() => f.lastDelivered() === second[4].seq, { timeoutMs: 20_000 });
    const third = await appendMany(3);
    await waitFor(() => f.lastDelivered() === third[2].seq, { timeoutMs: 20_000 });
    await f.stop();

    const head = third[2].seq;
    expect(seen).toEqual(Array.from({ length: head - fromSeq + 1 }, (_, i) => fromSeq + i));
  });

  it('recovers when its server-side consumer disappears without a disconnect (heartbeat watchdog)', async () => {
    const fromSeq = (await writer.lastSeq()) + 1;
    const seen: number[] = [];
    const f = reader.follow({ fromSeq }, (batch) => void seen.push(...batch.map((e) => e.seq)));
    const first = await appendMany(2);
    await waitFor(() => f.lastDelivered() === first[1].seq);

    const jsm = await writer.connection.jetstreamManager();
    for await (const c of jsm.consumers.list('NEUTRINO')) await jsm.consumers.delete('NEUTRINO', c.name);

    const second = await appendMany(3);
    await waitFor(() => f.lastDelivered() === second[2].seq, { timeoutMs: 20_000 });
    await f.stop();
    expect(seen).toEqual(Array.from({ length: second[2].seq - fromSeq + 1 }, (_, i) => fromSeq + i));
  });
});
