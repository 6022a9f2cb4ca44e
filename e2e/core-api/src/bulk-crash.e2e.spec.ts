import * as os from 'node:os';
import type { StoredEvent } from '@neutrino/events';
import { waitFor } from '@neutrino/testing';
import { SuiteFixture } from '@neutrino/testing-suite';

const N = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Issue 9, done-when 3: kill -9 of the gateway in the middle of a 1,000-port
 * bulk create leaves 0 or 1,000 ports once the bulk settlement has run, and
 * ipam holds no address or MAC without a port once its reaper has.
 */
describe('bulk port create across a gateway crash', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    // A short orphan grace, so that the test sees ipam's reaper give back what a killed request had reserved.
    // 1,000 ports in one project: above Neutron's default port quota (500), so unlimited here.
    fx = await SuiteFixture.start({
      env: { NEUTRINO_IPAM_ORPHAN_GRACE_MS: '3000', NEUTRINO_IPAM_REAP_INTERVAL_MS: '1000', NEUTRINO_BULK_SETTLE_INTERVAL_MS: '1000', NEUTRINO_QUOTA_PORT: '-1' },
    });
  }, 120_000);
  afterAll(async () => {
    await fx?.stop();
  });

  const network = async (name: string, cidr: string) => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name } })).body.network;
    const subnet = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr, ip_version: 4 } })).body.subnet;
    return { net: net.id as string, subnet: subnet.id as string };
  };
  const bulkBody = (net: string) => ({ ports: Array.from({ length: N }, (_, i) => ({ network_id: net, name: `b${i}` })) });
  const portsOn = async (net: string) =>
    (await fx.api('GET', `/v2.0/ports?network_id=${net}&fields=id&fields=fixed_ips&fields=mac_address`)).body.ports as Array<{
      id: string; mac_address: string; fixed_ips: Array<{ ip_address: string }>;
    }>;
  /** Addresses (or MACs) ipam holds on one ledger subject, folded from its allocated/released events. */
  const held = async (subject: string, kind: 'ip' | 'mac') => {
    const out = new Set<string>();
    for (const e of await fx.store.readSubject(subject)) {
      const d = e.data as { ip_address?: string; mac_address?: string };
      const key = kind === 'ip' ? d.ip_address : d.mac_address;
      if (!key || !e.type.startsWith(`${kind}.`)) continue;
      if (e.type === `${kind}.allocated`) out.add(key);
      else if (e.type === `${kind}.released`) out.delete(key);
    }
    return out;
  };
  /** Every recorded batch's last state: started (open), committed or aborted. */
  const batches = async () => {
    const last = new Map<string, StoredEvent>();
    for (const e of await fx.store.readSubject('evt.bulk.>')) last.set(e.aggregate.id, e);
    return last;
  };
  /** The port ids of every aborted batch. */
  const abortedIds = async () => {
    const ids = new Map<string, string[]>();
    const out = new Set<string>();
    for (const e of await fx.store.readSubject('evt.bulk.>')) {
      if (e.type === 'bulk.started') ids.set(e.aggregate.id, (e.data as { batch: { ids: string[] } }).batch.ids);
      if (e.type === 'bulk.aborted') for (const id of ids.get(e.aggregate.id) ?? []) out.add(id);
    }
    return out;
  };
  const gatewayUp = async () => {
    for (;;) {
      try {
        if ((await fx.api('GET', '/v2.0/networks?limit=1')).status === 200) return;
      } catch {
        // connection refused while the supervisor restarts it
      }
      await sleep(100);
    }
  };

  let fullMs = 0;

  it('an uninterrupted 1,000-port bulk creates all of them in one answer and commits its batch', async () => {
    const { net, subnet } = await network('bulk-ok', '10.40.0.0/21');
    const t0 = Date.now();
    const r = await fx.api('POST', '/v2.0/ports', bulkBody(net));
    fullMs = Date.now() - t0;
    expect(r.status).toBe(201);
    expect(r.body.ports).toHaveLength(N);
    expect((await portsOn(net)).length).toBe(N);
    const states = [...(await batches()).values()].map((e) => e.type);
    expect(states).toEqual(['bulk.committed']);
    expect((await held(`evt.ipam.${subnet}`, 'ip')).size).toBe(N);
    console.log(`1,000-port bulk: ${fullMs} ms (load ${os.loadavg().map((l: number) => l.toFixed(2)).join(' ')})`);
  }, 600_000);

  it('a bulk with a bad item is refused before anything is recorded or created', async () => {
    const { net, subnet } = await network('bulk-bad', '10.41.0.0/24');
    const body = bulkBody(net);
    body.ports = body.ports.slice(0, 20);
    (body.ports[15] as Record<string, unknown>).fixed_ips = [{ ip_address: '10.99.0.1' }]; // not on the network's subnet: 400
    const before = await fx.store.lastSeq();
    const r = await fx.api('POST', '/v2.0/ports', body);
    expect(r.status).toBe(400);
    expect(await fx.store.lastSeq()).toBe(before);
    expect((await portsOn(net)).length).toBe(0);
    expect((await held(`evt.ipam.${subnet}`, 'ip')).size).toBe(0);
  }, 120_000);

  it('a bulk whose item fails part-way (no address left) undoes the ports made and aborts its batch', async () => {
    const { net, subnet } = await network('bulk-full', '10.42.0.0/28'); // 13 addresses for 20 ports: item 14 gets 409
    const body = bulkBody(net);
    body.ports = body.ports.slice(0, 20);
    const r = await fx.api('POST', '/v2.0/ports', body);
    expect(r.status).toBe(409);
    expect(r.body.NeutronError.type).toBe('IpAddressGenerationFailure');
    expect((await portsOn(net)).length).toBe(0);
    // its batch was aborted, and (none of its ports left) cleared by the settlement a quiet interval later
    const ended = [...(await batches()).values()].filter((e) => e.type === 'bulk.aborted' || e.type === 'bulk.cleared');
    expect(ended).toHaveLength(1);
    const subject = `evt.bulk.${ended[0].aggregate.id}`;
    await waitFor(async () => (await fx.store.readSubject(subject)).some((e) => e.type === 'bulk.cleared'), { timeoutMs: 30_000 });
    expect((await fx.store.readSubject(subject)).map((e) => e.type)).toEqual(['bulk.started', 'bulk.aborted', 'bulk.cleared']);
    expect((await held(`evt.ipam.${subnet}`, 'ip')).size).toBe(0);
  }, 120_000);

  it('kill -9 of the gateway at random points of 1,000-port bulks leaves 0 or 1,000 ports and no allocation without a port', async () => {
    const rounds = 6;
    const partial: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const { net, subnet } = await network(`bulk-kill-${round}`, `10.${50 + round}.0.0/21`);
      // Spread the kills over the bulk: at its start, early, middle, late, and around its end (all made, commit pending).
      const delay = Math.round(fullMs * [0.02, 0.15, 0.5, 0.85, 0.97, 1][round] * (0.8 + Math.random() * 0.4));
      const request = fx.api('POST', '/v2.0/ports', bulkBody(net)).then((r) => r.status, () => 'killed' as const);
      await sleep(delay);
      const before = (await portsOn(net)).length;
      fx.suite.processes.get('api-gateway')!.signal('SIGKILL');
      const answered = await request;
      await gatewayUp();

      // Settled: every recorded batch is committed or aborted, no port of an aborted batch is left, and ipam holds exactly what the network's ports hold.
      let ports = await portsOn(net);
      for (;;) {
        const open = [...(await batches()).values()].filter((e) => e.type === 'bulk.started');
        ports = await portsOn(net);
        const ips = await held(`evt.ipam.${subnet}`, 'ip');
        const macs = await held(`evt.ipam.${net}`, 'mac');
        const portIps = new Set(ports.flatMap((p) => p.fixed_ips.map((f) => f.ip_address)));
        const portMacs = new Set(ports.map((p) => p.mac_address));
        const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
        const undone = await abortedIds();
        if (!open.length && !ports.some((p) => undone.has(p.id)) && same(ips, portIps) && same(macs, portMacs)) break;
        await sleep(250);
      }
      console.log(`round ${round}: killed after ${delay} ms with ${before} ports made (request: ${answered}); settled to ${ports.length}`);
      expect([0, N]).toContain(ports.length);
      if (answered === 201) expect(ports.length).toBe(N);
      if (before > 0 && before < N) partial.push(before);
    }
    // At least one kill landed inside a bulk, with a part of its ports made: the case that used to leave them.
    expect(partial.length).toBeGreaterThan(0);
    // Every batch ends committed or, aborted with none of its ports left, cleared: none stays to be walked by every settlement.
    await waitFor(async () => [...(await batches()).values()].every((e) => e.type === 'bulk.committed' || e.type === 'bulk.cleared'), { timeoutMs: 60_000 });
  }, 1_800_000);
});
