import { connect } from 'nats';
import { ConcurrencyError, EventStore, type StoredEvent } from '../src';
import { startNats } from '@neutrino/testing';
import { ev, withNatsStore } from './helpers';

jest.setTimeout(60_000);

describe('retention: archive, then trim', () => {
  let store: EventStore;

  withNatsStore((s) => ({ store } = s));

  const all = async (s: EventStore, filter?: string) => {
    const out: StoredEvent[] = [];
    await s.replay({ fromSeq: 1, filter }, (e) => void out.push(e));
    return out;
  };

  it('trims what every snapshot covers but each subject\'s last message, and a replay from 1 still reads the whole history', async () => {
    // 10 things with 5 events each, interleaved; 'keep' gets one more later.
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 10; i++) await store.append([ev('thing', `t${i}`, `thing.v${round}`, { round, i })]);
    }
    const before = await all(store);
    expect(before).toHaveLength(50);
    expect(await store.compact()).toMatchObject({ archived: 0, skipped: 'no snapshot' });

    await store.saveSnapshot('reader-a', { seq: 40, state: {} });
    await store.saveSnapshot('reader-b', { seq: 45, state: {} });
    expect(await store.compact({ requiredSnapshots: ['reader-a', 'reader-c'] })).toMatchObject({ archived: 0, skipped: 'no snapshot yet of reader-c' });
    const report = await store.compact();
    // Everything up to the oldest snapshot (40) is archived and trimmed (each thing's last message is in 41..50).
    expect(report).toMatchObject({ from: 1, to: 40, archived: 40, subjects: 10, purged: 40 });
    expect(await store.archivedSeq()).toBe(40);
    const state = await store.streamState();
    expect(state.messages).toBe(10);
    expect(state.firstSeq).toBe(41);
    expect(state.lastSeq).toBe(50);

    // A replay from 1 is the same history, archive then stream; with a filter too.
    expect((await all(store)).map((e) => [e.seq, e.id, e.type])).toEqual(before.map((e) => [e.seq, e.id, e.type]));
    expect((await all(store, 'evt.thing.t3')).map((e) => e.seq)).toEqual([4, 14, 24, 34, 44]);
    expect((await store.readSubject('evt.thing.t3')).map((e) => e.seq)).toEqual([4, 14, 24, 34, 44]);
    // A replay from after the archive reads only the stream.
    expect((await (async () => { const o: number[] = []; await store.replay({ fromSeq: 46 }, (e) => void o.push(e.seq)); return o; })())).toEqual([46, 47, 48, 49, 50]);

    // Nothing more to do until the snapshots move.
    expect((await store.compact()).archived).toBe(0);
  });

  it('keeps the last message of a subject that stopped, so optimistic concurrency on it still works', async () => {
    const [quiet] = await store.append([ev('thing', 'quiet', 'thing.made', {})]);
    await store.append([ev('thing', 'quiet', 'thing.changed', {})], { expectedSubjectSeq: quiet.seq });
    const last = quiet.seq + 1;
    for (let i = 0; i < 5; i++) await store.append([ev('other', 'busy', 'other.tick', { i })]);
    const head = await store.lastSeq();
    await store.saveSnapshot('reader-a', { seq: head, state: {} });
    await store.saveSnapshot('reader-b', { seq: head, state: {} });
    const r = await store.compact({ keepEvents: 2 });
    expect(r.to).toBe(head - 2);
    expect(await store.subjectLastSeq('evt.thing.quiet')).toBe(last);
    await expect(store.append([ev('thing', 'quiet', 'thing.changed', {})], { expectedSubjectSeq: last - 1 })).rejects.toBeInstanceOf(ConcurrencyError);
    const [next] = await store.append([ev('thing', 'quiet', 'thing.changed', {})], { expectedSubjectSeq: last });
    expect((await store.readSubject('evt.thing.quiet')).map((e) => e.seq)).toEqual([quiet.seq, last, next.seq]);
  });

  it('trims a subject whose last event is final whole, and keeps one that was appended to after it', async () => {
    const [made] = await store.append([ev('gone', 'g1', 'gone.created', {})]);
    await store.append([ev('gone', 'g1', 'gone.deleted', {})], { expectedSubjectSeq: made.seq });
    const [made2] = await store.append([ev('gone', 'g2', 'gone.created', {})]);
    for (let i = 0; i < 3; i++) await store.append([ev('other', 'busy', 'other.tick', { i })]);
    const head = await store.lastSeq();
    await store.saveSnapshot('reader-a', { seq: head, state: {} });
    await store.saveSnapshot('reader-b', { seq: head, state: {} });
    const r = await store.compact({ finalTypes: ['gone.deleted'] });
    expect(r.closed).toBe(1);
    expect(await store.subjectLastSeq('evt.gone.g1')).toBe(0);
    expect(await store.subjectLastSeq('evt.gone.g2')).toBe(made2.seq);
    // Still in the history.
    expect((await store.readSubject('evt.gone.g1')).map((e) => e.type)).toEqual(['gone.created', 'gone.deleted']);
  });

  it('a stream made before the rule (deny_delete) is archived but not trimmed', async () => {
    const other = await startNats();
    const nc = await connect({ servers: other.url });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'OLD', subjects: ['evt.>'], deny_purge: true, deny_delete: true, allow_direct: true });
    await nc.close();
    // The store takes the stream over as it is: deny_delete cannot be cancelled.
    const old = await EventStore.connect({ servers: other.url, stream: 'OLD' });
    try {
      for (let i = 0; i < 4; i++) await old.append([ev('x', `x${i}`, 'x.made', {})]);
      await old.saveSnapshot('reader', { seq: 4, state: {} });
      const r = await old.compact();
      expect(r.archived).toBe(4);
      expect(r.skipped).toMatch(/denies deletes/);
      expect((await old.streamState()).messages).toBe(4);
      expect((await all(old)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    } finally {
      await old.close();
      await other.stop();
    }
  });
});
