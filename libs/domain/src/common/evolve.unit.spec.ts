import { evolveNetwork } from '../network/evolve';
import { evolvePort } from '../port/evolve';
import { evolveSubnet } from '../subnet/evolve';
import type { Network, Port, Subnet } from '../model';

const T0 = '2026-11-23T04:00:00Z';
const T1 = '2026-11-23T04:05:00Z';
const net: Network = {
  id: 'n1', name: 'n', description: '', tenant_id: 'p', project_id: 'p', admin_state_up: true, status: 'ACTIVE', shared: false,
  'router:external': false, mtu: 1450, port_security_enabled: true, 'provider:network_type': 'vxlan',
  'provider:physical_network': null, 'provider:segmentation_id': 5, subnets: [], tags: [], created_at: T0, updated_at: T0,
  revision_number: 1,
};
const sub: Subnet = {
  id: 's1', name: '', description: '', tenant_id: 'p', project_id: 'p', network_id: 'n1', ip_version: 4, cidr: '10.0.0.0/24',
  gateway_ip: '10.0.0.1', allocation_pools: [{ start: '10.0.0.2', end: '10.0.0.254' }], dns_nameservers: [], host_routes: [],
  enable_dhcp: true, ipv6_ra_mode: null, ipv6_address_mode: null, subnetpool_id: null, tags: [], created_at: T0, updated_at: T0,
  revision_number: 0,
};
const port: Port = {
  id: 'p1', name: '', description: '', tenant_id: 'p', project_id: 'p', network_id: 'n1', admin_state_up: true, status: 'DOWN',
  mac_address: 'fa:16:3e:00:00:01', fixed_ips: [{ subnet_id: 's1', ip_address: '10.0.0.2' }], device_id: '', device_owner: '',
  security_groups: [], port_security_enabled: true, allowed_address_pairs: [], extra_dhcp_opts: [], 'binding:host_id': '',
  'binding:profile': {}, 'binding:vif_type': 'unbound', 'binding:vif_details': {}, 'binding:vnic_type': 'normal', tags: [],
  created_at: T0, updated_at: T0, revision_number: 1,
};

describe('evolve', () => {
  it('network: created, updated (revision +1, updated_at), deleted', () => {
    const created = evolveNetwork(undefined, { type: 'network.created', at: T0, data: { network: net } });
    expect(created).toEqual(net);
    const updated = evolveNetwork(created, { type: 'network.updated', at: T1, data: { changes: { name: 'x', shared: true } } });
    expect(updated).toEqual({ ...net, name: 'x', shared: true, revision_number: 2, updated_at: T1 });
    expect(evolveNetwork(updated, { type: 'network.deleted', at: T1, data: { network_id: 'n1' } })).toBeUndefined();
  });

  it('network.subnets follows subnet.created / subnet.deleted, each a revision of the network (as in Zed)', () => {
    const withSubnet = evolveNetwork(net, { type: 'subnet.created', at: T1, data: { subnet: sub } })!;
    expect([withSubnet.subnets, withSubnet.revision_number, withSubnet.updated_at]).toEqual([['s1'], 2, T1]);
    const again = evolveNetwork(withSubnet, { type: 'subnet.created', at: T1, data: { subnet: sub } });
    expect(again).toBe(withSubnet);
    const other = evolveNetwork(withSubnet, { type: 'subnet.created', at: T1, data: { subnet: { ...sub, id: 's2', network_id: 'n2' } } });
    expect(other).toBe(withSubnet);
    const without = evolveNetwork(withSubnet, { type: 'subnet.deleted', at: T1, data: { subnet_id: 's1', network_id: 'n1' } })!;
    expect([without.subnets, without.revision_number]).toEqual([[], 3]);
  });

  it('the event is not mutated and the view does not share its arrays', () => {
    const data = { network: net };
    const view = evolveNetwork(undefined, { type: 'network.created', at: T0, data })!;
    view.subnets.push('x');
    expect(net.subnets).toEqual([]);
  });

  it('subnet: created, updated, deleted; gone with its network', () => {
    const s = evolveSubnet(undefined, { type: 'subnet.created', at: T0, data: { subnet: sub } })!;
    const u = evolveSubnet(s, { type: 'subnet.updated', at: T1, data: { changes: { gateway_ip: null } } });
    expect(u).toEqual({ ...sub, gateway_ip: null, revision_number: 1, updated_at: T1 });
    expect(evolveSubnet(u, { type: 'subnet.deleted', at: T1, data: { subnet_id: 's1', network_id: 'n1' } })).toBeUndefined();
    expect(evolveSubnet(u, { type: 'network.deleted', at: T1, data: { network_id: 'n1' } })).toBeUndefined();
    expect(evolveSubnet(u, { type: 'network.deleted', at: T1, data: { network_id: 'n9' } })).toBe(u);
  });

  it('port: created, updated, deleted; unrelated events leave it alone', () => {
    const p = evolvePort(undefined, { type: 'port.created', at: T0, data: { port } })!;
    const fixed_ips = [{ subnet_id: 's1', ip_address: '10.0.0.3' }];
    const u = evolvePort(p, { type: 'port.updated', at: T1, data: { changes: { fixed_ips, status: 'ACTIVE' } } });
    expect(u).toEqual({ ...port, fixed_ips, status: 'ACTIVE', revision_number: 2, updated_at: T1 });
    expect(evolvePort(u, { type: 'ip.allocated', at: T1, data: { subnet_id: 's1', network_id: 'n1', ip_address: '10.0.0.9', port_id: 'p1' } })).toBe(u);
    expect(evolvePort(u, { type: 'port.deleted', at: T1, data: { port_id: 'p1', network_id: 'n1', fixed_ips, mac_address: port.mac_address } })).toBeUndefined();
  });
});
