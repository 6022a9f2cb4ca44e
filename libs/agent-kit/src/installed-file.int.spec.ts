import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryDriver, NEUTRON_OWNERSHIP, hostState, type HostState, type Scope } from '@neutrino/dataplane';
import { EventStore, type StoredEvent } from '@neutrino/events';
import { createLogger } from '@neutrino/observability';
import { startNats, type NatsServer } from '@neutrino/testing';
import { AgentRunner } from './agent-runner';
import type { HostView } from './host-view';

/** Every bridge.wanted event wants a bridge brq<name>. */
class BridgeView implements HostView {
  readonly bridges = new Set<string>();
  apply(e: StoredEvent): boolean {
    if (e.type !== 'bridge.wanted') return false;
    this.bridges.add((e.data as { name: string }).name);
    return true;
  }
}

/** A memory host that counts full observes and says who it is (a reboot changes it). */
class CountingHost extends MemoryDriver {
  observes = 0;
  id = 'boot-1';
  override async observe(scope: Scope): Promise<HostState> {
    this.observes++;
    return super.observe(scope);
  }
  async identity(): Promise<string | undefined> {
    return this.id;
  }
}

const actor = { user_id: 'u', project_id: 'p', roles: [] };

describe('AgentRunner with a persisted installed state', () => {
  let nats: NatsServer;
  let store: EventStore;
  let dir: string;
  const host = new CountingHost();
  const runners: AgentRunner<BridgeView>[] = [];
  const start = async () => {
    const r = new AgentRunner(
      store,
      {
        agentType: 'Test agent', binary: 'neutrino-test-agent', topic: 'test', host: 'h1', configurations: {}, view: new BridgeView(),
        desired: (v) => hostState({ links: [...v.bridges].sort().map((name) => ({ name: `brq${name}`, kind: 'bridge' as const, mtu: 1450 })) }),
        scope: { ownership: NEUTRON_OWNERSHIP },
        driver: host,
      },
      { logger: createLogger('test', process.env.TEST_LOG ?? 'silent'), resyncMs: 0, heartbeatTtlMs: 5000, installedStateFile: join(dir, 'installed.json') },
    );
    runners.push(r);
    await r.start();
    return r;
  };
  const want = (name: string) => store.append([{ type: 'bridge.wanted', aggregate: { type: 'bridge', id: name }, actor, request_id: null, causation_id: null, data: { name } }]);
  const bridges = () => [...host.kernel.links.values()].map((l) => l.name).sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'installed-'));
    nats = await startNats();
    store = await EventStore.connect({ servers: nats.url });
  });
  afterAll(async () => {
    for (const r of runners) await r.stop();
    await store?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a restart on the same host starts from it (no observe, zero changes), then reads the host at once and repairs drift made meanwhile', async () => {
    await want('a');
    await want('b');
    const first = await start();
    expect(host.observes).toBe(1);
    expect(bridges()).toEqual(['brqa', 'brqb']);
    await first.stop();
    expect(existsSync(join(dir, 'installed.json'))).toBe(true);

    // a restart with nothing changed: the start is diffed against the persisted state and the following full observe finds nothing either
    const second = await start();
    expect(second.changesOfLastReconcile).toBe(0);
    await second.settled();
    expect(host.observes).toBe(2);
    expect(second.changesOfLastReconcile).toBe(0);
    await second.stop();

    // drift by hand while the agent was down: the start trusts the file (zero changes), the observe right after repairs it
    host.kernel.links.delete('/brqa');
    const third = await start();
    const afterStart = host.observes;
    await third.settled();
    expect(host.observes).toBe(afterStart + 1);
    expect(bridges()).toEqual(['brqa', 'brqb']);
    expect(third.changesOfLastReconcile).toBeGreaterThan(0);
    await third.stop();
  });

  it('another boot (identity changed) is not trusted: the start reads the host; a change applied since is in the next file', async () => {
    const before = host.observes;
    host.id = 'boot-2';
    host.kernel.links.delete('/brqb');
    const r = await start();
    expect(host.observes).toBe(before + 1);
    expect(r.changesOfLastReconcile).toBeGreaterThan(0);
    expect(bridges()).toEqual(['brqa', 'brqb']);
    const [e] = await want('c');
    await waitUntil(() => r.applied >= e.seq);
    await r.settled();
    expect(bridges()).toEqual(['brqa', 'brqb', 'brqc']);
    await r.stop();
    const again = await start();
    expect(again.changesOfLastReconcile).toBe(0);
    await again.settled();
    expect(again.changesOfLastReconcile).toBe(0);
    await again.stop();
  });
});

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
