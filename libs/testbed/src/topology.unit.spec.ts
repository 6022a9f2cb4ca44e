import { planTopology } from './topology';
import { tapName } from '@neutrino/naming';
import { instanceNetns } from './names';
import { providerBridges } from './ovs-hosts';
import { bridgeMappings } from './suite-agents';

describe('planTopology', () => {
  it('names every namespace with the test bed prefix and gives hosts .100, .101, .102 on the underlay', () => {
    const plan = planTopology({ id: 'ab12c' });
    expect(plan.prefix).toBe('ntab12c-');
    expect(plan.fabric.netns).toBe('ntab12c-fabric');
    expect(plan.internet).toMatchObject({ netns: 'ntab12c-internet', gatewayIp: '203.0.113.1', cidr: '203.0.113.0/24' });
    expect(plan.hosts.map((h) => [h.name, h.netns, h.underlayIp, h.externalInterface])).toEqual([
      ['network1', 'ntab12c-network1', '172.18.0.100', 'eth3'],
      ['compute1', 'ntab12c-compute1', '172.18.0.101', null],
      ['compute2', 'ntab12c-compute2', '172.18.0.102', null],
    ]);
    expect(plan.hosts[1]).toMatchObject({ underlayInterface: 'eth1', physicalInterfaceMappings: 'physnet1:eth2', netnsPrefix: 'ntab12c-compute1-' });
  });

  it('rejects host names that cannot become link names, duplicates and reserved names', () => {
    expect(() => planTopology({ id: 'x', hosts: [{ name: 'averyveryverylonghost' }] })).toThrow(/link names/);
    expect(() => planTopology({ id: 'x', hosts: [{ name: 'a' }, { name: 'a' }] })).toThrow(/twice/);
    expect(() => planTopology({ id: 'x', hosts: [{ name: 'fabric' }] })).toThrow(/reserved/);
    expect(() => planTopology({ id: 'X!' })).toThrow(/test bed id/);
  });

  it('derives device names from the port as a hypervisor does (tap + 11 characters)', () => {
    expect(tapName('6d7340c8-b1e2-4c3a-9f00-000000000000')).toBe('tap6d7340c8-b1');
    expect(instanceNetns('ntab12c-', 'vm1')).toBe('ntab12c-vm-vm1');
  });

  it('mechanisms: computes by `mechanism`, network hosts by `networkMechanism` (both linuxbridge by default); openvswitch hosts get provider bridges br-eth2 (and br-ex on network hosts)', () => {
    expect(planTopology({ id: 'x' }).hosts.map((h) => h.mechanism)).toEqual(['linuxbridge', 'linuxbridge', 'linuxbridge']);
    expect(planTopology({ id: 'x', mechanism: 'openvswitch' }).hosts.map((h) => h.mechanism)).toEqual(['linuxbridge', 'openvswitch', 'openvswitch']);
    const all = planTopology({ id: 'x', mechanism: 'openvswitch', networkMechanism: 'openvswitch' });
    expect(all.hosts.map((h) => h.mechanism)).toEqual(['openvswitch', 'openvswitch', 'openvswitch']);
    expect(providerBridges(all.hosts[0], 'public')).toEqual([
      { physnet: 'physnet1', bridge: 'br-eth2', interface: 'eth2' },
      { physnet: 'public', bridge: 'br-ex', interface: 'eth3' },
    ]);
    expect(bridgeMappings(all.hosts[0])).toBe('physnet1:br-eth2,public:br-ex');
    expect(bridgeMappings(all.hosts[1])).toBe('physnet1:br-eth2');
    expect(providerBridges(planTopology({ id: 'x' }).hosts[1], 'public')).toEqual([]);
  });
});
