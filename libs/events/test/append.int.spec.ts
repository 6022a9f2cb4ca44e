import { connect, type NatsConnection } from 'nats';
import { ConcurrencyError, EventStore, subjectOf } from '../src';
import { startNats, type NatsServer } from '@neutrino/testing';
import { ev, newId } from './helpers';

jest.setTimeout(30_000);

describe('EventStore append', () => {
  let server: NatsServer;
  let store: EventStore;
  let raw: NatsConnection;

  beforeAll(async () => {
    server = await startNats();
    store = await EventStore.connect({ servers: server.url, name: 'append-test' });
    raw = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await raw?.close();
    await store?.close();
    await server?.stop();
  });

  it('stores events with seq, subject and filled defaults', async () => {
    const id = newId();
    const [a, b] = await store.append([ev('network', id, 'network.created', { name: 'n' }), ev('network', id, 'network.updated', { mtu: 1450 })]);
    expect(a.subject).toBe(`evt.network.${id}`);
    expect(b.seq).toBe(a.seq + 1);
    expect(a.schema).toBe(1);
    expect(typeof a.id).toBe('string');
    expect(await store.subjectLastSeq(a.subject)).toBe(b.seq);
    expect(await store.lastSeq()).toBeGreaterThanOrEqual(b.seq);
    expect(await store.readSubject(a.subject)).toEqual([a, b]);
  });

  it('rejects events of several aggregates in one call', async () => {
    await expect(store.append([ev('network', newId(), 'network.created', {}), ev('network', newId(), 'network.created', {})])).rejects.toThrow(/one aggregate/);
    await expect(store.append([ev('network', 'bad.id', 'network.created', {})])).rejects.toThrow(/invalid aggregate/);
  });

  it('expectedSubjectSeq = 0 lets the first "create" in and refuses a second one', async () => {
    const id = newId();
    const subject = subjectOf({ type: 'network', id });
    const [created] = await store.append([ev('network', id, 'network.created', { n: 1 })], { expectedSubjectSeq: 0 });
    const err = await store.append([ev('network', id, 'network.created', { n: 2 })], { expectedSubjectSeq: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(ConcurrencyError);
    expect(err).toMatchObject({ subject, expectedSeq: 0, actualSeq: created.seq });
    expect((await store.readSubject(subject)).map((e) => e.data)).toEqual([{ n: 1 }]);
  });

  it('really sends the expected-sequence header for 0 (stored with the message)', async () => {
    const id = newId();
    const [created] = await store.append([ev('network', id, 'network.created', {})], { expectedSubjectSeq: 0 });
    const jsm = await raw.jetstreamManager();
    const m = await jsm.streams.getMessage('NEUTRINO', { seq: created.seq });
    expect(m.header.get('Nats-Expected-Last-Subject-Sequence')).toBe('0');
    expect(m.header.get('Nats-Msg-Id')).toBe(created.id);
  });

  it('expectedSubjectSeq = the current last seq succeeds, a stale one fails', async () => {
    const id = newId();
    const [c] = await store.append([ev('router', id, 'router.created', {})], { expectedSubjectSeq: 0 });
    const [u] = await store.append([ev('router', id, 'router.updated', { v: 1 })], { expectedSubjectSeq: c.seq });
    expect(u.seq).toBeGreaterThan(c.seq);
    await expect(store.append([ev('router', id, 'router.updated', { v: 2 })], { expectedSubjectSeq: c.seq })).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('chains the expected sequence through a multi-event append', async () => {
    const id = newId();
    const out = await store.append(
      [ev('port', id, 'port.created', {}), ev('port', id, 'port.bound', {}), ev('port', id, 'ip.allocated', {})],
      { expectedSubjectSeq: 0 },
    );
    const jsm = await raw.jetstreamManager();
    const expected = await Promise.all(out.map(async (e) => (await jsm.streams.getMessage('NEUTRINO', { seq: e.seq })).header.get('Nats-Expected-Last-Subject-Sequence')));
    expect(expected).toEqual(['0', String(out[0].seq), String(out[1].seq)]);
  });

  it('deduplicates a retried identical event by Nats-Msg-Id', async () => {
    const id = newId();
    const event = ev('network', id, 'network.created', { x: 1 }, { id: newId(), at: new Date().toISOString() });
    const before = await store.lastSeq();
    const [first] = await store.append([event], { expectedSubjectSeq: 0 });
    // Retry of the same publish (e.g. after a lost PubAck): same id, same expected seq.
    const [retry] = await store.append([event], { expectedSubjectSeq: 0 });
    const [retryNoExpect] = await store.append([event]);
    expect(retry.seq).toBe(first.seq);
    expect(retryNoExpect.seq).toBe(first.seq);
    expect(await store.lastSeq()).toBe(before + 1);
    expect(await store.readSubject(first.subject)).toHaveLength(1);
  });

  it('two concurrent appenders with the same expected seq: exactly one wins', async () => {
    const other = await EventStore.connect({ servers: server.url, name: 'append-test-2' });
    try {
      for (let round = 0; round < 20; round++) {
        const id = newId();
        const [c] = await store.append([ev('subnet', id, 'subnet.created', {})], { expectedSubjectSeq: 0 });
        const results = await Promise.allSettled([
          store.append([ev('subnet', id, 'subnet.updated', { by: 'a' })], { expectedSubjectSeq: c.seq }),
          other.append([ev('subnet', id, 'subnet.updated', { by: 'b' })], { expectedSubjectSeq: c.seq }),
        ]);
        const ok = results.filter((r) => r.status === 'fulfilled');
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(ok).toHaveLength(1);
        expect(failed).toHaveLength(1);
        expect(failed[0].reason).toBeInstanceOf(ConcurrencyError);
        expect(await store.readSubject(c.subject)).toHaveLength(2);
      }
    } finally {
      await other.close();
    }
  });

  it('subjectLastSeq is 0 for an unknown subject', async () => {
    expect(await store.subjectLastSeq(`evt.network.${newId()}`)).toBe(0);
  });
});
