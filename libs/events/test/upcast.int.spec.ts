import { EventStore, type StoredEvent } from '../src';
import { startNats, waitFor, type NatsServer } from '@neutrino/testing';
import { ev, newId } from './helpers';

jest.setTimeout(30_000);

describe('upcasters on every read path', () => {
  let server: NatsServer;
  let writer: EventStore;
  let reader: EventStore;
  const id = newId();
  let stored: StoredEvent[];

  beforeAll(async () => {
    server = await startNats();
    writer = await EventStore.connect({ servers: server.url });
    reader = await EventStore.connect({ servers: server.url });
    // v1: { mac }  ->  v2: { mac_address }  ->  v3: adds { status }
    reader.registerUpcaster('port.created', 1, (d) => ({ mac_address: d.mac }));
    reader.registerUpcaster('port.created', 2, (d) => ({ ...d, status: 'DOWN' }));
    stored = await writer.append([
      ev('port', id, 'port.created', { mac: 'fa:16:3e:00:00:01' }, { schema: 1 }),
      ev('port', id, 'port.created', { mac_address: 'fa:16:3e:00:00:02' }, { schema: 2 }),
      ev('port', id, 'port.created', { mac_address: 'fa:16:3e:00:00:03', status: 'ACTIVE' }, { schema: 3 }),
      ev('port', id, 'port.updated', { name: 'x' }),
    ]);
  });
  afterAll(async () => {
    await reader?.close();
    await writer?.close();
    await server?.stop();
  });

  const expectUpcast = (events: StoredEvent[]) => {
    expect(events.map((e) => [e.schema, e.data])).toEqual([
      [3, { mac_address: 'fa:16:3e:00:00:01', status: 'DOWN' }],
      [3, { mac_address: 'fa:16:3e:00:00:02', status: 'DOWN' }],
      [3, { mac_address: 'fa:16:3e:00:00:03', status: 'ACTIVE' }],
      [1, { name: 'x' }],
    ]);
    expect(events.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
  };

  it('the stored data keeps its original schema', async () => {
    expect((await writer.readSubject(stored[0].subject))[0]).toMatchObject({ schema: 1, data: { mac: 'fa:16:3e:00:00:01' } });
  });

  it('readSubject', async () => {
    expectUpcast(await reader.readSubject(stored[0].subject));
  });

  it('replay', async () => {
    const got: StoredEvent[] = [];
    await reader.replay({ filter: stored[0].subject }, (e) => void got.push(e));
    expectUpcast(got);
  });

  it('follow', async () => {
    const got: StoredEvent[] = [];
    const f = reader.follow({ fromSeq: 1 }, (b) => void got.push(...b));
    await waitFor(() => got.length === 4);
    await f.stop();
    expectUpcast(got);
  });

  it('consumeDurable', async () => {
    const got: StoredEvent[] = [];
    const f = await reader.consumeDurable('upcast-test', { filter: 'evt.port.>' }, async (e) => void got.push(e));
    await waitFor(() => got.length === 4);
    await f.stop();
    expectUpcast(got);
  });
});
