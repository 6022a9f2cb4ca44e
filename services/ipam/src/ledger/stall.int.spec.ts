import { EventStore } from '@neutrino/events';
import { startNats, type NatsServer } from '@neutrino/testing';
import { IpamService } from '../app/ipam.service';
import { Ledger } from './ledger';
import { LedgerBook } from './ledger-book';

jest.setTimeout(180_000);

const subnet = { id: 'sub-stall', network_id: 'net-stall', ip_version: 4 as const, cidr: '10.9.0.0/20', gateway_ip: '10.9.0.1', allocation_pools: [{ start: '10.9.0.2', end: '10.9.15.254' }] };
const cfg = { baseMac: 'fa:16:3e:00:00:00', tenantNetworkTypes: ['vxlan'], vniRanges: [[1, 3]] as Array<[number, number]>, greRanges: [], vlanRanges: {} };
const ctx = { actor: { user_id: 'u', project_id: 'p', roles: ['admin'] }, request_id: null };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ipam appends while nats-server is stalled (SIGSTOP past every timeout, then SIGCONT)', () => {
  let nats: NatsServer;
  const stores: EventStore[] = [];
  const books: LedgerBook[] = [];

  beforeAll(async () => {
    nats = await startNats();
  });
  afterAll(async () => {
    try {
      process.kill(nats.pid, 'SIGCONT');
    } catch {
      /* already running or gone */
    }
    for (const b of books) await b.stop();
    for (const s of stores) await s.close();
    await nats?.stop();
  });

  it('hands no address out twice, and a port told it failed holds none', async () => {
    const replicas: IpamService[] = [];
    for (let r = 0; r < 2; r++) {
      const store = await EventStore.connect({ servers: nats.url, warn: () => undefined });
      const book = new LedgerBook(store);
      await book.start();
      stores.push(store);
      books.push(book);
      replicas.push(new IpamService(book, cfg));
    }
    const outcomes = new Map<string, { ok: boolean; ip?: string; mac?: string; error?: string }>();
    let stop = false;
    let n = 0;
    // 8 writers over two replicas, each allocating ports one after the other.
    const writer = async (w: number) => {
      while (!stop) {
        const port = `w${w}-p${n++}`;
        try {
          const got = await replicas[w % 2].allocatePort({ ...ctx, port_id: port, network_id: 'net-stall', subnets: [subnet], ips: [{ subnet_id: subnet.id }], mac_address: null });
          outcomes.set(port, { ok: true, ip: got.fixed_ips[0].ip_address, mac: got.mac_address });
        } catch (err) {
          outcomes.set(port, { ok: false, error: (err as Error).message });
        }
        await sleep(20);
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    await sleep(1_000);
    process.kill(nats.pid, 'SIGSTOP');
    await sleep(25_000); // past the append's own timeouts and retries (6 × 2 s + backoff)
    process.kill(nats.pid, 'SIGCONT');
    await sleep(3_000);
    stop = true;
    await Promise.all(writers);
    // Every allocation answered (none is left hanging) and the stall really was felt.
    expect(outcomes.size).toBe(n);
    expect(books.reduce((s, b) => s + b.unknownOutcomes, 0)).toBeGreaterThan(0);

    // The truth: the ledgers as a fresh replay of the log sees them.
    const fresh = new LedgerBook(stores[0]);
    await fresh.start();
    books.push(fresh);
    const ips: Ledger = fresh.ledger(subnet.id);
    const macs: Ledger = fresh.ledger(subnet.network_id);
    const owned = new Map<string, string[]>();
    for (const [ip, owner] of ips.owners) owned.set(owner, [...(owned.get(owner) ?? []), ip]);
    for (const [port, o] of outcomes) {
      if (o.ok) {
        // A port told it got an address holds exactly that one (and its MAC).
        expect([port, owned.get(port)]).toEqual([port, [o.ip]]);
        expect(macs.owners.get(o.mac!)).toBe(port);
      } else {
        // A port told it failed holds nothing (no outcome stayed unknown past the stall).
        expect([port, owned.get(port)]).toEqual([port, undefined]);
      }
    }
    // One owner per address, by construction of the map, and every owner is a port that was answered.
    const oks = [...outcomes.values()].filter((o) => o.ok);
    expect(new Set(oks.map((o) => o.ip)).size).toBe(oks.length);
    expect(ips.owners.size).toBe(oks.length);
  });
});
