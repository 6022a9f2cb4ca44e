import type { StoredEvent } from '@neutrino/events';

/** Two tenant networks with overlapping CIDRs, instances on both, a router on net A, and the DHCP port of net A. */
export const NET_A = '11111111-1111-4111-8111-111111111111';
export const NET_B = '22222222-2222-4222-8222-222222222222';
export const ROUTER = '33333333-3333-4333-8333-333333333333';
export const VM1 = 'aaaaaaaa-0000-4000-8000-000000000001';
export const VM2 = 'aaaaaaaa-0000-4000-8000-000000000002';
export const VM3 = 'aaaaaaaa-0000-4000-8000-000000000003';

let seq = 0;
export const ev = (type: string, aggregate: string, id: string, data: unknown): StoredEvent => ({
  id: `e${++seq}`, seq, subject: `evt.${aggregate}.${id}`, type, schema: 1, aggregate: { type: aggregate, id }, at: '2026-01-01T00:00:00Z',
  actor: { user_id: null, project_id: 'p', roles: [] }, request_id: null, causation_id: null, data,
});

export const portCreated = (id: string, networkId: string, ip: string, extra: object = {}) =>
  ev('port.created', 'port', id, {
    port: { id, network_id: networkId, tenant_id: 'tenant-1', project_id: 'tenant-1', device_owner: 'compute:nova', device_id: `device-of-${id}`, fixed_ips: [{ subnet_id: `sub-${networkId}`, ip_address: ip }], mac_address: 'fa:16:3e:00:00:01', ...extra },
  });

/** VM1 on A at 10.0.0.5, VM2 on B at the same 10.0.0.5, VM3 on A at 10.0.0.6 (another tenant), DHCP on A at .2, the router's interface on A at .1. */
export const portLog = (): StoredEvent[] => [
  portCreated('p-vm1', NET_A, '10.0.0.5', { device_id: VM1 }),
  portCreated('p-vm2', NET_B, '10.0.0.5', { device_id: VM2 }),
  portCreated('p-vm3', NET_A, '10.0.0.6', { device_id: VM3, tenant_id: 'tenant-2', project_id: 'tenant-2' }),
  portCreated('p-dhcp', NET_A, '10.0.0.2', { device_owner: 'network:dhcp', device_id: `dhcp-x-${NET_A}` }),
  portCreated('p-rtr', NET_A, '10.0.0.1', { device_owner: 'network:router_interface', device_id: ROUTER }),
];
