import type { Change } from '@neutrino/dataplane';
import type { StoredEvent } from '@neutrino/events';
import { L2View } from '../view/l2-view';
import { conntrackFlushes } from './conntrack';

const ev = (id: string, ips: string[]): StoredEvent => ({
  id, seq: 1, subject: `evt.port.${id}`, type: 'port.created', schema: 1, aggregate: { type: 'port', id }, at: '', actor: { user_id: null, project_id: 'p', roles: [] }, request_id: null, causation_id: null,
  data: { port: { id, network_id: 'n', mac_address: 'fa:16:3e:00:00:01', 'binding:host_id': 'compute1', fixed_ips: ips.map((ip_address) => ({ subnet_id: 's', ip_address })), security_groups: [] } },
});

describe('conntrackFlushes', () => {
  it("ends the flows to a port whose ingress chain changed and from one whose egress chain went, by the port the chain's name abbreviates", () => {
    const view = new L2View('compute1');
    view.apply(ev('6d7340c8-b1aa-4b6a-8a52-000000000003', ['10.0.0.3', 'fd00::3']));
    view.apply(ev('971fda0d-eaaa-4b6a-8a52-000000000004', ['10.0.0.4']));
    const changes = [
      { kind: 'chain.set', family: 'ipv4', table: 'filter', chain: 'neutron-linuxbri-i6d7340c8-b', rules: [] },
      { kind: 'chain.delete', family: 'ipv4', table: 'filter', chain: 'neutron-linuxbri-o971fda0d-e' },
      { kind: 'chain.set', family: 'ipv4', table: 'filter', chain: 'neutron-linuxbri-s971fda0d-e', rules: [] },
      { kind: 'chain.set', family: 'ipv4', table: 'filter', chain: 'neutron-linuxbri-i00000000-0', rules: [] },
    ] as unknown as Change[];
    expect(conntrackFlushes(changes, view)).toEqual([
      { direction: '-d', ip: '10.0.0.3', family: 'ipv4' },
      { direction: '-d', ip: 'fd00::3', family: 'ipv6' },
      { direction: '-s', ip: '10.0.0.4', family: 'ipv4' },
    ]);
  });
});
