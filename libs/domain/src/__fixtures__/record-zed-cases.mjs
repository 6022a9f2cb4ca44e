// The cases record-zed.mjs sends to the reference Neutron. Each case: a name, who
// sends it (see WHO in record-zed.mjs), the request, and optionally `snapshot`
// (recorded as `before`: the resource as it was just before the request).
// `{ step }` entries are unrecorded actions between cases.

const UUID_NONE = '11111111-2222-3333-4444-555555555555';

export async function buildCases({ call, make, refresh, created }) {
  const S = {};
  // ---- projects dom-fx-p1 (member), dom-fx-p2 (member), dom-fx-adm (admin)
  S.net1 = await make('networks', { network: { name: 'dom-fx-net1' } }, 'p1');
  S.sub1 = await make('subnets', { subnet: { network_id: S.net1.id, ip_version: 4, cidr: '10.20.0.0/28', name: 'dom-fx-v4' } }, 'p1');
  S.sub6 = await make('subnets', {
    subnet: { network_id: S.net1.id, ip_version: 6, cidr: '2001:db8:20::/64', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac', name: 'dom-fx-v6' },
  }, 'p1');
  S.port1 = await make('ports', {
    port: { network_id: S.net1.id, name: 'dom-fx-port1', mac_address: 'fa:16:3e:aa:bb:01', fixed_ips: [{ subnet_id: S.sub1.id, ip_address: '10.20.0.5' }] },
  }, 'p1');
  S.portU = await make('ports', {
    port: { network_id: S.net1.id, name: 'dom-fx-portU', mac_address: 'fa:16:3e:aa:bb:02', fixed_ips: [{ subnet_id: S.sub1.id, ip_address: '10.20.0.6' }] },
  }, 'p1');
  S.netEmpty = await make('networks', { network: { name: 'dom-fx-empty' } }, 'p1');
  S.net2 = await make('networks', { network: { name: 'dom-fx-net2' } }, 'p2');
  S.sub2 = await make('subnets', { subnet: { network_id: S.net2.id, ip_version: 4, cidr: '10.30.0.0/24' } }, 'p2');
  S.shared = await make('networks', { network: { name: 'dom-fx-shared', shared: true } }, 'adm');
  S.sharedSub = await make('subnets', { subnet: { network_id: S.shared.id, ip_version: 4, cidr: '10.44.0.0/24' } }, 'adm');
  S.p2port = await make('ports', { port: { network_id: S.shared.id, name: 'dom-fx-p2port' } }, 'p2');
  S.ext = await make('networks', { network: { name: 'dom-fx-ext', 'router:external': true } }, 'adm');
  S.extSub = await make('subnets', { subnet: { network_id: S.ext.id, ip_version: 4, cidr: '172.30.0.0/24' } }, 'adm');
  S.vlan = await make('networks', {
    network: { name: 'dom-fx-vlan', 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 187 },
  }, 'adm');
  S.netU = await make('networks', { network: { name: 'dom-fx-netU' } }, 'p1');
  S.subU = await make('subnets', { subnet: { network_id: S.netU.id, ip_version: 4, cidr: '10.21.0.0/24' } }, 'p1');
  S.portG = await make('ports', {
    port: { network_id: S.netU.id, name: 'dom-fx-portG', fixed_ips: [{ subnet_id: S.subU.id, ip_address: '10.21.0.200' }] },
  }, 'p1');
  const router = (await call('POST', '/routers', { router: { name: 'dom-fx-r1' } }, 'p1')).body.router;
  created.push(async () => {
    await call('PUT', `/routers/${router.id}/remove_router_interface`, { subnet_id: S.subU.id }, 'adm');
    await call('DELETE', `/routers/${router.id}`, undefined, 'adm');
  });

  const net = (name, body, as = 'p1', extra = {}) => ({ name, as, method: 'POST', path: '/networks', body: { network: body }, ...extra });
  const sub = (name, body, as = 'p1', extra = {}) => ({ name, as, method: 'POST', path: '/subnets', body: { subnet: body }, ...extra });
  const port = (name, body, as = 'p1', extra = {}) => ({ name, as, method: 'POST', path: '/ports', body: { port: body }, ...extra });
  const put = (kind, obj, name, body, as = 'p1') => ({
    name, as, method: 'PUT', path: () => `/${kind}s/${obj().id}`, body: { [kind]: body },
    snapshot: async () => refresh(`${kind}s`, obj().id),
  });
  const get = (kind, id, name, as) => ({ name, as, method: 'GET', path: `/${kind}s/${id}` });
  const on1 = (more = {}) => ({ network_id: S.net1.id, ...more });
  const v4 = (cidr, more = {}) => ({ network_id: S.net1.id, ip_version: 4, cidr, ...more });
  const long = 'a'.repeat(256);

  const body = [
    { name: 'array-body', method: 'POST', path: '/networks', body: [] },
    { name: 'null-body', method: 'POST', path: '/networks', body: null },
    { name: 'string-body', method: 'POST', path: '/networks', body: 'network' },
    { name: 'empty-object', method: 'POST', path: '/networks', body: {} },
    { name: 'resource-null', method: 'POST', path: '/networks', body: { network: null } },
    { name: 'resource-number', method: 'POST', path: '/networks', body: { network: 1 } },
    { name: 'resource-list', method: 'POST', path: '/networks', body: { network: [] } },
    { name: 'bulk-empty-list', method: 'POST', path: '/networks', body: { networks: [] } },
    { name: 'bulk-empty-object', method: 'POST', path: '/networks', body: { networks: {} } },
    { name: 'bulk-number-item', method: 'POST', path: '/networks', body: { networks: [1] } },
    { name: 'bulk-null-item', method: 'POST', path: '/networks', body: { networks: [null] } },
    { name: 'bulk-string-item', method: 'POST', path: '/networks', body: { networks: ['x'] } },
    { name: 'bulk-number', method: 'POST', path: '/networks', body: { networks: 5 } },
    { name: 'bulk-bad-item', method: 'POST', path: '/networks', body: { networks: [{ name: 'dom-fx-b1' }, { foo: 1 }] } },
    { name: 'bulk-ok', method: 'POST', path: '/networks', body: { networks: [{ name: 'dom-fx-b1' }, { network: { name: 'dom-fx-b2' } }] } },
    { name: 'update-bulk', method: 'PUT', path: () => `/networks/${S.netU.id}`, body: { networks: [{ name: 'x' }] } },
    { name: 'update-no-resource', method: 'PUT', path: () => `/networks/${S.netU.id}`, body: { foo: {} } },
    net('unknown-attribute', { foo: 1 }),
    net('post-id', { id: UUID_NONE }),
    net('post-status', { status: 'DOWN' }),
    net('post-subnets', { subnets: [] }),
    net('post-tags', { tags: ['a'] }),
    net('post-created-at', { created_at: 'x' }),
    net('post-revision', { revision_number: 3 }),
    net('name-number', { name: 1 }),
    net('name-too-long', { name: long }),
    net('name-null', { name: null }),
    net('description-number', { description: 5 }),
    net('admin-state-maybe', { admin_state_up: 'maybe' }),
    net('admin-state-null', { admin_state_up: null }),
    net('admin-state-yes', { name: 'dom-fx-yes', admin_state_up: 'yes' }),
    net('other-tenant', { tenant_id: 'dom-fx-other' }),
    net('other-project', { project_id: 'dom-fx-other' }),
    net('tenant-project-mismatch', { tenant_id: 'dom-fx-p1', project_id: 'dom-fx-p2' }, 'adm'),
    net('admin-other-tenant', { name: 'dom-fx-for-p2', tenant_id: 'dom-fx-p2' }, 'adm'),
    net('tenant-number', { tenant_id: 5 }, 'adm'),
  ];

  const network = [
    net('create-member-defaults', { name: 'dom-fx-n' }),
    net('create-admin-defaults', { name: 'dom-fx-n' }, 'adm'),
    net('member-shared', { shared: true }),
    net('member-shared-false', { name: 'dom-fx-n', shared: false }),
    net('member-external', { 'router:external': true }),
    net('member-provider-all', { 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 150 }),
    net('member-provider-physnet', { 'provider:physical_network': 'x' }),
    net('member-combined', {
      shared: true, 'router:external': true, port_security_enabled: false, mtu: 1400,
      'provider:network_type': 'vxlan', 'provider:segmentation_id': 9,
    }),
    net('member-port-security-mtu-shared', { port_security_enabled: false, mtu: 1400, shared: true }),
    net('member-port-security-false', { name: 'dom-fx-n', port_security_enabled: false }),
    net('flat-no-physnet', { 'provider:network_type': 'flat' }, 'adm'),
    net('flat-with-segid', { 'provider:network_type': 'flat', 'provider:physical_network': 'dom-fx-phys', 'provider:segmentation_id': 5 }, 'adm'),
    net('flat-ok', { name: 'dom-fx-flat', 'provider:network_type': 'flat', 'provider:physical_network': 'dom-fx-phys' }, 'adm'),
    net('vlan-unknown-physnet', { 'provider:network_type': 'vlan', 'provider:physical_network': 'nope' }, 'adm'),
    net('vlan-id-too-big', { 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 5000 }, 'adm'),
    net('vlan-id-zero', { 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 0 }, 'adm'),
    net('vlan-id-without-physnet', { 'provider:network_type': 'vlan', 'provider:segmentation_id': 150 }, 'adm'),
    net('vlan-ok', { name: 'dom-fx-vlan2', 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 188 }, 'adm'),
    net('vlan-id-string', { name: 'dom-fx-vlan3', 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': '189' }, 'adm'),
    net('vxlan-with-physnet', { 'provider:network_type': 'vxlan', 'provider:physical_network': 'physnet1' }, 'adm'),
    net('vxlan-ok', { name: 'dom-fx-vx', 'provider:network_type': 'vxlan', 'provider:segmentation_id': 9876 }, 'adm'),
    net('local-with-segid', { 'provider:network_type': 'local', 'provider:segmentation_id': 3 }, 'adm'),
    net('local-with-physnet', { 'provider:network_type': 'local', 'provider:physical_network': 'physnet1' }, 'adm'),
    net('local-ok', { name: 'dom-fx-local', 'provider:network_type': 'local' }, 'adm'),
    net('type-gre', { 'provider:network_type': 'gre' }, 'adm'),
    net('type-bogus', { 'provider:network_type': 'bogus' }, 'adm'),
    net('type-number', { 'provider:network_type': 5 }, 'adm'),
    net('type-null', { 'provider:network_type': null }, 'adm'),
    net('physnet-null', { 'provider:network_type': 'vlan', 'provider:physical_network': null }, 'adm'),
    net('only-segid', { 'provider:segmentation_id': 5 }, 'adm'),
    net('only-physnet', { 'provider:physical_network': 'physnet1' }, 'adm'),
    net('segid-not-int', { 'provider:network_type': 'vxlan', 'provider:segmentation_id': 'abc' }, 'adm'),
    net('segid-null', { 'provider:network_type': 'vxlan', 'provider:segmentation_id': null }, 'adm'),
    net('mtu-too-big-vxlan', { mtu: 1451 }),
    net('mtu-too-big-flat', { 'provider:network_type': 'flat', 'provider:physical_network': 'dom-fx-phys2', mtu: 1501 }, 'adm'),
    net('mtu-not-int', { mtu: 'abc' }),
    net('mtu-negative', { mtu: -1 }),
    net('mtu-ok', { name: 'dom-fx-mtu', mtu: 1400 }),
    net('port-security-maybe', { port_security_enabled: 'maybe' }),
    // updates (netU owned by p1; vlan owned by adm; shared owned by adm with a p2 port)
    put('network', () => S.netU, 'update-provider-type-member', { 'provider:network_type': 'vlan' }),
    put('network', () => S.netU, 'update-segid-member', { 'provider:segmentation_id': 77 }),
    put('network', () => S.netU, 'update-segid-vxlan', { 'provider:segmentation_id': 77 }, 'adm'),
    put('network', () => S.netU, 'update-type-admin', { 'provider:network_type': 'vlan' }, 'adm'),
    put('network', () => S.netU, 'update-physnet-admin', { 'provider:physical_network': 'physnet1' }, 'adm'),
    put('network', () => S.vlan, 'update-vlan-segid-too-big', { 'provider:segmentation_id': 5000 }, 'adm'),
    put('network', () => S.netU, 'update-shared-member', { shared: true }),
    put('network', () => S.netU, 'update-external-member', { 'router:external': true }),
    put('network', () => S.netU, 'update-subnets', { subnets: [] }),
    put('network', () => S.netU, 'update-status', { status: 'DOWN' }),
    put('network', () => S.netU, 'update-tenant', { tenant_id: 'dom-fx-p1' }),
    put('network', () => S.netU, 'update-other-project', { project_id: 'dom-fx-p2' }),
    put('network', () => S.netU, 'update-tags', { tags: [] }),
    put('network', () => S.netU, 'update-unknown', { foo: 1 }),
    put('network', () => S.netU, 'update-not-visible', { name: 'x' }, 'p2'),
    put('network', () => S.shared, 'update-shared-not-owner', { name: 'x' }, 'p1'),
    put('network', () => S.ext, 'update-external-not-owner', { name: 'x' }, 'p1'),
    put('network', () => S.netU, 'update-mtu-too-big', { mtu: 9000 }),
    put('network', () => S.netU, 'update-mtu-negative', { mtu: -1 }),
    put('network', () => S.netU, 'update-ok', { name: 'dom-fx-netU2', admin_state_up: false, port_security_enabled: false, mtu: 1400, description: 'd' }),
    put('network', () => S.shared, 'update-unshare-in-use', { shared: false }, 'adm'),
  ];

  const subnet = [
    sub('create-default-24', v4('10.40.0.0/24')),
    sub('create-28', v4('10.40.1.0/28')),
    sub('create-31-no-gateway', v4('10.40.2.0/31', { enable_dhcp: false, gateway_ip: null })),
    sub('create-31-default-gateway', v4('10.40.2.0/31', { enable_dhcp: false })),
    sub('create-32', v4('10.40.3.0/32', { enable_dhcp: false })),
    sub('create-no-gateway', v4('10.40.4.0/28', { gateway_ip: null })),
    sub('create-gateway-middle', v4('10.40.5.0/28', { gateway_ip: '10.40.5.7', dns_nameservers: ['8.8.8.8', '1.1.1.1', '8.8.4.4'] })),
    sub('create-gateway-last', v4('10.40.6.0/28', { gateway_ip: '10.40.6.14' })),
    sub('create-gateway-outside', v4('10.40.7.0/28', { gateway_ip: '10.40.99.1' })),
    sub('create-host-bits', v4('10.40.8.5/24')),
    sub('create-partial-cidr', v4('10.40.9/24')),
    sub('create-v6-64', { network_id: S.net1.id, ip_version: 6, cidr: '2001:db8:40::/64' }),
    sub('create-v6-canonical', { network_id: S.net1.id, ip_version: 6, cidr: '2001:DB8:41:0:0::/64', gateway_ip: '2001:db8:41::0001' }),
    sub('create-v6-stateful', { network_id: S.net1.id, ip_version: 6, cidr: '2001:db8:42::/64', ipv6_ra_mode: 'dhcpv6-stateful', ipv6_address_mode: 'dhcpv6-stateful' }),
    sub('create-pools-unordered', v4('10.40.10.0/24', {
      allocation_pools: [{ start: '10.40.10.100', end: '10.40.10.200' }, { start: '10.40.10.10', end: '10.40.10.20' }],
    })),
    sub('create-pools-empty', v4('10.40.11.0/24', { allocation_pools: [] })),
    sub('create-routes', v4('10.40.12.0/24', {
      host_routes: [{ destination: '172.16.0.0/24', nexthop: '10.40.12.254' }, { destination: '10.0.0.0/8', nexthop: '10.40.12.253' }],
      name: 'n', description: 'd', enable_dhcp: false,
    })),
    sub('create-on-shared-by-member', { network_id: S.shared.id, ip_version: 4, cidr: '10.45.0.0/24' }, 'p2'),
    sub('create-on-shared-by-reader', { network_id: S.shared.id, ip_version: 4, cidr: '10.45.0.0/24' }, 'p2reader'),
    sub('create-on-external-not-owner', { network_id: S.ext.id, ip_version: 4, cidr: '172.31.0.0/24' }),
    sub('create-admin-for-other-project', v4('10.40.13.0/24', { tenant_id: 'dom-fx-p2' }), 'adm'),
    sub('missing-ip-version', { network_id: S.net1.id, cidr: '10.41.0.0/24' }),
    sub('missing-cidr', { network_id: S.net1.id, ip_version: 4 }),
    sub('missing-network', { ip_version: 4, cidr: '10.41.0.0/24' }),
    sub('ip-version-5', v4('10.41.0.0/24', { ip_version: 5 })),
    sub('ip-version-string', v4('10.41.0.0/24', { ip_version: 'x' })),
    sub('ip-version-mismatch', v4('10.41.0.0/24', { ip_version: 6 })),
    sub('cidr-garbage', v4('garbage')),
    sub('cidr-prefix-33', v4('10.41.0.0/33')),
    sub('cidr-no-prefix-dhcp', v4('10.41.0.0')),
    sub('cidr-five-octets', v4('1.2.3.4.5/24')),
    sub('cidr-zero-dhcp', v4('0.0.0.0/0')),
    sub('cidr-zero-prefix', v4('10.0.0.0/0', { enable_dhcp: false })),
    sub('cidr-multicast', v4('224.0.0.0/24')),
    sub('cidr-loopback', v4('127.0.0.0/24')),
    sub('cidr-v6-127-dhcp', { network_id: S.net1.id, ip_version: 6, cidr: '2001:db8:43::/127' }),
    sub('cidr-overlap', v4('10.20.0.0/24')),
    sub('network-id-invalid', v4('10.41.0.0/24', { network_id: 'not-a-uuid' })),
    sub('network-not-found', v4('10.41.0.0/24', { network_id: UUID_NONE })),
    sub('network-not-found-admin', v4('10.41.0.0/24', { network_id: UUID_NONE }), 'adm'),
    sub('network-not-visible', v4('10.41.0.0/24'), 'p2'),
    sub('gateway-network-address', v4('10.41.0.0/24', { gateway_ip: '10.41.0.0' })),
    sub('gateway-broadcast', v4('10.41.0.0/24', { gateway_ip: '10.41.0.255' })),
    sub('gateway-v6-on-v4', v4('10.41.0.0/24', { gateway_ip: 'fe80::1' })),
    sub('gateway-invalid', v4('10.41.0.0/24', { gateway_ip: 'x' })),
    sub('gateway-leading-zero', v4('10.41.0.0/24', { gateway_ip: '10.41.0.01' })),
    sub('pool-start-after-end', v4('10.41.0.0/24', { allocation_pools: [{ start: '10.41.0.10', end: '10.41.0.2' }] })),
    sub('pool-network-address', v4('10.41.0.0/24', { allocation_pools: [{ start: '10.41.0.0', end: '10.41.0.20' }] })),
    sub('pool-broadcast', v4('10.41.0.0/24', { allocation_pools: [{ start: '10.41.0.5', end: '10.41.0.255' }] })),
    sub('pool-beyond', v4('10.41.0.0/24', { allocation_pools: [{ start: '10.41.0.5', end: '10.41.1.20' }] })),
    sub('pool-overlap', v4('10.41.0.0/24', {
      allocation_pools: [{ start: '10.41.0.5', end: '10.41.0.20' }, { start: '10.41.0.15', end: '10.41.0.30' }],
    })),
    sub('pool-contains-default-gateway', v4('10.41.0.0/24', { allocation_pools: [{ start: '10.41.0.1', end: '10.41.0.20' }] })),
    sub('pool-contains-gateway', v4('10.41.0.0/24', { gateway_ip: '10.41.0.10', allocation_pools: [{ start: '10.41.0.2', end: '10.41.0.20' }] })),
    sub('pool-v6-on-v4', v4('10.41.0.0/24', { allocation_pools: [{ start: 'fe80::1', end: 'fe80::5' }] })),
    sub('pool-missing-end', v4('10.41.0.0/24', { allocation_pools: [{ start: '10.41.0.1' }] })),
    sub('pool-not-list', v4('10.41.0.0/24', { allocation_pools: { start: '10.41.0.1' } })),
    sub('pool-null', v4('10.41.0.0/24', { allocation_pools: null })),
    sub('pool-bad-address', v4('10.41.0.0/24', { allocation_pools: [{ start: '10.41.0.x', end: '10.41.0.5' }] })),
    sub('pool-not-dict', v4('10.41.0.0/24', { allocation_pools: ['a'] })),
    sub('pool-leading-zero', v4('10.41.0.0/24', { allocation_pools: [{ start: '10.41.0.05', end: '10.41.0.6' }] })),
    sub('dns-duplicate', v4('10.41.0.0/24', { dns_nameservers: ['8.8.8.8', '8.8.8.8'] })),
    sub('dns-invalid', v4('10.41.0.0/24', { dns_nameservers: ['8.8.8.x'] })),
    sub('dns-exhausted', v4('10.41.0.0/24', { dns_nameservers: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5', '1.1.1.6'] })),
    sub('dns-v6-on-v4', v4('10.41.0.0/24', { dns_nameservers: ['2001:db8::1'] })),
    sub('dns-string', v4('10.41.0.0/24', { dns_nameservers: '8.8.8.8' })),
    sub('dns-number', v4('10.41.0.0/24', { dns_nameservers: 5 })),
    sub('routes-duplicate', v4('10.41.0.0/24', {
      host_routes: [{ destination: '10.0.0.0/8', nexthop: '10.41.0.254' }, { destination: '10.0.0.0/8', nexthop: '10.41.0.254' }],
    })),
    sub('routes-host-bits', v4('10.41.0.0/24', { host_routes: [{ destination: '10.0.0.1/8', nexthop: '10.41.0.254' }] })),
    sub('routes-loopback', v4('10.41.0.0/24', { host_routes: [{ destination: '127.0.0.0/8', nexthop: '10.41.0.254' }] })),
    sub('routes-missing-nexthop', v4('10.41.0.0/24', { host_routes: [{ destination: '10.0.0.0/8' }] })),
    sub('routes-bad-destination', v4('10.41.0.0/24', { host_routes: [{ destination: 'x', nexthop: '10.41.0.254' }] })),
    sub('routes-bad-nexthop', v4('10.41.0.0/24', { host_routes: [{ destination: '10.0.0.0/8', nexthop: 'y' }] })),
    sub('routes-v6-destination', v4('10.41.0.0/24', { host_routes: [{ destination: '2001:db8::/64', nexthop: '10.41.0.254' }] })),
    sub('routes-v6-nexthop', v4('10.41.0.0/24', { host_routes: [{ destination: '10.0.0.0/8', nexthop: '2001:db8::1' }] })),
    sub('routes-not-list', v4('10.41.0.0/24', { host_routes: {} })),
    sub('routes-exhausted', v4('10.41.0.0/24', {
      host_routes: Array.from({ length: 21 }, (_, i) => ({ destination: `10.${i + 100}.0.0/16`, nexthop: '10.41.0.9' })),
    })),
    sub('ra-mode-on-v4', v4('10.41.0.0/24', { ipv6_ra_mode: 'slaac' })),
    sub('address-mode-on-v4', v4('10.41.0.0/24', { ipv6_address_mode: 'slaac' })),
    sub('ra-mode-null-on-v4', v4('10.41.0.0/24', { ipv6_ra_mode: null })),
    sub('ipv6-modes-mismatch', { network_id: S.net1.id, ip_version: 6, cidr: '2001:db8:44::/64', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'dhcpv6-stateful' }),
    sub('ipv6-mode-bogus', { network_id: S.net1.id, ip_version: 6, cidr: '2001:db8:44::/64', ipv6_ra_mode: 'bogus' }),
    sub('ipv6-mode-without-dhcp', { network_id: S.net1.id, ip_version: 6, cidr: '2001:db8:44::/64', ipv6_address_mode: 'slaac', enable_dhcp: false }),
    sub('ipv6-slaac-not-64', { network_id: S.net1.id, ip_version: 6, cidr: '2001:db8:44::/80', ipv6_address_mode: 'slaac' }),
    sub('enable-dhcp-maybe', v4('10.41.0.0/24', { enable_dhcp: 'maybe' })),
    sub('subnetpool-invalid', v4('10.41.0.0/24', { subnetpool_id: 'x' })),
    sub('subnetpool-unknown', v4('10.41.0.0/24', { subnetpool_id: UUID_NONE })),
    sub('prefixlen-with-cidr', v4('10.41.0.0/24', { prefixlen: 24 })),
    sub('default-subnetpool', { network_id: S.net1.id, ip_version: 4, use_default_subnetpool: true }),
    sub('post-shared', v4('10.41.0.0/24', { shared: true })),
    sub('post-unknown', v4('10.41.0.0/24', { segment: 1 })),
    // updates of subU (10.21.0.0/24 on netU, owned by p1; portG holds 10.21.0.200)
    put('subnet', () => S.subU, 'update-cidr', { cidr: '10.21.0.0/25' }),
    put('subnet', () => S.subU, 'update-ip-version', { ip_version: 6 }),
    put('subnet', () => S.subU, 'update-network-id', { network_id: S.net1.id }),
    put('subnet', () => S.subU, 'update-id', { id: UUID_NONE }),
    put('subnet', () => S.subU, 'update-tenant', { tenant_id: 'dom-fx-p1' }),
    put('subnet', () => S.subU, 'update-other-project', { project_id: 'dom-fx-p2' }),
    put('subnet', () => S.subU, 'update-ra-mode', { ipv6_ra_mode: 'slaac' }),
    put('subnet', () => S.subU, 'update-unknown', { foo: 1 }),
    put('subnet', () => S.subU, 'update-not-visible', { name: 'x' }, 'p2'),
    put('subnet', () => S.subU, 'update-gateway-in-pool', { gateway_ip: '10.21.0.5' }),
    put('subnet', () => S.subU, 'update-gateway-network-address', { gateway_ip: '10.21.0.0' }),
    put('subnet', () => S.subU, 'update-gateway-v6', { gateway_ip: '2001:db8::1' }),
    put('subnet', () => S.subU, 'update-pools-beyond', { allocation_pools: [{ start: '10.21.0.2', end: '10.21.1.5' }] }),
    put('subnet', () => S.subU, 'update-pools-contain-gateway', { allocation_pools: [{ start: '10.21.0.1', end: '10.21.0.100' }] }),
    put('subnet', () => S.subU, 'update-dns-exhausted', { dns_nameservers: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5', '1.1.1.6'] }),
    put('subnet', () => S.subU, 'update-routes-exhausted', {
      host_routes: Array.from({ length: 21 }, (_, i) => ({ destination: `10.${i + 100}.0.0/16`, nexthop: '10.21.0.9' })),
    }),
    put('subnet', () => S.subU, 'update-pools-shrink', { allocation_pools: [{ start: '10.21.0.2', end: '10.21.0.100' }] }),
    put('subnet', () => S.subU, 'update-gateway-to-port-address', { gateway_ip: '10.21.0.200' }),
    { step: () => call('PUT', `/subnets/${S.subU.id}`, { subnet: { gateway_ip: '10.21.0.1' } }, 'adm') },
    put('subnet', () => S.subU, 'update-fields', {
      name: 'dom-fx-u', description: 'd', dns_nameservers: ['1.1.1.1', '8.8.8.8'], enable_dhcp: false,
      host_routes: [{ destination: '10.0.0.0/8', nexthop: '10.21.0.9' }],
    }),
    put('subnet', () => S.subU, 'update-clear-lists', { dns_nameservers: null, host_routes: null, enable_dhcp: true }),
    put('subnet', () => S.subU, 'update-gateway-null', { gateway_ip: null }),
    { step: () => call('PUT', `/subnets/${S.subU.id}`, { subnet: { gateway_ip: '10.21.0.1' } }, 'adm') },
    { step: () => call('PUT', `/routers/${router.id}/add_router_interface`, { subnet_id: S.subU.id }, 'p1') },
    put('subnet', () => S.subU, 'update-gateway-router-port', { gateway_ip: '10.21.0.150' }),
  ];

  const ip = (more) => ({ network_id: S.net1.id, ...more });
  const port_ = [
    port('create-default', on1({ name: 'dom-fx-c' })),
    port('create-fixed-ips-empty', on1({ fixed_ips: [] })),
    port('create-two-on-subnet', on1({ fixed_ips: [{ subnet_id: S.sub1.id }, { subnet_id: S.sub1.id }] })),
    port('create-on-empty-network', { network_id: S.netEmpty.id }),
    port('create-admin-binding', on1({ 'binding:host_id': 'dom-fx-host', 'binding:profile': { a: 1 }, 'binding:vnic_type': 'direct' }), 'adm'),
    port('create-on-shared-subnet-only', { network_id: S.shared.id, fixed_ips: [{ subnet_id: S.sharedSub.id }] }, 'p2'),
    port('create-mac-dashes', on1({ mac_address: 'FA-16-3E-00-77-01' })),
    port('ip-outside-subnet', ip({ fixed_ips: [{ subnet_id: S.sub1.id, ip_address: '10.20.1.5' }] })),
    port('ip-on-no-subnet', ip({ fixed_ips: [{ ip_address: '10.99.1.5' }] })),
    port('subnet-of-other-network', ip({ fixed_ips: [{ subnet_id: S.sub2.id }] })),
    port('subnet-not-found', ip({ fixed_ips: [{ subnet_id: UUID_NONE }] })),
    port('ip-duplicate', ip({ fixed_ips: [{ ip_address: '10.20.0.9' }, { ip_address: '10.20.0.9' }] })),
    port('ip-in-use', ip({ fixed_ips: [{ ip_address: '10.20.0.5' }] })),
    port('ip-in-use-with-subnet', ip({ fixed_ips: [{ subnet_id: S.sub1.id, ip_address: '10.20.0.5' }] })),
    port('mac-in-use', ip({ mac_address: 'fa:16:3e:aa:bb:01' })),
    port('ip-network-address', ip({ fixed_ips: [{ subnet_id: S.sub1.id, ip_address: '10.20.0.0' }] })),
    port('ip-broadcast', ip({ fixed_ips: [{ subnet_id: S.sub1.id, ip_address: '10.20.0.15' }] })),
    port('ip-broadcast-only', ip({ fixed_ips: [{ ip_address: '10.20.0.15' }] })),
    port('fixed-ip-empty-entry', ip({ fixed_ips: [{}] })),
    port('fixed-ip-unknown-key', ip({ fixed_ips: [{ foo: 'x' }] })),
    port('fixed-ips-string', ip({ fixed_ips: 'x' })),
    port('fixed-ips-string-item', ip({ fixed_ips: ['x'] })),
    port('fixed-ip-bad-subnet-id', ip({ fixed_ips: [{ subnet_id: 'zz' }] })),
    port('fixed-ip-bad-address', ip({ fixed_ips: [{ ip_address: '10.20.0.x' }] })),
    port('fixed-ip-on-network-without-subnets', { network_id: S.netEmpty.id, fixed_ips: [{ ip_address: '10.20.0.9' }] }),
    port('ip-on-slaac-subnet', ip({ fixed_ips: [{ subnet_id: S.sub6.id, ip_address: '2001:db8:20::5' }] })),
    port('ip-only-on-slaac-subnet', ip({ fixed_ips: [{ ip_address: '2001:db8:20::5' }] })),
    port('mac-invalid', ip({ mac_address: 'zz' })),
    port('mac-zero', ip({ mac_address: '00:00:00:00:00:00' })),
    port('vnic-bogus', ip({ 'binding:vnic_type': 'bogus' })),
    port('profile-string', ip({ 'binding:profile': 'x' }), 'adm'),
    port('extra-dhcp-missing-value', ip({ extra_dhcp_opts: [{ opt_name: 'mtu' }] })),
    port('extra-dhcp-string', ip({ extra_dhcp_opts: 'x' })),
    port('device-id-number', ip({ device_id: 5 })),
    port('admin-state-nope', ip({ admin_state_up: 'nope' })),
    port('post-status', ip({ status: 'ACTIVE' })),
    port('post-vif-type', ip({ 'binding:vif_type': 'ovs' }), 'adm'),
    port('missing-network', { name: 'x' }),
    port('network-id-invalid', { network_id: 'x' }),
    port('network-not-found', { network_id: UUID_NONE }),
    port('network-not-visible', on1(), 'p2'),
    port('on-external-not-owner', { network_id: S.ext.id }),
    port('port-security-false-with-groups', ip({ port_security_enabled: false, security_groups: [UUID_NONE] })),
    port('port-security-false-with-pairs', ip({ port_security_enabled: false, allowed_address_pairs: [{ ip_address: '10.1.1.1' }] })),
    port('pairs-duplicate', ip({ allowed_address_pairs: [{ ip_address: '10.1.1.1' }, { ip_address: '10.1.1.1' }] })),
    port('pairs-duplicate-with-mac', ip({
      allowed_address_pairs: [{ ip_address: '10.1.1.1', mac_address: 'fa:16:3e:00:00:01' }, { ip_address: '10.1.1.1', mac_address: 'fa:16:3e:00:00:01' }],
    })),
    port('pairs-exhausted', ip({ allowed_address_pairs: Array.from({ length: 11 }, (_, i) => ({ ip_address: `10.1.1.${i + 1}` })) })),
    port('pairs-missing-ip', ip({ allowed_address_pairs: [{ mac_address: 'fa:16:3e:00:00:01' }] })),
    port('pairs-bad-ip', ip({ allowed_address_pairs: [{ ip_address: 'x' }] })),
    port('pairs-bad-cidr', ip({ allowed_address_pairs: [{ ip_address: '10.1.1.1/24' }] })),
    port('pairs-unknown-key', ip({ allowed_address_pairs: [{ ip_address: '10.1.1.0/24', foo: 1 }] })),
    port('pairs-bad-mac', ip({ allowed_address_pairs: [{ ip_address: '10.1.1.0/24', mac_address: 'zz' }] })),
    port('pairs-not-list', ip({ allowed_address_pairs: { ip_address: '10.1.1.0/24' } })),
    port('pairs-not-dict', ip({ allowed_address_pairs: ['a'] })),
    port('pairs-ok', ip({ allowed_address_pairs: [{ ip_address: '10.1.1.0/24' }, { ip_address: '10.1.2.1', mac_address: 'fa:16:3e:00:00:07' }] })),
    port('groups-not-uuid', ip({ security_groups: ['not-uuid'] })),
    port('groups-not-list', ip({ security_groups: 'x' })),
    port('shared-fixed-ip-address', { network_id: S.shared.id, fixed_ips: [{ subnet_id: S.sharedSub.id, ip_address: '10.44.0.50' }] }, 'p2'),
    port('shared-fixed-ip-only-address', { network_id: S.shared.id, fixed_ips: [{ ip_address: '10.44.0.50' }] }, 'p2'),
    port('shared-mac-and-subnet', { network_id: S.shared.id, fixed_ips: [{ subnet_id: S.sharedSub.id }], mac_address: 'fa:16:3e:00:11:22' }, 'p2'),
    port('shared-port-security', { network_id: S.shared.id, port_security_enabled: false }, 'p2'),
    port('shared-pairs', { network_id: S.shared.id, allowed_address_pairs: [{ ip_address: '10.44.0.99' }] }, 'p2'),
    port('shared-host-id', { network_id: S.shared.id, 'binding:host_id': 'h1' }, 'p2'),
    port('shared-profile', { network_id: S.shared.id, 'binding:profile': { a: 1 } }, 'p2'),
    port('shared-device-owner-network', { network_id: S.shared.id, device_owner: 'network:dhcp' }, 'p2'),
    port('shared-combined', {
      network_id: S.shared.id, 'binding:host_id': 'h', 'binding:profile': {}, 'binding:vnic_type': 'direct', port_security_enabled: true,
      allowed_address_pairs: [{ ip_address: '1.1.1.1', mac_address: 'fa:16:3e:00:00:01' }], mac_address: 'fa:16:3e:00:00:09',
      device_owner: 'network:x', fixed_ips: [{ subnet_id: S.sharedSub.id }], security_groups: [], extra_dhcp_opts: [], tags: ['a'], description: 'd',
    }, 'p2'),
    // updates of portU (p1's port on net1: 10.20.0.6 + SLAAC, mac fa:16:3e:aa:bb:02)
    put('port', () => S.portU, 'update-network-id', { network_id: S.net1.id }),
    put('port', () => S.portU, 'update-mac-member', { mac_address: 'fa:16:3e:aa:bb:99' }),
    put('port', () => S.portU, 'update-mac-in-use', { mac_address: 'fa:16:3e:aa:bb:01' }, 'adm'),
    put('port', () => S.portU, 'update-ip-in-use', { fixed_ips: [{ ip_address: '10.20.0.5' }] }),
    put('port', () => S.portU, 'update-ip-outside', { fixed_ips: [{ subnet_id: S.sub1.id, ip_address: '10.20.1.5' }] }),
    put('port', () => S.portU, 'update-host-member', { 'binding:host_id': 'h1' }),
    put('port', () => S.portU, 'update-not-visible', { name: 'x' }, 'p2'),
    put('port', () => S.p2port, 'update-by-network-owner', { name: 'x' }, 'admm'),
    put('port', () => S.portU, 'update-port-security-with-groups', { port_security_enabled: false }),
    put('port', () => S.portU, 'update-fixed-ips-keep-and-add', { fixed_ips: [{ subnet_id: S.sub1.id, ip_address: '10.20.0.6' }, { subnet_id: S.sub1.id, ip_address: '10.20.0.9' }] }),
    put('port', () => S.portU, 'update-fixed-ips-subnet-only', { fixed_ips: [{ subnet_id: S.sub1.id }] }),
    put('port', () => S.portU, 'update-mac-admin', { mac_address: 'fa:16:3e:aa:bb:03' }, 'adm'),
    put('port', () => S.portU, 'update-port-security-off', { port_security_enabled: false, security_groups: [] }),
    put('port', () => S.portU, 'update-pairs-without-port-security', { allowed_address_pairs: [{ ip_address: '10.1.1.1' }] }),
    put('port', () => S.portU, 'update-groups-without-port-security', { security_groups: [UUID_NONE] }),
    put('port', () => S.portU, 'update-simple-fields', { name: 'dom-fx-u', description: 'd', admin_state_up: false, device_id: 'dev', device_owner: 'compute:nova' }),
    put('port', () => S.portU, 'update-host-admin', { 'binding:host_id': 'dom-fx-host' }, 'adm'),
    put('port', () => S.portU, 'update-mac-bound', { mac_address: 'fa:16:3e:aa:bb:04' }, 'adm'),
  ];

  const read = [
    get('network', S.net1.id, 'network-as-owner', 'p1'),
    get('network', S.net1.id, 'network-as-admin', 'adm'),
    get('network', S.net1.id, 'network-as-other', 'p2'),
    get('network', S.shared.id, 'shared-network-as-other', 'p1'),
    get('network', S.ext.id, 'external-network-as-other', 'p1'),
    get('subnet', S.sub1.id, 'subnet-as-owner', 'p1'),
    get('subnet', S.sub1.id, 'subnet-as-other', 'p2'),
    get('subnet', S.sharedSub.id, 'shared-subnet-as-other', 'p1'),
    get('subnet', S.extSub.id, 'external-subnet-as-other', 'p1'),
    get('port', S.port1.id, 'port-as-owner', 'p1'),
    get('port', S.port1.id, 'port-as-admin', 'adm'),
    get('port', S.port1.id, 'port-as-other', 'p2'),
    get('port', S.p2port.id, 'port-as-network-owner', 'admm'),
    get('port', S.p2port.id, 'port-on-shared-as-other', 'p1'),
  ];

  const snapshot = async () => {
    const out = {};
    for (const [k, v] of Object.entries(S)) out[k] = await refresh(`${'tenant_id' in v && 'cidr' in v ? 'subnet' : 'mac_address' in v ? 'port' : 'network'}s`, v.id);
    return out;
  };
  return {
    'zed-body.json': { setup: snapshot, cases: body },
    'zed-network.json': { setup: snapshot, cases: network },
    'zed-subnet.json': { setup: snapshot, cases: subnet },
    'zed-port.json': { setup: snapshot, cases: port_ },
    'zed-read.json': { setup: snapshot, cases: read },
  };
}
