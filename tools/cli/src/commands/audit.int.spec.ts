import { Command } from 'commander';
import { EventStore } from '@neutrino/events';
import { startNats, type NatsServer } from '@neutrino/testing';
import { registerAudit } from './audit';

jest.setTimeout(60_000);

describe('neutrino audit over a trimmed log', () => {
  let nats: NatsServer;
  let store: EventStore;
  const env = { ...process.env };

  beforeAll(async () => {
    nats = await startNats();
    process.env.NEUTRINO_NATS_URL = nats.url;
    store = await EventStore.connect({ servers: nats.url });
  });
  afterAll(async () => {
    process.env = env;
    await store?.close();
    await nats?.stop();
  });

  const audit = async (...args: string[]) => {
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((l: string) => void lines.push(l));
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const program = new Command();
      registerAudit(program);
      await program.parseAsync(['node', 'neutrino', 'audit', ...args]);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    return lines;
  };

  it('shows the archived events and the live ones as one history', async () => {
    const actor = { user_id: 'alice', project_id: 'proj-a', roles: ['member'] };
    for (let i = 0; i < 30; i++) {
      await store.append([{ type: i % 2 ? 'port.updated' : 'port.created', aggregate: { type: 'port', id: `port-${i % 10}` }, actor, request_id: `req-${i}`, causation_id: null, data: {} }]);
    }
    await store.saveSnapshot('some-reader', { seq: 25, state: {} });
    const r = await store.compact();
    expect(r).toMatchObject({ from: 1, to: 25, archived: 25 });
    expect((await store.streamState()).messages).toBeLessThan(30);

    const all = (await audit('--json')).map((l) => JSON.parse(l) as { seq: number; request_id: string });
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // A filter on an archived request and on a resource whose history spans both parts.
    expect((await audit('--json', '--request-id', 'req-3')).map((l) => JSON.parse(l).seq)).toEqual([4]);
    expect((await audit('--json', '--resource', 'port-7')).map((l) => JSON.parse(l).seq)).toEqual([8, 18, 28]);
  });
});
