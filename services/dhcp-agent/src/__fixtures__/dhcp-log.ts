import type { StoredEvent } from '@neutrino/events';
import { dhcpDeviceId } from '../desired/device-id';

/**
 * MyUserNetwork of spec/ipam-and-dhcp.md §8–§10 as a log: a VXLAN network
 * (MTU 1450), subnet 192.168.204.0/24 with gateway .1 (no Neutron router) and
 * DNS 8.8.4.4/8.8.8.8, the DHCP port of host network1 at .50, instances at .51, .52.
 */
export const HOST = 'network1';
export const NET = '34265955-56be-4486-853d-2f0ed5cebb44';
export const SUBNET = 'c7bba0a0-7dc5-4b6f-a4f3-1f2c1e9f0a01';
export const DHCP_PORT = '971fda0d-ea39-4a46-9c6e-4d1a2b3c4d5e';
export const VM1 = 'a1b2c3d4-e5f6-4a47-8b48-000000000051';
export const VM2 = 'b1b2c3d4-e5f6-4a47-8b48-000000000052';

let seq = 0;
export const ev = (type: string, aggregate: string, id: string, data: unknown): StoredEvent => ({
  id: `e${++seq}`, seq, subject: `evt.${aggregate}.${id}`, type, schema: 1, aggregate: { type: aggregate, id }, at: '2026-01-01T00:00:00Z',
  actor: { user_id: null, project_id: 'p', roles: [] }, request_id: null, causation_id: null, data,
});

export const network = (id = NET, extra: object = {}) =>
  ev('network.created', 'network', id, {
    network: { id, name: 'MyUserNetwork', tenant_id: 'p', project_id: 'p', admin_state_up: true, mtu: 1450, subnets: [], 'provider:network_type': 'vxlan', 'provider:segmentation_id': 48, 'provider:physical_network': null, ...extra },
  });

export const subnet = (id = SUBNET, extra: object = {}, networkId = NET) =>
  ev('subnet.created', 'subnet', id, {
    subnet: {
      id, network_id: networkId, ip_version: 4, cidr: '192.168.204.0/24', gateway_ip: '192.168.204.1', enable_dhcp: true,
      dns_nameservers: ['8.8.4.4', '8.8.8.8'], host_routes: [], allocation_pools: [{ start: '192.168.204.50', end: '192.168.204.254' }], ...extra,
    },
  });

export const port = (id: string, mac: string, ips: Array<[string, string]>, extra: object = {}, networkId = NET) =>
  ev('port.created', 'port', id, {
    port: {
      id, network_id: networkId, mac_address: mac, admin_state_up: true, status: 'DOWN', device_owner: 'compute:nova', device_id: `vm-${id}`,
      fixed_ips: ips.map(([subnet_id, ip_address]) => ({ subnet_id, ip_address })), extra_dhcp_opts: [], 'binding:host_id': 'compute1',
      created_at: '2026-01-01T00:00:00Z', ...extra,
    },
  });

export const dhcpPort = (id = DHCP_PORT, ip = '192.168.204.50', networkId = NET, host = HOST) =>
  port(id, 'fa:16:3e:9a:6e:1d', [[SUBNET, ip]], { device_owner: 'network:dhcp', device_id: dhcpDeviceId(host, networkId), 'binding:host_id': host }, networkId);

/** network, subnet, DHCP port, two instances */
export const myUserNetworkLog = (): StoredEvent[] => [
  network(),
  subnet(),
  dhcpPort(),
  port(VM1, 'fa:16:3e:11:22:33', [[SUBNET, '192.168.204.51']]),
  port(VM2, 'FA:16:3E:3A:DB:A9', [[SUBNET, '192.168.204.52']], { 'binding:host_id': 'compute2' }),
];
