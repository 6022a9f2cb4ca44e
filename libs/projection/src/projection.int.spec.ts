import { Column, Entity, PrimaryColumn, type DataSource, type EntityManager } from 'typeorm';
import { EventStore, type StoredEvent } from '@neutrino/events';
import { startNats, type NatsServer } from '@neutrino/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProjectionCheckpoint } from './checkpoint.entity';
import { Projection, type ProjectionHandler } from './projection';
import { openSqlite } from './sqlite';

@Entity({ name: 'counters' })
class Counter {
  @PrimaryColumn({ type: 'varchar' })
  id: string;

  @Column({ type: 'integer' })
  value: number;
}

class CounterHandler implements ProjectionHandler {
  readonly name = 'counters';
  failOn: number | null = null;
  async apply(m: EntityManager, events: StoredEvent[]): Promise<void> {
    for (const e of events) {
      if (e.seq === this.failOn) throw new Error('boom');
      const row = await m.findOneBy(Counter, { id: e.aggregate.id });
      await m.save(Counter, { id: e.aggregate.id, value: (row?.value ?? 0) + 1 });
    }
  }
  async reset(m: EntityManager): Promise<void> {
    await m.clear(Counter);
  }
}

describe('Projection', () => {
  let nats: NatsServer;
  let store: EventStore;
  let dir: string;
  const sources: DataSource[] = [];
  const open = async () => {
    const ds = await openSqlite(path.join(dir, 'p.sqlite'), [Counter]);
    sources.push(ds);
    return ds;
  };
  const append = (id: string) =>
    store.append([{ type: 'thing.happened', aggregate: { type: 'thing', id }, actor: { user_id: null, project_id: 'p', roles: [] }, request_id: null, causation_id: null, data: {} }]);

  beforeAll(async () => {
    nats = await startNats();
    store = await EventStore.connect({ servers: nats.url });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'projection-'));
  });
  afterAll(async () => {
    for (const ds of sources) if (ds.isInitialized) await ds.destroy();
    await store?.close();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies events, waits for a sequence, resumes from its checkpoint and rebuilds from the log', async () => {
    const ds = await open();
    const p = new Projection(store, ds, new CounterHandler());
    await p.start();
    let last = 0;
    for (const id of ['a', 'b', 'a']) last = (await append(id))[0].seq;
    await p.waitFor(last);
    expect(await ds.getRepository(Counter).findOneByOrFail({ id: 'a' })).toMatchObject({ value: 2 });
    expect(await ds.getRepository(ProjectionCheckpoint).findOneByOrFail({ name: 'counters' })).toMatchObject({ seq: last });
    await p.stop();

    // Events while stopped are applied exactly once after a restart.
    last = (await append('a'))[0].seq;
    const p2 = new Projection(store, ds, new CounterHandler());
    await p2.start();
    await p2.waitFor(last);
    expect(await ds.getRepository(Counter).findOneByOrFail({ id: 'a' })).toMatchObject({ value: 3 });

    // Rebuild: same rows from the log alone.
    await ds.getRepository(Counter).save({ id: 'a', value: 99 });
    expect(await p2.rebuild()).toBe(last);
    expect(await ds.getRepository(Counter).findOneByOrFail({ id: 'a' })).toMatchObject({ value: 3 });
    expect(await ds.getRepository(Counter).findOneByOrFail({ id: 'b' })).toMatchObject({ value: 1 });
    await p2.stop();
  });

  it('never half-applies a batch: rows and checkpoint roll back together', async () => {
    const ds = sources[0];
    const handler = new CounterHandler();
    const before = (await ds.getRepository(ProjectionCheckpoint).findOneByOrFail({ name: 'counters' })).seq;
    handler.failOn = before + 2;
    await append('c');
    await append('c');
    const p = new Projection(store, ds, handler);
    const applyAll = (p as any).applyBatch.bind(p) as (b: StoredEvent[]) => Promise<void>;
    const batch: StoredEvent[] = [];
    await store.replay({ fromSeq: before + 1 }, (e) => void batch.push(e));
    await expect(applyAll(batch)).rejects.toThrow('boom');
    expect(await ds.getRepository(Counter).findOneBy({ id: 'c' })).toBeNull();
    expect((await ds.getRepository(ProjectionCheckpoint).findOneByOrFail({ name: 'counters' })).seq).toBe(before);
  });

  it('an empty database starts from the latest snapshot, replays only the tail and ends as a full replay', async () => {
    const handler = new CounterHandler();
    const ds = await open();
    const p = new Projection(store, ds, handler);
    await p.start();
    await p.catchUp();
    for (const id of ['s1', 's2', 's1']) await append(id);
    await p.catchUp();
    const snapSeq = await p.saveSnapshot();
    expect(snapSeq).toBe(await store.lastSeq());
    await p.stop();
    const tail = [await append('s1'), await append('s3')];
    const head = tail[1][0].seq;

    // A new replica with no database of its own.
    const fresh = await openSqlite(path.join(dir, 'fresh.sqlite'), [Counter]);
    sources.push(fresh);
    const seen: number[] = [];
    const counting: ProjectionHandler = {
      name: 'counters',
      apply: (m, events) => (seen.push(...events.map((e) => e.seq)), handler.apply(m, events)),
      reset: (m) => handler.reset(m),
    };
    const p2 = new Projection(store, fresh, counting);
    await p2.start();
    await p2.waitFor(head);
    expect(p2.restoredFrom).toBe(snapSeq);
    expect(seen).toEqual([snapSeq + 1, head]);
    await p2.stop();

    // The same rows as a projection that replays the whole log.
    const full = await openSqlite(path.join(dir, 'full.sqlite'), [Counter]);
    sources.push(full);
    await store.removeSnapshot('projection.counters');
    const p3 = new Projection(store, full, new CounterHandler());
    await p3.start();
    await p3.waitFor(head);
    expect(p3.restoredFrom).toBe(0);
    await p3.stop();
    const rows = async (d: DataSource) => (await d.getRepository(Counter).find()).sort((a, b) => a.id.localeCompare(b.id));
    expect(await rows(fresh)).toEqual(await rows(full));
    expect((await rows(fresh)).find((r) => r.id === 's1')).toMatchObject({ value: 3 });
  });
});
