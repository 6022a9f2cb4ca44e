import { EventStore } from '../src';
import { ev, withNatsStore } from './helpers';

jest.setTimeout(60_000);

describe('retention while readers follow the live log', () => {
  let store: EventStore;

  withNatsStore((s) => ({ store } = s));

  it('a follower misses no event appended while older subjects are trimmed', async () => {
    for (let i = 0; i < 300; i++) {
      await store.append([ev('port', `old${i}`, 'port.created', {})]);
      await store.append([ev('port', `old${i}`, 'port.deleted', {})]);
    }
    const seen: number[] = [];
    const f = store.follow({ fromSeq: (await store.lastSeq()) + 1 }, (b) => void seen.push(...b.map((e) => e.seq)));
    await store.saveSnapshot('r', { seq: await store.lastSeq(), state: {} });
    const appended: number[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) appended.push((await store.append([ev('port', `new${i}`, 'port.created', {})]))[0].seq);
    })();
    const r = await store.compact({ finalTypes: ['port.deleted'] });
    stop = true;
    await writer;
    expect(r.closed).toBe(300);
    const last = appended[appended.length - 1];
    for (let t = 0; t < 100 && !seen.includes(last); t++) await new Promise((res) => setTimeout(res, 50));
    await f.stop();
    expect(seen).toEqual(appended);
  });
});
