import type { Network, Port, QosPolicy } from '@neutrino/domain';
import { portQos, qosHookObjects, tbfFor } from './qos-desired';

const port = { id: '5a1b2c3d-4e5f-4061-8172-839405a6b7c8', network_id: 'n1', device_owner: 'compute:nova', qos_policy_id: 'q1' } as Port;
const policy = (rules: QosPolicy['rules']) => new Map([['q1', { id: 'q1', rules } as QosPolicy]]);

describe('QoS on a LinuxBridge tap (Neutron linuxbridge qos driver shapes)', () => {
  it('an egress (from the VM) limit: the tap ingress redirected to its ifb, shaped at the rule rate with 80% burst', () => {
    const q = portQos(port, undefined, policy([{ id: 'r', type: 'bandwidth_limit', max_kbps: 1000, max_burst_kbps: 0, direction: 'egress' }]));
    expect(q.links).toEqual([{ name: 'qfb5a1b2c3d-4e', kind: 'ifb', up: true }]);
    expect(q.tc).toEqual([
      { dev: 'qfb5a1b2c3d-4e', root: { rate: 125000, burst: 100000, latencyMs: 50 }, redirectIngressTo: null },
      { dev: 'tap5a1b2c3d-4e', root: null, redirectIngressTo: 'qfb5a1b2c3d-4e' },
    ]);
  });

  it('an ingress (to the VM) limit: a tbf at the tap root (rate max_kbps*1024/8, burst as given)', () => {
    const q = portQos(port, undefined, policy([{ id: 'r', type: 'bandwidth_limit', max_kbps: 2000, max_burst_kbps: 300, direction: 'ingress' }]));
    expect(q.tc).toEqual([{ dev: 'tap5a1b2c3d-4e', root: { rate: 256000, burst: 38400, latencyMs: 50 }, redirectIngressTo: null }]);
    expect(tbfFor('ingress', 1000, 0)).toEqual({ rate: 128000, burst: 102400, latencyMs: 50 });
  });

  it('DSCP marking: a mangle chain per port setting the mark, jumped to for the tap\'s bridged traffic', () => {
    const q = portQos(port, undefined, policy([{ id: 'r', type: 'dscp_marking', dscp_mark: 14 }]));
    expect(q.dscpChain).toEqual({ name: 'neutron-linuxbri-qos-o5a1b2c', rules: ['-j DSCP --set-dscp 0x0e'] });
    expect(q.dscpHook).toBe('-m physdev --physdev-in tap5a1b2c3d-4e --physdev-is-bridged -j neutron-linuxbri-qos-o5a1b2c');
    expect(qosHookObjects([q.dscpHook!]).map(([k]) => k)).toEqual([
      'chain:/ipv4/mangle/POSTROUTING', 'chain:/ipv4/mangle/neutron-linuxbri-POSTROUTING', 'chain:/ipv6/mangle/POSTROUTING', 'chain:/ipv6/mangle/neutron-linuxbri-POSTROUTING',
    ]);
    expect(qosHookObjects([])).toEqual([]);
  });

  it("the network's policy applies to its VM ports but not to the ports it owns; a port's own wins; none = nulls", () => {
    const net = { id: 'n1', qos_policy_id: 'q1' } as Network;
    const rules = policy([{ id: 'r', type: 'bandwidth_limit', max_kbps: 2000, max_burst_kbps: 0, direction: 'ingress' }]);
    expect(portQos({ ...port, qos_policy_id: null }, net, rules).tc[0].root).not.toBeNull();
    expect(portQos({ ...port, qos_policy_id: null, device_owner: 'network:dhcp' }, net, rules).tc).toEqual([{ dev: 'tap5a1b2c3d-4e', root: null, redirectIngressTo: null }]);
    expect(portQos({ ...port, qos_policy_id: 'gone' }, net, rules).tc).toEqual([{ dev: 'tap5a1b2c3d-4e', root: null, redirectIngressTo: null }]);
  });
});
