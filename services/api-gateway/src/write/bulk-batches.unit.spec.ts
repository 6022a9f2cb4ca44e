import { ConcurrencyError, subjectOf, type NewEvent, type StoredEvent } from '@neutrino/events';
import type { Port } from '@neutrino/domain';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../http/request-context';
import { GatewayProjection } from '../read/gateway-projection';
import { ReadModel } from '../read/read-model';
import { createOneOrMany } from './bulk';
import { BulkBatches } from './bulk-batches';
import { CommandHandler } from './command-handler';
import { Writer, type WriterProjection, type WriterStore } from './writer';

const ctx: RequestContext = { actor: { user_id: 'u', project_id: 'p', roles: ['admin'] }, requestId: 'req-1', baseUrl: 'http://x' };
const OWNER = 'gw:9696';

/**
 * A log with per-subject expected sequences in memory, applied at once to a
 * GatewayProjection over a ReadModel (its SQLite rows faked away).
 */
function world() {
  const log: StoredEvent[] = [];
  const model = new ReadModel();
  const handler = new GatewayProjection(model);
  const rows = { delete: async () => undefined, upsert: async () => undefined } as unknown as EntityManager;
  let applied = 0;
  const store: WriterStore = {
    async append(events: NewEvent[], opts) {
      const subject = subjectOf(events[0].aggregate);
      const last = [...log].reverse().find((e) => e.subject === subject)?.seq ?? 0;
      if (opts?.expectedSubjectSeq !== undefined && opts.expectedSubjectSeq !== last) throw new ConcurrencyError(subject, opts.expectedSubjectSeq, last);
      return events.map((e) => {
        const s = { ...e, id: e.id!, at: new Date().toISOString(), schema: 1, seq: log.length + 1, subject } as StoredEvent;
        log.push(s);
        return s;
      });
    },
    async findEvent() {
      return null;
    },
  };
  const projection: WriterProjection = {
    waitFor: async () => {
      const fresh = log.slice(applied);
      applied = log.length;
      await handler.apply(rows, fresh);
      handler.committed();
    },
    catchUp: async () => projection.waitFor(0),
  };
  const commands = new CommandHandler(new Writer(store, projection), { deadlineMs: 100 });
  const port = (id: string): Port => ({ id, network_id: 'n1', project_id: 'p', fixed_ips: [], mac_address: 'fa:16:3e:00:00:01' }) as unknown as Port;
  const createPort = async (id: string) => {
    await commands.handle(ctx, { aggregate: { type: 'port', id }, load: () => ({ state: null, seq: model.ports.get(id)?.seq ?? 0 }), decide: () => [{ type: 'port.created', data: { port: port(id) } }] });
    return port(id);
  };
  const removePort = async (_c: RequestContext, _r: 'port', id: string) => {
    const v = model.ports.get(id);
    if (!v) return;
    await commands.handle(ctx, {
      aggregate: { type: 'port', id },
      load: () => ({ state: null, seq: model.ports.get(id)?.seq ?? 0 }),
      decide: () => [{ type: 'port.deleted', data: { port_id: id, network_id: 'n1', fixed_ips: [], mac_address: v.value.mac_address } }],
    });
  };
  const batches = (startedAt = Date.now(), deadlineMs = 60_000, quietMs = 0) => new BulkBatches(model, commands, { owner: OWNER, deadlineMs, startedAt, quietMs }, removePort);
  const types = (prefix: string) => log.filter((e) => e.type.startsWith(prefix)).map((e) => e.type);
  return { log, model, commands, batches, createPort, removePort, types };
}

const body = (n: number) => ({ ports: Array.from({ length: n }, (_, i) => ({ name: `p${i}` })) });

describe('bulk batches: all or nothing across a crash', () => {
  it('records the ids before the first port and commits after the last; the committed batch leaves the read model', async () => {
    const w = world();
    const b = w.batches();
    const { many } = await createOneOrMany(body(3), { singular: 'port', plural: 'ports' }, (_b, id) => w.createPort(id!), async () => undefined, b.record(ctx, 'port'));
    expect(w.log.map((e) => e.type)).toEqual(['bulk.started', 'port.created', 'port.created', 'port.created', 'bulk.committed']);
    const started = w.log[0].data as { batch: { ids: string[] } };
    expect(many!.map((p) => p.id)).toEqual(started.batch.ids);
    expect(w.model.bulks.size).toBe(0);
    expect(await b.settle()).toEqual({ aborted: 0, undone: 0, cleared: 0 });
  });

  it('a failing item undoes what was made and aborts the batch', async () => {
    const w = world();
    let n = 0;
    const createOne = async (_b: unknown, id?: string) => {
      if (n++ === 2) throw new Error('item 3 refused');
      return w.createPort(id!);
    };
    await expect(
      createOneOrMany(body(4), { singular: 'port', plural: 'ports' }, createOne, (p) => w.removePort(ctx, 'port', p.id), w.batches().record(ctx, 'port')),
    ).rejects.toThrow('item 3 refused');
    expect(w.types('bulk.')).toEqual(['bulk.started', 'bulk.aborted']);
    expect(w.model.ports.size).toBe(0);
  });

  it('a port of an aborted batch that cannot be undone yet keeps the batch: cleared only once it is gone', async () => {
    const w = world();
    const open = await w.batches(Date.now() - 10_000).record(ctx, 'port').begin(2);
    await w.createPort(open.ids[0]);
    let refuse = true;
    const undo = async (c: RequestContext, r: 'port', id: string) => {
      if (refuse) throw new Error('ipam away');
      await w.removePort(c, r, id);
    };
    const s = new BulkBatches(w.model, w.commands, { owner: OWNER, deadlineMs: 60_000, quietMs: 0, startedAt: Date.now() + 1 }, undo);
    expect(await s.settle(Date.now() + 2)).toEqual({ aborted: 1, undone: 0, cleared: 0 });
    expect(w.model.bulks.size).toBe(1);
    refuse = false;
    expect(await s.settle(Date.now() + 3)).toEqual({ aborted: 0, undone: 1, cleared: 1 });
    expect(w.model.bulks.size).toBe(0);
    expect(w.model.ports.size).toBe(0);
  });

  it('a bulk whose item the precheck refuses records nothing', async () => {
    const w = world();
    const precheck = (b: Record<string, unknown>) => {
      if ((b.port as { name: string }).name === 'p2') throw new Error('p2 refused');
    };
    await expect(
      createOneOrMany(body(4), { singular: 'port', plural: 'ports' }, (_b, id) => w.createPort(id!), async () => undefined, w.batches().record(ctx, 'port'), precheck),
    ).rejects.toThrow('p2 refused');
    expect(w.log).toEqual([]);
  });

  it('a batch its own gateway left open before it restarted is aborted at once and its ports deleted', async () => {
    const w = world();
    const dying = w.batches(Date.now() - 10_000);
    const open = await dying.record(ctx, 'port').begin(5);
    for (const id of open.ids.slice(0, 3)) await w.createPort(id); // then kill -9
    // Another gateway (another host:port) leaves it alone until the deadline.
    expect(await new BulkBatches(w.model, w.commands, { owner: 'other:9696', deadlineMs: 60_000 }, w.removePort).settle()).toEqual({ aborted: 0, undone: 0, cleared: 0 });
    const restarted = w.batches(Date.now() + 1, 60_000, 1_000);
    expect(await restarted.settle(Date.now() + 2)).toEqual({ aborted: 1, undone: 3, cleared: 0 });
    expect(w.model.ports.size).toBe(0);
    expect(w.types('bulk.')).toEqual(['bulk.started', 'bulk.aborted']);
    expect(await restarted.settle(Date.now() + 3)).toEqual({ aborted: 0, undone: 0, cleared: 0 });
    // none of its ports left, a quiet interval after the abort: cleared, and no longer in the projection
    expect(await restarted.settle(Date.now() + 2_000)).toEqual({ aborted: 0, undone: 0, cleared: 1 });
    expect(w.types('bulk.')).toEqual(['bulk.started', 'bulk.aborted', 'bulk.cleared']);
    expect(w.model.bulks.size).toBe(0);
    expect(await restarted.settle(Date.now() + 3_000)).toEqual({ aborted: 0, undone: 0, cleared: 0 });
    expect(w.types('bulk.')).toEqual(['bulk.started', 'bulk.aborted', 'bulk.cleared']);
  });

  it('a batch past its deadline is aborted by any gateway; its late commit is refused (409) and a port it makes after is swept', async () => {
    const w = world();
    const slow = w.batches(Date.now(), 1_000);
    const open = await slow.record(ctx, 'port').begin(3);
    await w.createPort(open.ids[0]);
    const other = new BulkBatches(w.model, w.commands, { owner: 'other:9696', deadlineMs: 1_000, quietMs: 10_000 }, w.removePort);
    const t0 = Date.now();
    expect(await other.settle(t0 + 5_000)).toEqual({ aborted: 1, undone: 1, cleared: 0 });
    expect(() => open.check()).toThrow(/undone/);
    await w.createPort(open.ids[1]); // an item already in flight when the abort landed
    await expect(open.commit()).rejects.toMatchObject({ status: 409 });
    // within the quiet interval the batch is kept, so the late item is swept
    expect(await other.settle(t0 + 6_000)).toEqual({ aborted: 0, undone: 1, cleared: 0 });
    expect(w.model.ports.size).toBe(0);
    expect(w.types('bulk.')).toEqual(['bulk.started', 'bulk.aborted']);
    expect(await other.settle(t0 + 20_000)).toEqual({ aborted: 0, undone: 0, cleared: 1 });
    expect(w.model.bulks.size).toBe(0);
    // a cleared batch's request is told it was undone (the batch is not kept any more)
    expect(() => open.check()).toThrow(/undone/);
  });

  it('a committed batch is never aborted', async () => {
    const w = world();
    const open = await w.batches().record(ctx, 'port').begin(2);
    for (const id of open.ids) await w.createPort(id);
    await open.commit();
    expect(await w.batches(Date.now() + 1).settle(Date.now() + 10_000_000)).toEqual({ aborted: 0, undone: 0, cleared: 0 });
    expect(w.model.ports.size).toBe(2);
  });
});
