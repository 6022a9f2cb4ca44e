import { planTopology, type TestbedStatus } from '@neutrino/testbed';
import { apiUrlFrom, formatStatus } from './testbed-format';

describe('testbed CLI output', () => {
  it('reaches a wildcard API listen address on loopback and brackets IPv6', () => {
    expect(apiUrlFrom('0.0.0.0', '9696')).toBe('http://127.0.0.1:9696');
    expect(apiUrlFrom('10.0.0.5', '9696')).toBe('http://10.0.0.5:9696');
    expect(apiUrlFrom('::', '9696')).toBe('http://[::1]:9696');
  });

  it('says when nothing is up, and lists hosts, processes, instances and missing namespaces', () => {
    const empty: TestbedStatus = { up: false, stateDir: '/d', id: null, phase: null, hosts: [], netns: [], otherNetns: [], processes: [], instances: [] };
    expect(formatStatus(empty)).toBe('no test bed recorded in /d\n');

    const plan = planTopology({ id: 'ab1' });
    const text = formatStatus({
      ...empty,
      up: true,
      id: 'ab1',
      phase: 'up',
      hosts: plan.hosts.map((h) => ({ ...h, present: h.name !== 'compute2' })),
      netns: [{ name: 'ntab1-fabric', present: true }, { name: 'ntab1-compute2', present: false }],
      processes: [{ pid: 42, startTime: '1', label: 'agent compute1/l2-agent', alive: true }],
      instances: [],
      otherNetns: ['ntab1-network1-qdhcp-x'],
    });
    expect(text).toContain('MISSING namespaces: ntab1-compute2');
    expect(text).toContain('network1   netns ntab1-network1  eth1 172.18.0.100/24, eth2 (physnet1:eth2), eth3 (external)');
    expect(text).toContain('compute2   netns ntab1-compute2 (missing)');
    expect(text).not.toContain('openvswitch');
    const ovsPlan = planTopology({ id: 'ab1', mechanism: 'openvswitch', networkMechanism: 'openvswitch' });
    ovsPlan.hosts[0].ovsRunDir = '/d/ovs/network1';
    const ovsText = formatStatus({ up: true, stateDir: '/d', id: 'ab1', phase: 'up', hosts: ovsPlan.hosts.map((h) => ({ ...h, present: true })), netns: [], otherNetns: [], processes: [], instances: [] });
    expect(ovsText).toContain('eth3 (external)  openvswitch (physnet1:br-eth2,public:br-ex, OVS in /d/ovs/network1)');
    expect(text).toContain('42       agent compute1/l2-agent');
    expect(text).toContain('instances: none');
    expect(text).toContain('other namespaces with the prefix: ntab1-network1-qdhcp-x');
  });
});
