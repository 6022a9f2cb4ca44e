import { MemoryDriver, hostState, reconcile } from '@neutrino/dataplane';
import type { StoredEvent } from '@neutrino/events';
import { HOST, NET, SUBNET, dhcpPort, ev, myUserNetworkLog, network, port, subnet } from '../__fixtures__/dhcp-log';
import { dhcpDesired, type DhcpDesiredSettings } from '../desired/dhcp-desired';
import { DhcpView } from '../view/dhcp-view';
import { dhcpOwnership } from './dhcp-ownership';

const cfg: DhcpDesiredSettings = { netnsPrefix: '', confRoot: '/d', leaseSeconds: 86400, domain: 'openstacklocal', enableIsolatedMetadata: true, dnsmasqBin: 'dnsmasq' };
const scope = { ownership: dhcpOwnership() };
const QDHCP = `qdhcp-${NET}`;

/** A view fed event by event and reconciled after each step, like the agent does. */
function agent(driver = new MemoryDriver()) {
  const view = new DhcpView(HOST);
  return {
    driver,
    view,
    feed: (...events: StoredEvent[]) => events.forEach((e) => view.apply(e)),
    reconcile: () => reconcile(driver, dhcpDesired(view, cfg), scope, { verify: true }),
  };
}
const kinds = (r: { changes: { kind: string }[] }) => r.changes.map((c) => c.kind);

describe('dhcp-agent on the memory driver', () => {
  it('converges, and a second reconcile applies nothing', async () => {
    const a = agent();
    a.feed(...myUserNetworkLog());
    const first = await a.reconcile();
    expect(first.applied.failed).toBe(0);
    expect(first.remaining).toEqual([]);
    expect(kinds(first)).toEqual(expect.arrayContaining(['netns.add', 'link.add', 'addr.add', 'process.start']));
    const second = await a.reconcile();
    expect(second.changes).toEqual([]);
  });

  it('a restarted agent (same log, same kernel) finds zero changes', async () => {
    const a = agent();
    a.feed(...myUserNetworkLog());
    await a.reconcile();
    const b = agent(a.driver);
    b.feed(...myUserNetworkLog());
    expect((await b.reconcile()).changes).toEqual([]);
  });

  it('a new port, a port update and a DNS change become one reload of the same dnsmasq (files rewritten, no restart)', async () => {
    const a = agent();
    a.feed(...myUserNetworkLog());
    await a.reconcile();
    const pid = a.driver.kernel.processes.get(`dnsmasq-${NET}`)!.pid;
    a.feed(
      port('c1b2c3d4-e5f6-4a47-8b48-000000000053', 'fa:16:3e:00:00:53', [[SUBNET, '192.168.204.53']]),
      ev('subnet.updated', 'subnet', SUBNET, { changes: { dns_nameservers: ['9.9.9.9'] } }),
    );
    const r = await a.reconcile();
    expect(kinds(r)).toEqual(['process.reload']);
    const reload = r.changes[0] as Extract<(typeof r.changes)[0], { kind: 'process.reload' }>;
    expect(reload.files.map((f) => f.path.split('/').at(-1))).toEqual(['host', 'addn_hosts', 'opts']);
    expect(a.driver.kernel.processes.get(`dnsmasq-${NET}`)!.pid).toBe(pid);
  });

  it('a second subnet restarts dnsmasq (its ranges are on the command line) and adds the address', async () => {
    const a = agent();
    a.feed(...myUserNetworkLog());
    await a.reconcile();
    const S2 = 'd7bba0a0-7dc5-4b6f-a4f3-1f2c1e9f0a02';
    a.feed(
      subnet(S2, { cidr: '10.30.0.0/24', gateway_ip: '10.30.0.1' }),
      ev('port.updated', 'port', '971fda0d-ea39-4a46-9c6e-4d1a2b3c4d5e', { changes: { fixed_ips: [{ subnet_id: SUBNET, ip_address: '192.168.204.50' }, { subnet_id: S2, ip_address: '10.30.0.2' }] } }),
    );
    expect(kinds(await a.reconcile())).toEqual(['addr.add', 'process.restart']);
  });

  it('removing the network stops dnsmasq and deletes the namespace (the veth goes with it)', async () => {
    const a = agent();
    a.feed(...myUserNetworkLog());
    await a.reconcile();
    a.feed(ev('network.deleted', 'network', NET, { network_id: NET }));
    const r = await a.reconcile();
    expect(kinds(r)).toEqual(['process.stop', 'netns.del']);
    expect(r.remaining).toEqual([]);
    expect(a.driver.kernel.links.has('/tap971fda0d-ea')).toBe(false);
  });

  it('never removes a tap it did not create, nor another agent\'s namespace or devices', async () => {
    const foreign = hostState({
      namespaces: [{ name: 'qrouter-0001' }, { name: 'vm1' }],
      links: [
        { name: 'tapd85d5718-e5', kind: 'veth', peer: { name: 'eth0', netns: 'vm1' } }, // an instance's tap
        { netns: 'vm1', name: 'eth0', kind: 'veth', peer: { name: 'tapd85d5718-e5' } },
        { name: 'tap26b6f5af-c5', kind: 'veth', peer: { name: 'qr-26b6f5af-c5', netns: 'qrouter-0001' } }, // a router port's tap
        { netns: 'qrouter-0001', name: 'qr-26b6f5af-c5', kind: 'veth', peer: { name: 'tap26b6f5af-c5' } },
        { name: 'brq34265955-56', kind: 'bridge' },
      ],
    });
    const a = agent(new MemoryDriver(foreign));
    a.feed(...myUserNetworkLog());
    await a.reconcile();
    a.feed(ev('network.deleted', 'network', NET, { network_id: NET }));
    await a.reconcile();
    const left = [...a.driver.kernel.links.keys()].sort();
    expect(left).toEqual(expect.arrayContaining(['/tapd85d5718-e5', '/tap26b6f5af-c5', 'vm1/eth0', 'qrouter-0001/qr-26b6f5af-c5', '/brq34265955-56']));
    expect(left.some((k) => k.includes('971fda0d'))).toBe(false);
    expect([...a.driver.kernel.namespaces].filter(Boolean).sort()).toEqual(['qrouter-0001', 'vm1']);
  });

  it('a foreign device holding the DHCP tap\'s name is reported, not deleted', async () => {
    const a = agent(new MemoryDriver(hostState({ links: [{ name: 'tap971fda0d-ea', kind: 'external', observedKind: 'tun' }] })));
    a.feed(...myUserNetworkLog());
    const r = await a.reconcile();
    expect(r.unresolved.map((u) => u.key)).toEqual(expect.arrayContaining(['/tap971fda0d-ea']));
    expect(r.changes.some((c) => c.kind === 'link.del')).toBe(false);
    expect(a.driver.kernel.links.has('/tap971fda0d-ea')).toBe(true);
  });

  it('a stale namespace of a network that is gone is swept; a namespace outside the prefix is not', async () => {
    const a = agent(new MemoryDriver(hostState({ namespaces: [{ name: 'qdhcp-00000000-dead' }, { name: 'nt1-qdhcp-00000000-beef' }] })));
    a.feed(network(), subnet(), dhcpPort());
    await a.reconcile();
    expect([...a.driver.kernel.namespaces].filter(Boolean).sort()).toEqual(['nt1-qdhcp-00000000-beef', QDHCP]);
  });
});
