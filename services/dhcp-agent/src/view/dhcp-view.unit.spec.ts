import type { StoredEvent } from '@neutrino/events';
import { DHCP_PORT, HOST, NET, SUBNET, VM1, dhcpPort, ev, myUserNetworkLog, network, port, subnet } from '../__fixtures__/dhcp-log';
import { dhcpDesired, type DhcpDesiredSettings } from '../desired/dhcp-desired';
import { DhcpView } from './dhcp-view';
import { servedNetworks } from './scheduling';

const cfg: DhcpDesiredSettings = { netnsPrefix: '', confRoot: '/d', leaseSeconds: 86400, domain: 'openstacklocal', enableIsolatedMetadata: true, dnsmasqBin: 'dnsmasq' };
const NET2 = '55451e10-861e-4d5f-9c9d-111111111111';
const S2 = '66661e10-861e-4d5f-9c9d-111111111112';

/** Two networks and their ports, a router taking a gateway, updates and deletions. */
const LOG: StoredEvent[] = [
  ...myUserNetworkLog(),
  network(NET2, { mtu: 1500 }),
  subnet(S2, { cidr: '10.30.0.0/24', gateway_ip: '10.30.0.1' }, NET2),
  dhcpPort('0ff14cb0-0912-4b6a-8a52-000000000009', '10.30.0.2', NET2),
  port('26b6f5af-c5aa-4b6a-8a52-000000000010', 'fa:16:3e:00:00:10', [[S2, '10.30.0.3']], {}, NET2),
  port('24b55e34-22aa-4b6a-8a52-000000000011', 'fa:16:3e:00:00:11', [[S2, '10.30.0.1']], { device_owner: 'network:router_interface' }, NET2),
  ev('port.updated', 'port', VM1, { changes: { mac_address: 'fa:16:3e:11:22:44' } }),
  ev('subnet.updated', 'subnet', SUBNET, { changes: { dns_nameservers: ['1.1.1.1'] } }),
  ev('port.deleted', 'port', '26b6f5af-c5aa-4b6a-8a52-000000000010', { port_id: '26b6f5af-c5aa-4b6a-8a52-000000000010', network_id: NET2, fixed_ips: [], mac_address: '' }),
];

const fold = (events: StoredEvent[]) => {
  const v = new DhcpView(HOST);
  for (const e of events) v.apply(e);
  return v;
};

describe('DhcpView', () => {
  it('folds networks, subnets and ports and knows which networks it serves', () => {
    const v = fold(LOG);
    expect(v.networks.get(NET)!.subnets).toEqual([SUBNET]);
    expect(v.subnets.get(SUBNET)!.dns_nameservers).toEqual(['1.1.1.1']);
    expect(v.ports.get(VM1)!.mac_address).toBe('fa:16:3e:11:22:44');
    expect(servedNetworks(v).map((s) => [s.networkId, s.port.id])).toEqual([
      [NET, DHCP_PORT],
      [NET2, '0ff14cb0-0912-4b6a-8a52-000000000009'],
    ]);
  });

  it('calls only dataplane-relevant events relevant, naming the network they touch', () => {
    const v = fold(LOG);
    const touched: string[] = [];
    v.onChange = (n) => touched.push(n);
    expect(v.apply(ev('port.updated', 'port', VM1, { changes: { status: 'ACTIVE' } }))).toBe(false);
    expect(v.apply(ev('port.updated', 'port', VM1, { changes: { fixed_ips: [{ subnet_id: SUBNET, ip_address: '192.168.204.60' }] } }))).toBe(true);
    expect(v.apply(ev('agent.registered', 'agent', 'a', { agent: {} }))).toBe(false);
    expect(touched).toEqual([NET]);
  });

  it('a network deletion takes its subnets and ports with it', () => {
    const v = fold([...LOG, ev('network.deleted', 'network', NET, { network_id: NET })]);
    expect([...v.subnets.keys()]).toEqual([S2]);
    expect(v.portsOf(NET)).toEqual([]);
    expect(servedNetworks(v).map((s) => s.networkId)).toEqual([NET2]);
  });

  it('event by event ends in the desired state of a full replay, also with independent events reordered', () => {
    const full = dhcpDesired(fold(LOG), cfg);
    const live = new DhcpView(HOST);
    let last = dhcpDesired(live, cfg);
    for (const e of LOG) {
      live.apply(e);
      last = dhcpDesired(live, cfg); // the incremental path recomputes after every event
    }
    expect(last).toEqual(full);
    // the NET2 events are independent of NET's: interleave them differently
    const net2 = LOG.filter((e) => JSON.stringify(e).includes(NET2) || JSON.stringify(e).includes(S2));
    const rest = LOG.filter((e) => !net2.includes(e));
    expect(dhcpDesired(fold([...net2, ...rest]), cfg)).toEqual(full);
    expect(dhcpDesired(fold([...rest.slice(0, 2), ...net2, ...rest.slice(2)]), cfg)).toEqual(full);
  });
});
