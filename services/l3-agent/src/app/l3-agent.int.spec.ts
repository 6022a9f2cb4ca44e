import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryDriver } from '@neutrino/dataplane';
import { EventStore, type StoredEvent } from '@neutrino/events';
import { createLogger } from '@neutrino/observability';
import { startNats, type NatsServer } from '@neutrino/testing';
import { GW_PORT, IF_PORT, ROUTER, haLog } from '../__fixtures__/l3-log';
import type { L3Config } from '../config/l3-config';
import { L3_BINARY } from '../view/l3-view';
import { createL3Agent, type L3Agent } from './l3-agent';

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The l3-agent of network2 on the memory driver against a real log: its HA monitor is a probe source of the runner. */
describe('l3-agent: the HA monitor as a source of the runner', () => {
  let nats: NatsServer;
  let store: EventStore;
  let dataDir: string;
  let agent: L3Agent | undefined;

  beforeAll(async () => {
    nats = await startNats();
    store = await EventStore.connect({ servers: nats.url });
    dataDir = mkdtempSync(join(tmpdir(), 'l3-agent-int-'));
    for (const e of haLog()) await store.append([{ type: e.type, aggregate: e.aggregate, actor: e.actor, request_id: null, causation_id: null, data: e.data }]);
  });
  afterAll(async () => {
    await agent?.stop();
    await store?.close();
    await nats?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('probes only once the first reconcile is done, appends the decided HA state and bindings, and probes no more once stopped', async () => {
    const cfg: L3Config = { host: 'network2', hostNetns: '', netnsPrefix: '', driver: 'memory', enableMetadataProxy: false, keepalivedBin: 'keepalived', strongswanStarterBin: '/usr/lib/ipsec/starter', swanctlBin: 'swanctl', strongswanIpsec: 'kernel', vpnStatusPollMs: 0, haStatePollMs: 20 };
    /** the reconciles done when each probe ran (-1: none yet) */
    const probes: number[] = [];
    agent = createL3Agent(store, cfg, {
      logger: createLogger('l3-agent-int', 'silent'), dataDir, driver: new MemoryDriver(), resyncMs: 0, heartbeatTtlMs: 5000,
      vipProbe: async (netns, dev) => {
        probes.push(agent!.changesOfLastReconcile);
        return netns === `qrouter-${ROUTER}` && dev.startsWith('ha-');
      },
    });
    expect(Object.keys(agent.sources)).toEqual(['ha', 'vpn']);
    await agent.start();

    /** what the monitor appended (the runner's own registration and floating IP status left aside) */
    const appended = async () => {
      const out: string[] = [];
      const mine = (e: StoredEvent) => e.actor.user_id === `agent:${L3_BINARY}@network2` && (e.type === 'router.ha_state_reported' || e.type === 'port.updated');
      await store.replay({ filter: 'evt.>' }, (e) => void (mine(e) && out.push(`${e.type} ${e.aggregate.id}`)));
      return out;
    };
    await until('the HA state and the bindings in the log', async () => (await appended()).length >= 3);
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.every((n) => n >= 0)).toBe(true);
    expect(await appended()).toEqual([`router.ha_state_reported ${ROUTER}`, `port.updated ${IF_PORT}`, `port.updated ${GW_PORT}`]);
    await until('the view shows the binding', () => agent!.view.portsOf(ROUTER, 'network:router_gateway')[0]?.['binding:host_id'] === 'network2');

    await agent.stop();
    const seen = probes.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(probes).toHaveLength(seen);
    agent = undefined;
  });
});
