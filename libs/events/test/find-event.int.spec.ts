import { EventStore, subjectOf } from '../src';
import { startNats, type NatsServer } from '@neutrino/testing';
import { ev, newId } from './helpers';

jest.setTimeout(30_000);

describe('EventStore.findEvent', () => {
  let server: NatsServer;
  let store: EventStore;

  beforeAll(async () => {
    server = await startNats();
    store = await EventStore.connect({ servers: server.url, name: 'find-event-test' });
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('finds an event by its id after a sequence, and answers null for one that is not on the subject', async () => {
    const id = newId();
    const subject = subjectOf({ type: 'port', id });
    const [a, b] = await store.append([ev('port', id, 'port.created', { n: 1 }), ev('port', id, 'port.updated', { n: 2 })], { expectedSubjectSeq: 0 });
    await store.append([ev('port', newId(), 'port.created', { other: true })]);
    expect(await store.findEvent(subject, b.id)).toEqual(b);
    expect(await store.findEvent(subject, b.id, a.seq)).toEqual(b);
    expect(await store.findEvent(subject, a.id, a.seq)).toBeNull();
    expect(await store.findEvent(subject, newId())).toBeNull();
    expect(await store.findEvent(subjectOf({ type: 'port', id: newId() }), a.id)).toBeNull();
  });
});
