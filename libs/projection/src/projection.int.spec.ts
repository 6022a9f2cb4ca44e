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
});
