import { bridgeBatchLine, ipBatchLine } from './ip-batch';
import { renderIpsetRestore } from './ipset-restore';
import { diff } from '../diff/diff';
import { hostState } from '../model/state';
import { sampleHost } from '../__fixtures__/sample-host';

describe('ip / bridge batch lines', () => {
  it('renders the creation of a LinuxBridge host', () => {
    const lines = diff(sampleHost(1), hostState()).map((c) => ipBatchLine(c) ?? bridgeBatchLine(c)).filter(Boolean);
    expect(lines).toEqual([
      'netns add t-qdhcp-34265955-56be-4486-853d-2f0ed5cebb44',
      'link add brq34265955-56 type bridge',
      'link add tapd0000000-01 type veth peer name ns-d0000000-01 netns t-qdhcp-34265955-56be-4486-853d-2f0ed5cebb44',
      'link add vxlan-48 type vxlan id 48 local 172.18.0.100 dev eth0 dstport 4789 nolearning',
      'link set dev brq34265955-56 mtu 1450 up',
      'link set dev tapd0000000-01 master brq34265955-56 up',
      'link set dev vxlan-48 mtu 1450 master brq34265955-56 up',
      'link set dev lo up',
      'link set dev ns-d0000000-01 address fa:16:3e:00:00:01 up',
      'addr add 10.0.0.2/16 brd + dev ns-d0000000-01',
      'fdb append 00:00:00:00:00:00 dev vxlan-48 dst 172.18.0.101',
      'fdb append 00:00:00:00:00:00 dev vxlan-48 dst 172.18.0.102',
      'fdb append fa:16:3e:01:86:a1 dev vxlan-48 dst 172.18.0.101',
      'route replace 0.0.0.0/0 via 10.0.0.1 proto static',
    ]);
  });

  it('addresses the root namespace through PID 1 when a veth is created from a child namespace', () => {
    expect(ipBatchLine({ kind: 'link.add', link: { netns: 'qdhcp-x', name: 'ns-a', kind: 'veth', peer: { name: 'tap-a' } } })).toBe(
      'link add ns-a type veth peer name tap-a netns 1',
    );
    expect(ipBatchLine({ kind: 'link.add', link: { netns: 'qdhcp-x', name: 'ns-a', kind: 'veth', peer: { name: 'tap-a' } } }, { hostNetns: 'compute1' })).toBe(
      'link add ns-a type veth peer name tap-a netns compute1',
    );
  });

  it('renders removals', () => {
    expect(ipBatchLine({ kind: 'link.set', netns: '', name: 'eth2', master: null, up: false })).toBe('link set dev eth2 nomaster down');
    expect(ipBatchLine({ kind: 'route.del', route: { dst: '2001:db8:1::/48', via: '2001:db8::fe', table: '100' } })).toBe('route del 2001:db8:1::/48 via 2001:db8::fe table 100');
    expect(bridgeBatchLine({ kind: 'fdb.del', entry: { dev: 'vxlan-48', mac: 'fa:16:3e:00:00:09', dst: '172.18.0.102' } })).toBe('fdb del fa:16:3e:00:00:09 dev vxlan-48 dst 172.18.0.102');
  });
});

describe('ipset restore', () => {
  const set = { netns: '', name: 'NIPv460ca9b2c-dc87-40c7-a5ff-', type: 'hash:net' as const, family: 'inet' as const };

  it('adds and deletes members of a small change in place', () => {
    const observed = hostState({ ipsets: [{ ...set, members: ['10.0.0.1', '10.0.0.2'], owned: true }] });
    const changes = diff(hostState({ ipsets: [{ ...set, members: ['10.0.0.2/32', '10.0.0.3'] }] }), observed);
    expect(renderIpsetRestore(changes as never)).toBe(`del ${set.name} 10.0.0.1\nadd ${set.name} 10.0.0.3\n`);
  });

  it('rebuilds a set under a temporary name and swaps it in for a large change', () => {
    const observed = hostState({ ipsets: [{ ...set, members: ['10.0.0.1'], owned: true }] });
    const changes = diff(hostState({ ipsets: [{ ...set, members: ['10.1.0.0/24', '10.0.0.7'] }] }), observed, { ipsetSwapThreshold: 2 });
    expect(renderIpsetRestore(changes as never)).toBe(
      [`create ${set.name}-n hash:net family inet`, `flush ${set.name}-n`, `add ${set.name}-n 10.0.0.7`, `add ${set.name}-n 10.1.0.0/24`, `swap ${set.name}-n ${set.name}`, `destroy ${set.name}-n`, ''].join('\n'),
    );
  });
});
