import { EventStore } from '@neutrino/events';
import { startNats, type NatsServer } from '@neutrino/testing';
import { IpamService } from '../app/ipam.service';
import { LedgerBook } from './ledger-book';
import { OwnerRegistry } from './owner-registry';

jest.setTimeout(60_000);

const subnet = { id: 'sub-s', network_id: 'net-s', ip_version: 4 as const, cidr: '10.1.0.0/24', gateway_ip: '10.1.0.1', allocation_pools: [{ start: '10.1.0.2', end: '10.1.0.254' }] };
const cfg = { baseMac: 'fa:16:3e:00:00:00', tenantNetworkTypes: ['vxlan'], vniRanges: [[1, 30]] as Array<[number, number]>, greRanges: [], vlanRanges: {} };
const ctx = { actor: { user_id: 'u', project_id: 'p', roles: ['admin'] }, request_id: null };

describe('ipam snapshots', () => {
  let nats: NatsServer;
  let store: EventStore;
  const running: Array<{ stop(): Promise<void> }> = [];

  const book = async () => {
    const b = new LedgerBook(store);
    const replayed = await b.start();
    running.push(b);
    return { b, replayed };
  };
  const port = (id: string, type = 'port.created') =>
    store.append([{ type, aggregate: { type: 'port', id }, actor: ctx.actor, request_id: null, causation_id: null, data: {} }]);

  beforeAll(async () => {
    nats = await startNats();
    store = await EventStore.connect({ servers: nats.url });
  });
  afterAll(async () => {
    for (const r of running) await r.stop();
    await store?.close();
    await nats?.stop();
  });

  it('a start after a snapshot replays only the tail and ends in the state of a full replay', async () => {
    const { b: first } = await book();
    const ipam = new IpamService(first, cfg);
    const alloc = (i: number) => ipam.allocatePort({ ...ctx, port_id: `p${i}`, network_id: 'net-s', subnets: [subnet], ips: [{ subnet_id: 'sub-s' }], mac_address: null });
    const got = [];
    for (let i = 0; i < 30; i++) got.push(await alloc(i));
    for (let i = 0; i < 10; i++) await ipam.releasePort({ ...ctx, port_id: `p${i}`, network_id: 'net-s', fixed_ips: got[i].fixed_ips });
    await ipam.allocateSegment({ ...ctx, network_id: 'net-s', network_type: 'vxlan', physical_network: null, segmentation_id: null });
    const snapSeq = await first.saveSnapshot();
    expect(snapSeq).toBeGreaterThan(0);
    // The tail: 5 more ports (an address and a MAC each) after the snapshot.
    for (let i = 30; i < 35; i++) got.push(await alloc(i));
    const head = await store.lastSeq();
    expect(head - snapSeq).toBeGreaterThanOrEqual(10);

    const { b: fromSnapshot, replayed } = await book();
    expect(replayed).toBe(head - snapSeq);
    await store.removeSnapshot('ipam.ledgers');
    const { b: fromScratch, replayed: all } = await book();
    expect(all).toBe(head); // 30 ports × (address + MAC), 10 releases, 1 segment, 5 ports × 2
    expect(fromSnapshot.snapshot()).toEqual(fromScratch.snapshot());
    expect(fromSnapshot.snapshot()).toEqual(first.snapshot());
    // And it allocates on from there: .2-.11 were given back, the tail took .2-.6, so the lowest free is p5's old .7.
    const next = await new IpamService(fromSnapshot, cfg).allocatePort({ ...ctx, port_id: 'n', network_id: 'net-s', subnets: [subnet], ips: [{ subnet_id: 'sub-s' }], mac_address: null });
    expect(next.fixed_ips[0].ip_address).toBe(got[5].fixed_ips[0].ip_address);
  });

  it('the owner registry restores ports and networks from its snapshots and replays the tail', async () => {
    const owners = new OwnerRegistry(store);
    await owners.start();
    running.push(owners);
    for (let i = 0; i < 6; i++) await port(`o${i}`);
    await port('o0', 'port.deleted');
    await new Promise((r) => setTimeout(r, 200));
    await owners.saveSnapshot();
    // No network event at all: the networks' snapshot still covers the whole log (it does not hold trimming back).
    expect((await store.listSnapshots()).find((x) => x.name === 'ipam.networks')?.seq).toBe(await store.lastSeq());
    await port('o1', 'port.deleted');
    await port('o9');
    const later = new OwnerRegistry(store);
    expect(await later.start()).toBe(2);
    running.push(later);
    expect([...later.ports].sort()).toEqual(['o2', 'o3', 'o4', 'o5', 'o9']);
    expect(await store.listSnapshots()).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'ipam.ports' }), expect.objectContaining({ name: 'ipam.networks' })]));
  });

  it('after the log is trimmed, a fresh start from the snapshot ends as before, and one without a snapshot reads the archive', async () => {
    const { b: live } = await book();
    const ipam = new IpamService(live, cfg);
    const sub = { ...subnet, id: 'sub-t' };
    for (let i = 0; i < 20; i++) await ipam.allocatePort({ ...ctx, port_id: `t${i}`, network_id: 'net-t', subnets: [sub], ips: [{ subnet_id: 'sub-t' }], mac_address: null });
    const owners = new OwnerRegistry(store);
    await owners.start();
    running.push(owners);
    const snapSeq = await live.saveSnapshot();
    await owners.saveSnapshot();
    const before = (await store.streamState()).messages;
    const r = await store.compact();
    expect(r.archived).toBeGreaterThan(0);
    expect(r.purged).toBeGreaterThan(0);
    expect((await store.streamState()).messages).toBe(before - r.purged);
    await ipam.allocatePort({ ...ctx, port_id: 'after', network_id: 'net-t', subnets: [sub], ips: [{ subnet_id: 'sub-t' }], mac_address: null });
    await new Promise((res) => setTimeout(res, 200));

    const { b: restarted, replayed } = await book();
    expect(replayed).toBe((await store.lastSeq()) - snapSeq);
    expect(restarted.snapshot()).toEqual(live.snapshot());
    await store.removeSnapshot('ipam.ledgers');
    const { b: fromArchive } = await book();
    expect(fromArchive.snapshot()).toEqual(live.snapshot());
    // The restarted ledger appends on the trimmed subject with its sequence: no conflict loop, a new address.
    const next = await new IpamService(restarted, cfg).allocatePort({ ...ctx, port_id: 'next', network_id: 'net-t', subnets: [sub], ips: [{ subnet_id: 'sub-t' }], mac_address: null });
    expect(next.fixed_ips[0].ip_address).toBe('10.1.0.23');
  });
});
