import { MemoryDriver, NEUTRON_OWNERSHIP, hostState, type HostState } from '@neutrino/dataplane';
import { EventStore, type StoredEvent } from '@neutrino/events';
import { Metrics, createLogger, serveMetrics } from '@neutrino/observability';
import { freePort, startNats, type NatsServer } from '@neutrino/testing';
import { AGENTS_BUCKET } from './agent-record';
import type { AgentSource, SourceContext } from './agent';
import { AgentRunner, type AgentDefinition } from './agent-runner';
import type { HostView, Report } from './host-view';

/** A toy view: every bridge.wanted event on this host wants a bridge brq<name>. */
class BridgeView implements HostView {
  readonly bridges = new Set<string>();
  constructor(private readonly host: string) {}
  apply(e: StoredEvent): boolean {
    const d = e.data as { host: string; name: string };
    if (d.host !== this.host) return false;
    if (e.type === 'bridge.wanted') this.bridges.add(d.name);
    else if (e.type === 'bridge.unwanted') this.bridges.delete(d.name);
    else return false;
    return true;
  }
}

const actor = { user_id: 'u', project_id: 'p', roles: [] };

/** A host whose link events are delivered by hand; counts the full observes the agent makes of it. */
class Watched extends MemoryDriver {
  listener?: () => void;
  observes = 0;
  watchLinks(onChange: () => void) {
    this.listener = onChange;
    return () => (this.listener = undefined);
  }
  override observe(...args: Parameters<MemoryDriver['observe']>) {
    this.observes++;
    return super.observe(...args);
  }
}

describe('AgentRunner', () => {
  let nats: NatsServer;
  let store: EventStore;
  const driver = new MemoryDriver();
  const runners: Array<AgentRunner<BridgeView, any>> = [];

  const definition = (host: string): AgentDefinition<BridgeView> => ({
    agentType: 'Test agent', binary: 'neutrino-test-agent', topic: 'test', host, configurations: { answer: 42 },
    view: new BridgeView(host),
    desired: (v): HostState => hostState({ links: [...v.bridges].sort().map((name) => ({ name: `brq${name}`, kind: 'bridge' as const, mtu: 1450 })) }),
    scope: { ownership: NEUTRON_OWNERSHIP },
    driver,
    report: (v): Report[] => [...v.bridges].map((name) => ({ aggregate: { type: 'bridge', id: name }, type: 'bridge.ready', data: { host, name } })),
  });
  /** Each wanted bridge also wants vif<name> in it: a device a hypervisor plugs later. */
  const pluggedLater = (host: string, driver: Watched): AgentDefinition<BridgeView> => ({
    ...definition(host),
    driver,
    desired: (v): HostState => hostState({
      links: [...v.bridges].sort().flatMap((name) => [{ name: `brq${name}`, kind: 'bridge' as const }, { name: `vif${name}`, kind: 'external' as const, master: `brq${name}` }]),
    }),
  });
  const start = async (host = 'h1', heartbeatMs?: number) => {
    const r = new AgentRunner(store, definition(host), { logger: createLogger('test', 'silent'), resyncMs: 0, heartbeatTtlMs: 5000, heartbeatMs });
    runners.push(r);
    await r.start();
    return r;
  };
  const want = (name: string, type = 'bridge.wanted', host = 'h1') =>
    store.append([{ type, aggregate: { type: 'bridge', id: name }, actor, request_id: null, causation_id: null, data: { host, name } }]);

  beforeAll(async () => {
    nats = await startNats();
    store = await EventStore.connect({ servers: nats.url });
  });
  afterAll(async () => {
    for (const r of runners) await r.stop();
    await store?.close();
    await nats?.stop();
  });

  it('applies the replayed log once, then nothing on restart, then follows new events', async () => {
    await want('a');
    await want('b');
    await want('x', 'bridge.wanted', 'other-host');
    const first = await start();
    expect(first.changesOfLastReconcile).toBeGreaterThan(0);
    expect((await driver.observe({ ownership: NEUTRON_OWNERSHIP })).links.map((l) => l.name).sort()).toEqual(['brqa', 'brqb']);
    await first.stop();

    const second = await start();
    expect(second.changesOfLastReconcile).toBe(0);

    const [stored] = await want('c');
    await waitUntil(() => second.applied >= stored.seq);
    await second.settled();
    expect(second.changesOfLastReconcile).toBeGreaterThan(0);
    await want('a', 'bridge.unwanted');
    await waitUntil(async () => !(await driver.observe({ ownership: NEUTRON_OWNERSHIP })).links.some((l) => l.name === 'brqa'));
  });

  it('registers once, reports each state once and keeps a heartbeat', async () => {
    const regs: StoredEvent[] = [];
    await store.replay({ filter: 'evt.agent.>' }, (e) => void regs.push(e));
    expect(regs.map((e) => e.type)).toEqual(['agent.registered']);
    expect((regs[0].data as any).agent).toMatchObject({ agent_type: 'Test agent', host: 'h1', configurations: { answer: 42 } });
    const ready: StoredEvent[] = [];
    await store.replay({ filter: 'evt.bridge.>' }, (e) => void (e.type === 'bridge.ready' && ready.push(e)));
    const perBridge = new Map<string, number>();
    for (const e of ready) perBridge.set(e.aggregate.id, (perBridge.get(e.aggregate.id) ?? 0) + 1);
    // each runner instance reports a bridge once (two runners ran: a and b twice at most)
    expect(Math.max(...perBridge.values())).toBeLessThanOrEqual(2);
    const hb = await (await store.heartbeats(AGENTS_BUCKET, 5000)).get(runners[1].id);
    expect(hb?.value).toMatchObject({ host: 'h1', synced: true });
  });

  it('wires a device another program plugs later when the kernel reports a link event, without waiting for the retry', async () => {
    const host = new Watched();
    const def = pluggedLater('h3', host);
    // the retry's polling is an hour away: only the link event can make the agent look again
    const r = new AgentRunner(store, def, { logger: createLogger('test', 'silent'), resyncMs: 0, heartbeatTtlMs: 5000, retryMs: 3_600_000 });
    runners.push(r);
    await want('vm1', 'bridge.wanted', 'h3');
    await r.start();
    const master = async () => (await host.observe({ ownership: NEUTRON_OWNERSHIP })).links.find((l) => l.name === 'vifvm1')?.master;
    expect(await master()).toBeUndefined();
    host.seed(hostState({ links: [{ name: 'vifvm1', kind: 'external' }] }));
    host.listener!();
    await waitUntil(async () => (await master()) === 'brqvm1');
  });

  it('drops the retry a missing device scheduled once a link event has wired it (no full observe of the host for nothing)', async () => {
    const host = new Watched();
    const def = pluggedLater('h4', host);
    const r = new AgentRunner(store, def, { logger: createLogger('test', 'silent'), resyncMs: 0, heartbeatTtlMs: 5000, retryMs: 150 });
    runners.push(r);
    await r.start();
    const master = async () => (await MemoryDriver.prototype.observe.call(host, { ownership: NEUTRON_OWNERSHIP })).links.find((l) => l.name === 'vifvm2')?.master;
    await want('vm2', 'bridge.wanted', 'h4');
    await waitUntil(async () => (await host.observe({ ownership: NEUTRON_OWNERSHIP })).links.some((l) => l.name === 'brqvm2'));
    // the device is missing: a retry is pending; the hypervisor plugs it and the kernel says so
    host.seed(hostState({ links: [{ name: 'vifvm2', kind: 'external' }] }));
    host.listener!();
    await waitUntil(async () => (await master()) === 'brqvm2');
    await r.settled();
    const before = host.observes;
    await new Promise((res) => setTimeout(res, 600)); // longer than the first retry (150 ms) and the second (300 ms)
    expect(host.observes).toBe(before);
  });

  it('starts its sources after the first reconcile, polls them, lets them report and ask for a reconcile, and stops them first', async () => {
    const seen: string[] = [];
    let ctx: SourceContext | undefined;
    let desiredCalls = 0;
    const probe: AgentSource = {
      start: (c) => {
        ctx = c;
        // the first reconcile has run: the host has what the replayed log wants
        seen.push(`start: brqs1 ${[...driver.kernel.links.values()].some((l) => l.name === 'brqs1') ? 'there' : 'missing'}`);
      },
      pollMs: 5,
      poll: async () => void seen.push('poll'),
      stop: async () => void seen.push('stop'),
    };
    await want('s1', 'bridge.wanted', 'h4');
    const base = definition('h4');
    const r = new AgentRunner(store, { ...base, desired: (v) => (desiredCalls++, base.desired(v)), sources: { probe } }, { logger: createLogger('test', 'silent'), resyncMs: 0, heartbeatTtlMs: 5000 });
    runners.push(r);
    expect(r.sources.probe).toBe(probe);
    await r.start();
    expect(seen).toEqual(['start: brqs1 there']);
    await waitUntil(() => seen.filter((s) => s === 'poll').length >= 2);

    // a report through the runner is appended once, with the agent as the actor
    const report = { aggregate: { type: 'bridge', id: 's1' }, type: 'bridge.probed', data: { host: 'h4', name: 's1' } };
    await ctx!.report([report]);
    await ctx!.report([report]);
    const probed: StoredEvent[] = [];
    await store.replay({ filter: 'evt.bridge.s1' }, (e) => void (e.type === 'bridge.probed' && probed.push(e)));
    expect(probed.map((e) => e.actor.user_id)).toEqual(['agent:neutrino-test-agent@h4']);

    // a reconcile it asks for recomputes the desired state with no event in the log
    const before = desiredCalls;
    ctx!.reconcile();
    await r.settled();
    expect(desiredCalls).toBe(before + 1);

    await r.stop();
    const polls = seen.length;
    expect(seen.at(-1)).toBe('stop');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen).toHaveLength(polls);
  });

  it('appends a report with an expected subject sequence only at that sequence, dropping it (not as sent) on a conflict', async () => {
    let ctx: SourceContext | undefined;
    const source: AgentSource = { start: (c) => void (ctx = c) };
    const r = new AgentRunner(store, { ...definition('h3'), report: () => [], sources: { s: source } }, { logger: createLogger('test', 'silent'), resyncMs: 0, heartbeatTtlMs: 5000 });
    runners.push(r);
    await r.start();
    const [e] = await want('seq-x', 'bridge.other', 'h3');
    const report = (expectedSubjectSeq: number): Report => ({ aggregate: { type: 'bridge', id: 'seq-x' }, type: 'bridge.checked', data: { ok: true }, expectedSubjectSeq });
    await ctx!.report([report(e.seq - 1)]);
    expect((await store.readSubject('evt.bridge.seq-x')).map((x) => x.type)).toEqual(['bridge.other']);
    // the same report again, at the right sequence: not taken for one already sent
    await ctx!.report([report(e.seq)]);
    expect((await store.readSubject('evt.bridge.seq-x')).map((x) => x.type)).toEqual(['bridge.other', 'bridge.checked']);
  });

  it('reconciles its sideplane after the kernel, counts what it applied, and retries one that failed', async () => {
    // a second dataplane of the host (as OVS is for the openvswitch mechanism): one port per wanted bridge
    const ports = new Set<string>();
    const calls: string[] = [];
    let failures = 1;
    const sideplane = async (v: BridgeView): Promise<number> => {
      calls.push([...v.bridges].sort().join(','));
      if (failures-- > 0) throw new Error('ovsdb-server is not there yet');
      const want = new Set([...v.bridges].map((b) => `port-${b}`));
      let n = 0;
      for (const p of [...ports].filter((x) => !want.has(x))) {
        ports.delete(p);
        n++;
      }
      for (const p of [...want].filter((x) => !ports.has(x))) {
        ports.add(p);
        n++;
      }
      return n;
    };
    await want('side-a', 'bridge.wanted', 'h-side');
    // nothing in the kernel: every change counted is the sideplane's
    const r = new AgentRunner(store, { ...definition('h-side'), desired: () => hostState(), driver: new MemoryDriver(), report: () => [], sideplane }, { logger: createLogger('test', 'silent'), resyncMs: 0, heartbeatTtlMs: 5000 });
    runners.push(r);
    await r.start();
    // the first attempt failed; the retry brings the sideplane in line
    await waitUntil(() => ports.has('port-side-a'));
    await r.settled();
    expect(calls.slice(0, 2)).toEqual(['side-a', 'side-a']);
    await want('side-b', 'bridge.wanted', 'h-side');
    await waitUntil(() => ports.has('port-side-b'));
    await r.settled();
    // port-side-b
    expect(r.changesOfLastReconcile).toBe(1);
    await want('side-c', 'bridge.other', 'h-side');
    r.trigger('resync');
    await r.settled();
    expect(r.changesOfLastReconcile).toBe(0);
    expect([...ports].sort()).toEqual(['port-side-a', 'port-side-b']);
  });

  it('serves /healthz (503 while its dataplane fails, 200 once reconciled) and /metrics with its errors, sequences and lag', async () => {
    let broken = true;
    const sideplane = async (): Promise<number> => {
      if (broken) throw new Error('ovsdb-server is not there yet');
      return 0;
    };
    await want('health-a', 'bridge.wanted', 'h-health');
    const metrics = new Metrics('test-agent');
    const r = new AgentRunner(store, { ...definition('h-health'), driver: new MemoryDriver(), report: () => [], sideplane }, {
      logger: createLogger('test', 'silent'), resyncMs: 0, heartbeatTtlMs: 5000, registry: metrics.registry, retryMs: 200,
    });
    runners.push(r);
    const port = await freePort();
    const server = serveMetrics(metrics, port, '127.0.0.1', () => r.health());
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, text: await res.text() };
    };
    try {
      expect((await get('/healthz')).status).toBe(503); // not started: the view has not caught up
      await r.start();
      const failing = await get('/healthz');
      expect(failing.status).toBe(503);
      expect(JSON.parse(failing.text)).toMatchObject({ status: 'failing', host: 'h-health', nats_connected: true, last_reconcile: { ok: false, error: 'the sideplane failed' } });
      expect((await get('/metrics')).text).toMatch(/neutrino_agent_reconcile_errors_total\{stage="sideplane",service="test-agent"\} [1-9]/);
      broken = false;
      await waitUntil(() => r.health().status === 'ok');
      await r.settled();
      const head = await store.lastSeq();
      await waitUntil(() => r.health().reconciled_seq === head);
      const ok = await get('/healthz');
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.text)).toMatchObject({ status: 'ok', applied_seq: head, reconciled_seq: head, last_reconcile: { ok: true } });
      const text = (await get('/metrics')).text;
      expect(text).toMatch(/neutrino_agent_lag_events\{service="test-agent"\} 0/);
      expect(text).toMatch(new RegExp(`neutrino_agent_reconciled_sequence\\{service="test-agent"\\} ${head}`));
      expect(text).toMatch(/neutrino_agent_reconciles_total\{reason="start",service="test-agent"\} 1/);
      expect((await get('/nothing')).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('keeps reconciled_seq behind a failed reconcile while irrelevant events are folded, and moves it once the retry applies', async () => {
    let broken = true;
    const sideplane = async (): Promise<number> => {
      if (broken) throw new Error('ovsdb-server is not there yet');
      return 0;
    };
    const r = new AgentRunner(store, { ...definition('h-behind'), driver: new MemoryDriver(), report: () => [], sideplane }, {
      logger: createLogger('test', 'silent'), resyncMs: 0, heartbeatTtlMs: 5000, retryMs: 60_000,
    });
    runners.push(r);
    await r.start();
    await r.settled();
    const before = r.health().reconciled_seq;
    // wanted here: relevant, and its reconcile fails (the retry is a minute away)
    const [wanted] = await want('behind-a', 'bridge.wanted', 'h-behind');
    await waitUntil(() => r.applied >= wanted.seq);
    await r.settled();
    expect(r.health().last_reconcile).toMatchObject({ ok: false });
    // another host's event: irrelevant here, folded while the failure is not repaired
    const [other] = await want('behind-b', 'bridge.wanted', 'h-elsewhere');
    await waitUntil(() => r.applied >= other.seq);
    await new Promise((res) => setTimeout(res, 100));
    expect(r.health().reconciled_seq).toBeLessThan(wanted.seq);
    expect(r.health().reconciled_seq).toBe(before);
    broken = false;
    r.trigger('retry');
    await r.settled();
    expect(r.health().reconciled_seq).toBeGreaterThanOrEqual(other.seq);
  });

  it('registers again after an operator deleted it', async () => {
    const r = await start('h2', 50);
    const subject = `evt.agent.${r.id}`;
    const [deleted] = await store.append([{ type: 'agent.deleted', aggregate: { type: 'agent', id: r.id }, actor, request_id: null, causation_id: null, data: { agent_id: r.id } }]);
    await waitUntil(async () => (await store.subjectLastSeq(subject)) > deleted.seq);
    expect((await store.readSubject(subject)).map((e) => e.type)).toEqual(['agent.registered', 'agent.deleted', 'agent.registered']);
  });
});

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
