import { EventStore } from '@neutrino/events';
import type { CoreEvent } from '@neutrino/domain';
import { startNats, waitFor, type NatsServer } from '@neutrino/testing';
import type { RequestContext } from '../http/request-context';
import { AppendOutcomeUnknown } from './append-outcome';
import { withReservation } from './reservation';
import { Writer } from './writer';

jest.setTimeout(120_000);

const ctx: RequestContext = { actor: { user_id: 'u', project_id: 'p', roles: [] }, requestId: 'req-stall', baseUrl: 'http://x' };

describe('Writer against a stalled nats-server', () => {
  let nats: NatsServer;
  let store: EventStore;

  beforeAll(async () => {
    nats = await startNats();
    // The stall below lasts ~30 s (two publishes of six attempts each). Pings every 10 s would call the connection stale
    // after about as long, depending on the load, and a stale connection drops what the client buffered for it: the
    // publish would then never land (a real outcome, which the 503 allows, but not the one this test is about).
    store = await EventStore.connect({ servers: nats.url, name: 'writer-stall-int', pingIntervalMs: 120_000 });
  });
  afterAll(async () => {
    if (nats) process.kill(nats.pid, 'SIGCONT');
    await store?.close();
    await nats?.stop();
  });

  it('answers 503 with the reservation kept when the server stalls past every timeout, and the event it could not confirm lands after all', async () => {
    const projection = { waitFor: async () => undefined, catchUp: async () => undefined };
    const writer = new Writer(store, projection);
    const port = { type: 'port' as const, id: 'stalled-port' };
    const renamed: CoreEvent = { type: 'port.updated', data: { changes: { name: 'renamed during a stall' } } };
    const released: string[] = [];

    process.kill(nats.pid, 'SIGSTOP');
    let err: unknown;
    try {
      err = await withReservation({ reserve: async () => '10.0.0.5', release: async (a) => void released.push(a) }, () =>
        writer.append(ctx, port, [renamed], 0),
      ).catch((e) => e);
    } finally {
      process.kill(nats.pid, 'SIGCONT');
    }

    expect(err).toBeInstanceOf(AppendOutcomeUnknown);
    expect((err as AppendOutcomeUnknown).status).toBe(503);
    expect(released).toEqual([]); // never compensated as if it had failed
    // The publish buffered while the server stood still is stored once it runs again (deduplicated by its id):
    // releasing the address would have handed it to a second port.
    const stored = await waitFor(async () => {
      const events = await store.readSubject('evt.port.stalled-port');
      return events.length ? events : undefined;
    }, { timeoutMs: 30_000 });
    expect(stored!.map((e) => e.type)).toEqual(['port.updated']);
    expect(stored![0].request_id).toBe('req-stall');
  });
});
