import { ConcurrencyError, type EventStore, type StoredEvent } from '@neutrino/events';

/**
 * The router of spec/l3.md §2.2 as a log: router bc2a45f6-… scheduled to
 * network1, gateway port df73484e-8b… at 10.50.0.100 on the external network
 * 10.50.0.0/24 (gateway .1), interface 24b55e34-22… at 10.30.0.1 on the
 * tenant subnet 10.30.0.0/24, floating IP 10.50.0.101 ↔ 10.30.0.3.
 */
export const HOST = 'network1';
export const ROUTER = 'bc2a45f6-6d3f-4b2c-8a55-9e0bd4c1a7f1';
export const EXT_NET = '55451e10-8683-4c8e-8a8c-1b8f7ad3c001';
export const EXT_SUBNET = '6f1a0c1e-3c1d-4e0b-9a8c-1b8f7ad3c002';
export const NET = '34265955-56be-4486-853d-2f0ed5cebb44';
export const SUBNET = 'c7bba0a0-7dc5-4b6f-a4f3-1f2c1e9f0a01';
export const GW_PORT = 'df73484e-8b5a-4d6e-9c1f-000000000100';
export const IF_PORT = '24b55e34-2211-4b6a-8a52-000000000001';
export const FIP = 'f1f1f1f1-0000-4000-8000-000000000101';
export const VM_PORT = 'a1b2c3d4-e5f6-4a47-8b48-000000000003';

let seq = 0;
export const ev = (type: string, aggregate: string, id: string, data: unknown): StoredEvent => ({
  id: `e${++seq}`, seq, subject: `evt.${aggregate}.${id}`, type, schema: 1, aggregate: { type: aggregate, id }, at: '2026-01-01T00:00:00Z',
  actor: { user_id: null, project_id: 'p', roles: [] }, request_id: null, causation_id: null, data,
});

export const network = (id: string, extra: object = {}) =>
  ev('network.created', 'network', id, { network: { id, name: id.slice(0, 4), tenant_id: 'p', project_id: 'p', admin_state_up: true, mtu: 1450, subnets: [], 'provider:network_type': 'vxlan', 'provider:segmentation_id': 30, 'router:external': false, ...extra } });

export const subnet = (id: string, networkId: string, cidr: string, gatewayIp: string | null) =>
  ev('subnet.created', 'subnet', id, { subnet: { id, network_id: networkId, ip_version: 4, cidr, gateway_ip: gatewayIp, enable_dhcp: false, dns_nameservers: [], host_routes: [], allocation_pools: [] } });

export const port = (id: string, networkId: string, mac: string, ips: Array<[string, string]>, extra: object = {}) =>
  ev('port.created', 'port', id, {
    port: {
      id, network_id: networkId, mac_address: mac, admin_state_up: true, status: 'DOWN', device_owner: 'compute:nova', device_id: 'vm',
      fixed_ips: ips.map(([subnet_id, ip_address]) => ({ subnet_id, ip_address })), 'binding:host_id': HOST, ...extra,
    },
  });

export const router = (id = ROUTER, extra: object = {}) =>
  ev('router.created', 'router', id, {
    router: {
      id, name: 'router1', tenant_id: 'p', project_id: 'p', admin_state_up: true, status: 'ACTIVE', routes: [], distributed: false, ha: false, tags: [],
      external_gateway_info: { network_id: EXT_NET, enable_snat: true, external_fixed_ips: [{ subnet_id: EXT_SUBNET, ip_address: '10.50.0.100' }] },
      ...extra,
    },
  });

export const scheduled = (id = ROUTER, hosts = [HOST]) => ev('router.scheduled', 'router', id, { router_id: id, hosts });

export const routerUpdated = (changes: object, id = ROUTER) => ev('router.updated', 'router', id, { changes });

export const floatingIp = (id = FIP, address = '10.50.0.101', fixed: string | null = '10.30.0.3', portId: string | null = VM_PORT, routerId: string | null = ROUTER) =>
  ev('floatingip.created', 'floatingip', id, {
    floatingip: { id, floating_network_id: EXT_NET, floating_ip_address: address, port_id: portId, fixed_ip_address: fixed, router_id: routerId, status: 'DOWN', tenant_id: 'p', project_id: 'p' },
  });

export const fipUpdated = (changes: object, id = FIP) => ev('floatingip.updated', 'floatingip', id, { changes });

/** external network + subnet, tenant network + subnet, router, its gateway and interface ports, scheduling */
export const routerLog = (): StoredEvent[] => [
  network(EXT_NET, { 'router:external': true, mtu: 1500, 'provider:network_type': 'flat', 'provider:physical_network': 'public', 'provider:segmentation_id': null }),
  subnet(EXT_SUBNET, EXT_NET, '10.50.0.0/24', '10.50.0.1'),
  network(NET),
  subnet(SUBNET, NET, '10.30.0.0/24', '10.30.0.1'),
  router(),
  port(GW_PORT, EXT_NET, 'fa:16:3e:6d:81:d1', [[EXT_SUBNET, '10.50.0.100']], { device_owner: 'network:router_gateway', device_id: ROUTER }),
  port(IF_PORT, NET, 'fa:16:3e:cc:95:36', [[SUBNET, '10.30.0.1']], { device_owner: 'network:router_interface', device_id: ROUTER }),
  scheduled(),
];

export const HA_NET = 'aaaaaaaa-0000-4000-8000-00000000000a';
export const HA_SUBNET = 'aaaaaaaa-0000-4000-8000-00000000000b';
export const HA_PORT = 'dbf90435-cf00-4000-8000-000000000001';
export const HA_PORT_2 = 'a8675ca3-7200-4000-8000-000000000002';

/** The router of spec/l3.md §2.2 made HA and scheduled to network1 and network2, each with its HA port. */
export const haLog = (): StoredEvent[] => [
  ...routerLog().filter((e) => e.type !== 'router.created' && e.type !== 'router.scheduled'),
  router(ROUTER, { ha: true }),
  ev('network.created', 'network', HA_NET, { network: { id: HA_NET, tenant_id: '', project_id: '', admin_state_up: true, mtu: 1450, subnets: [], 'provider:network_type': 'vxlan' } }),
  ev('subnet.created', 'subnet', HA_SUBNET, { subnet: { id: HA_SUBNET, network_id: HA_NET, ip_version: 4, cidr: '169.254.192.0/18', gateway_ip: null } }),
  port(HA_PORT, HA_NET, 'fa:16:3e:00:00:aa', [[HA_SUBNET, '169.254.192.2']], { device_owner: 'network:router_ha_interface', device_id: ROUTER, 'binding:host_id': 'network1' }),
  port(HA_PORT_2, HA_NET, 'fa:16:3e:00:00:bb', [[HA_SUBNET, '169.254.192.3']], { device_owner: 'network:router_ha_interface', device_id: ROUTER, 'binding:host_id': 'network2' }),
  scheduled(ROUTER, ['network1', 'network2']),
  floatingIp(),
];

/**
 * The event store the l3-agent's monitors see, over an in-memory log: an append must carry the subject's
 * expected sequence (a conflict is counted and thrown as ConcurrencyError) and lands in the log through
 * `record`, so the view has it at once; `interfere`, when set, runs once just before the next append
 * (another writer got in first).
 */
export function subjectLogStore(log: StoredEvent[], record: (e: StoredEvent) => void) {
  const appended: Array<{ type: string; id: string; data: unknown }> = [];
  const conflicts: string[] = [];
  let interfere: (() => void) | undefined;
  const lastSeq = (subject: string) => log.filter((e) => e.subject === subject).at(-1)?.seq ?? 0;
  const store = {
    readSubject: async (subject: string) => log.filter((e) => e.subject === subject),
    append: async (events: Array<{ type: string; aggregate: { type: string; id: string }; data: unknown }>, opts: { expectedSubjectSeq?: number } = {}) => {
      const i = interfere;
      interfere = undefined;
      i?.();
      for (const e of events) {
        const subject = `evt.${e.aggregate.type}.${e.aggregate.id}`;
        if (opts.expectedSubjectSeq === undefined) throw new Error('an agent appends with the expected subject sequence');
        if (lastSeq(subject) !== opts.expectedSubjectSeq) {
          conflicts.push(subject);
          throw new ConcurrencyError(subject, opts.expectedSubjectSeq, lastSeq(subject));
        }
        appended.push({ type: e.type, id: e.aggregate.id, data: e.data });
        record(ev(e.type, e.aggregate.type, e.aggregate.id, e.data));
      }
    },
  } as unknown as EventStore;
  return { store, appended, conflicts, interfere: (f: () => void) => (interfere = f) };
}
