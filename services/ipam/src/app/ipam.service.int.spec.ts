import { EventStore } from '@neutrino/events';
import { startNats, type NatsServer } from '@neutrino/testing';
import { LedgerBook } from '../ledger/ledger-book';
import { IpamService } from './ipam.service';
import { IpamError } from './ipam.faults';

const subnet = { id: 'sub-1', network_id: 'net-1', ip_version: 4 as const, cidr: '10.0.0.0/28', gateway_ip: '10.0.0.1', allocation_pools: [{ start: '10.0.0.2', end: '10.0.0.14' }] };
const cfg = { baseMac: 'fa:16:3e:00:00:00', tenantNetworkTypes: ['vxlan'], vniRanges: [[1, 3]] as Array<[number, number]>, greRanges: [[5, 6]] as Array<[number, number]>, vlanRanges: { physnet1: [[100, 101]] as Array<[number, number]> } };
const ctx = { actor: { user_id: 'u', project_id: 'p', roles: ['admin'] }, request_id: 'req-test' };

describe('ipam against a real nats-server', () => {
  let nats: NatsServer;
  const stores: EventStore[] = [];
  const books: LedgerBook[] = [];

  const replica = async () => {
    const store = await EventStore.connect({ servers: nats.url });
    const book = new LedgerBook(store);
    await book.start();
    stores.push(store);
    books.push(book);
    return new IpamService(book, cfg);
  };

  beforeAll(async () => {
    nats = await startNats();
  });
  afterAll(async () => {
    for (const b of books) await b.stop();
    for (const s of stores) await s.close();
    await nats?.stop();
  });

  it('two replicas racing for a /28 hand out 13 distinct addresses and refuse the rest', async () => {
    const [a, b] = [await replica(), await replica()];
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).allocatePort({ ...ctx, port_id: `port-${i}`, network_id: 'net-1', subnets: [subnet], ips: [{ subnet_id: 'sub-1' }], mac_address: null }),
      ),
    );
    const ok = results.filter((r): r is PromiseFulfilledResult<any> => r.status === 'fulfilled').map((r) => r.value);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(13);
    expect(new Set(ok.map((r) => r.fixed_ips[0].ip_address)).size).toBe(13);
    expect(failed.every((f) => f.reason instanceof IpamError && f.reason.fault.type === 'IpAddressGenerationFailure')).toBe(true);
    const events = await stores[0].readSubject('evt.ipam.sub-1');
    expect(events.filter((e) => e.type === 'ip.allocated')).toHaveLength(13);
    expect(events.every((e) => e.request_id === 'req-test')).toBe(true);
    // Failed ports must not keep a MAC either.
    const macs = await stores[0].readSubject('evt.ipam.net-1');
    expect(macs.filter((e) => e.type === 'mac.allocated')).toHaveLength(13);
  });

  it('gives a released address back, lowest first, and refuses a taken one by name', async () => {
    const a = await replica();
    const sub2 = { ...subnet, id: 'sub-2' };
    const one = await a.allocatePort({ ...ctx, port_id: 'x1', network_id: 'net-2', subnets: [sub2], ips: [{ subnet_id: 'sub-2' }], mac_address: null });
    const two = await a.allocatePort({ ...ctx, port_id: 'x2', network_id: 'net-2', subnets: [sub2], ips: [{ subnet_id: 'sub-2' }], mac_address: null });
    expect([one.fixed_ips[0].ip_address, two.fixed_ips[0].ip_address]).toEqual(['10.0.0.2', '10.0.0.3']);
    await expect(
      a.allocatePort({ ...ctx, port_id: 'x3', network_id: 'net-2', subnets: [sub2], ips: [{ subnet_id: 'sub-2', ip_address: '10.0.0.3' }], mac_address: null }),
    ).rejects.toMatchObject({ fault: { type: 'IpAddressAlreadyAllocated', status: 409 } });
    await a.releasePort({ ...ctx, port_id: 'x1', network_id: 'net-2', fixed_ips: one.fixed_ips, mac_address: one.mac_address });
    const three = await a.allocatePort({ ...ctx, port_id: 'x4', network_id: 'net-2', subnets: [sub2], ips: [{ subnet_id: 'sub-2' }], mac_address: one.mac_address });
    expect(three.fixed_ips[0].ip_address).toBe('10.0.0.2');
    expect(three.mac_address).toBe(one.mac_address);
    await expect(
      a.allocatePort({ ...ctx, port_id: 'x5', network_id: 'net-2', subnets: [sub2], ips: [], mac_address: one.mac_address }),
    ).rejects.toMatchObject({ fault: { type: 'MacAddressInUse' } });
  });

  it('allocates segments lowest first, refuses taken ones and reports exhaustion', async () => {
    const a = await replica();
    const seg = (network_id: string, extra: object = {}) =>
      a.allocateSegment({ ...ctx, network_id, network_type: 'vxlan', physical_network: null, segmentation_id: null, ...extra });
    expect((await seg('n1')).segmentation_id).toBe(1);
    expect((await seg('n2')).segmentation_id).toBe(2);
    await expect(seg('n3', { segmentation_id: 2 })).rejects.toMatchObject({ fault: { type: 'TunnelIdInUse' } });
    expect((await seg('n3')).segmentation_id).toBe(3);
    await expect(seg('n4')).rejects.toMatchObject({ fault: { type: 'NoNetworkAvailable', status: 503 } });
    await a.releaseSegment({ ...ctx, network_id: 'n2', network_type: 'vxlan', physical_network: null, segmentation_id: 2 });
    expect((await seg('n4')).segmentation_id).toBe(2);
    const flat = { network_type: 'flat', physical_network: 'physnet1' };
    await seg('f1', flat);
    await expect(seg('f2', flat)).rejects.toMatchObject({ fault: { type: 'FlatNetworkInUse' } });
    const vlan = { network_type: 'vlan', physical_network: null };
    expect(await seg('v1', vlan)).toMatchObject({ physical_network: 'physnet1', segmentation_id: 100 });
    // GRE keys come from their own ranges and ledger (a key may equal a VNI)
    const gre = { network_type: 'gre' };
    expect(await seg('g1', gre)).toMatchObject({ network_type: 'gre', physical_network: null, segmentation_id: 5 });
    expect(await seg('g2', { ...gre, segmentation_id: 1 })).toMatchObject({ segmentation_id: 1 });
    await expect(seg('g3', { ...gre, segmentation_id: 5 })).rejects.toMatchObject({ fault: { type: 'TunnelIdInUse' } });
    expect(await seg('g3', gre)).toMatchObject({ segmentation_id: 6 });
    await expect(seg('g4', gre)).rejects.toMatchObject({ fault: { type: 'NoNetworkAvailable' } });
  });

  it('a replica started later sees the history', async () => {
    const late = await replica();
    await expect(
      late.allocatePort({ ...ctx, port_id: 'y', network_id: 'net-1', subnets: [subnet], ips: [{ subnet_id: 'sub-1' }], mac_address: null }),
    ).rejects.toMatchObject({ fault: { type: 'IpAddressGenerationFailure' } });
  });
});

describe('orphan reaper', () => {
  it('gives back what a crash left without an owner, and nothing else', async () => {
    const { LedgerBook } = await import('../ledger/ledger-book');
    const { OwnerRegistry } = await import('../ledger/owner-registry');
    const { reapOrphans } = await import('../ledger/reaper');
    const nats = await startNats();
    const store = await EventStore.connect({ servers: nats.url });
    const book = new LedgerBook(store);
    const owners = new OwnerRegistry(store);
    try {
      await book.start();
      await owners.start();
      const ipam = new IpamService(book, cfg);
      const sub = { ...subnet, id: 'sub-r' };
      const kept = await ipam.allocatePort({ ...ctx, port_id: 'live-port', network_id: 'net-r', subnets: [sub], ips: [{ subnet_id: 'sub-r' }], mac_address: null });
      await store.append([{ type: 'port.created', aggregate: { type: 'port', id: 'live-port' }, actor: ctx.actor, request_id: null, causation_id: null, data: { port: { id: 'live-port' } } }]);
      const lost = await ipam.allocatePort({ ...ctx, port_id: 'never-created', network_id: 'net-r', subnets: [sub], ips: [{ subnet_id: 'sub-r' }], mac_address: null });
      await new Promise((r) => setTimeout(r, 200));
      expect(await reapOrphans(book, owners, 60_000)).toBe(0); // too young: a command may be in flight
      expect(await reapOrphans(book, owners, 0)).toBe(2); // its address and its MAC
      expect(book.ledger('sub-r').owners.get(lost.fixed_ips[0].ip_address)).toBeUndefined();
      expect(book.ledger('sub-r').owners.get(kept.fixed_ips[0].ip_address)).toBe('live-port');
      const released = (await store.readSubject('evt.ipam.sub-r')).filter((e) => e.type === 'ip.released');
      expect(released.map((e) => (e.data as { port_id: string }).port_id)).toEqual(['never-created']);
    } finally {
      await owners.stop();
      await book.stop();
      await store.close();
      await nats.stop();
    }
  });
});
