import { SuiteFixture, member } from '@neutrino/testing-suite';

/** The API as a tenant and an operator meet it: discovery, paging, bulk, IPv6, provider networks. */
describe('Neutron API behaviour', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    fx = await SuiteFixture.start();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('serves the version documents and lists only implemented extensions', async () => {
    const root = await fx.api('GET', '/');
    expect(root.body.versions[0]).toMatchObject({ id: 'v2.0', status: 'CURRENT' });
    const ext = (await fx.api('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    expect(ext).toEqual(expect.arrayContaining(['binding', 'provider', 'external-net', 'net-mtu', 'port-security', 'pagination', 'sorting']));
    expect(ext).toContain('router');
    expect(ext).toContain('security-group');
    expect((await fx.api('GET', '/v2.0/extensions/dvr')).status).toBe(404);
  });

  it('pages with limit/marker and links, sorts and selects fields', async () => {
    const bulk = await fx.api('POST', '/v2.0/networks', { networks: ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name })) });
    expect(bulk.status).toBe(201);
    expect(bulk.body.networks).toHaveLength(5);
    const page1 = await fx.api('GET', '/v2.0/networks?limit=2&sort_key=name&sort_dir=desc&fields=name&fields=id');
    expect(page1.body.networks.map((n: { name: string }) => n.name)).toEqual(['e', 'd']);
    expect(Object.keys(page1.body.networks[0]).sort()).toEqual(['id', 'name']);
    const next = page1.body.networks_links.find((l: { rel: string }) => l.rel === 'next').href as string;
    const page2 = await fx.api('GET', next.slice(next.indexOf('/v2.0')));
    expect(page2.body.networks.map((n: { name: string }) => n.name)).toEqual(['c', 'b']);
  });

  it('rolls a failed bulk create back completely', async () => {
    const before = (await fx.api('GET', '/v2.0/networks')).body.networks.length;
    const bad = await fx.api('POST', '/v2.0/networks', { networks: [{ name: 'ok' }, { name: 'bad', admin_state_up: 'maybe' }] });
    expect(bad.status).toBe(400);
    expect((await fx.api('GET', '/v2.0/networks')).body.networks).toHaveLength(before);
  });

  it('gives SLAAC subnets EUI-64 addresses and keeps IPv4 lowest-free-first', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'dual' } })).body.network;
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.50.0.0/24', ip_version: 4, dns_nameservers: ['8.8.8.8', '8.8.4.4'] } });
    const v6 = await fx.api('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, cidr: '2001:db8:1::/64', ip_version: 6, ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' },
    });
    expect(v6.status).toBe(201);
    const port = (await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, mac_address: 'fa:16:3e:59:0c:68' } })).body.port;
    expect(port.fixed_ips.map((f: { ip_address: string }) => f.ip_address).sort()).toEqual(['10.50.0.2', '2001:db8:1:0:f816:3eff:fe59:c68']);
    const other = (await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id } })).body.port;
    expect(other.fixed_ips.find((f: { ip_address: string }) => f.ip_address.startsWith('10.')).ip_address).toBe('10.50.0.3');
    const found = await fx.api('GET', `/v2.0/ports?fixed_ips=ip_address%3D10.50.0.3`);
    expect(found.body.ports.map((p: { id: string }) => p.id)).toEqual([other.id]);
  });

  it('lets an admin create provider networks and refuses a segment that is taken', async () => {
    const vlan = await fx.api('POST', '/v2.0/networks', {
      network: { name: 'v', 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 150 },
    });
    expect(vlan.status).toBe(201);
    expect(vlan.body.network).toMatchObject({ 'provider:segmentation_id': 150, mtu: 1500 });
    const dup = await fx.api('POST', '/v2.0/networks', {
      network: { 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 150 },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.NeutronError.type).toBe('VlanIdInUse');
    const flat = await fx.api('POST', '/v2.0/networks', { network: { 'provider:network_type': 'flat', 'provider:physical_network': 'physnet1' } });
    expect(flat.status).toBe(201);
    const flat2 = await fx.api('POST', '/v2.0/networks', { network: { 'provider:network_type': 'flat', 'provider:physical_network': 'physnet1' } });
    expect(flat2.body.NeutronError).toMatchObject({ type: 'FlatNetworkInUse', message: 'Unable to create the flat network. Physical network physnet1 is in use.' });
    // Deleting the flat network frees the physnet again.
    expect((await fx.api('DELETE', `/v2.0/networks/${flat.body.network.id}`)).status).toBe(204);
    expect((await fx.api('POST', '/v2.0/networks', { network: { 'provider:network_type': 'flat', 'provider:physical_network': 'physnet1' } })).status).toBe(201);
    // Members never see provider attributes; shared networks are visible to them.
    const shared = (await fx.api('POST', '/v2.0/networks', { network: { name: 'pub', shared: true } })).body.network;
    const seen = (await fx.api('GET', '/v2.0/networks', undefined, member('zed'))).body.networks;
    expect(seen.map((n: { id: string }) => n.id)).toEqual([shared.id]);
    expect(seen[0]).not.toHaveProperty('provider:network_type');
  });

  // What tempest and neutron-tempest-plugin found apart from Zed (issue 13); Zed's answers are in libs/domain/src/__fixtures__/zed-tempest.json.
  describe("tempest's cases, answered as Zed", () => {
    const post = async (path: string, body: unknown, headers?: Record<string, string>) => {
      const r = await fx.api('POST', path, body, headers);
      expect(r.status).toBe(201);
      return Object.values(r.body)[0] as any;
    };

    it('serves the v2 details document at /v2.0/ (and 404 at /v2.0)', async () => {
      const doc = await fx.api('GET', '/v2.0/');
      expect(doc.status).toBe(200);
      expect(doc.body.resources.map((r: { name: string }) => r.name)).toEqual(['network', 'subnet', 'subnetpool', 'port']); // Zed's order
      expect(doc.body.resources[0]).toEqual({ name: 'network', collection: 'networks', links: [{ rel: 'self', href: expect.stringMatching(/^http:\/\/[^/]+\/v2\.0\/networks$/) }] });
      const bare = await fx.api('GET', '/v2.0');
      expect(bare.status).toBe(404);
      expect(bare.body.NeutronError.type).toBe('HTTPNotFound');
    });

    it('deletes an external network with its floating IPs not associated; an associated one keeps it in use', async () => {
      const ext = await post('/v2.0/networks', { network: { name: 'tx-ext', 'router:external': true } });
      await post('/v2.0/subnets', { subnet: { network_id: ext.id, cidr: '203.0.113.0/24', ip_version: 4 } });
      const loose = await post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } });
      expect((await fx.api('DELETE', `/v2.0/networks/${ext.id}`)).status).toBe(204);
      expect((await fx.api('GET', `/v2.0/floatingips/${loose.id}`)).body.NeutronError).toMatchObject({ type: 'FloatingIPNotFound' });
      expect((await fx.api('GET', `/v2.0/ports?device_id=${loose.id}`)).body.ports).toEqual([]);

      const ext2 = await post('/v2.0/networks', { network: { name: 'tx-ext2', 'router:external': true } });
      await post('/v2.0/subnets', { subnet: { network_id: ext2.id, cidr: '198.51.100.0/24', ip_version: 4 } });
      const net = await post('/v2.0/networks', { network: { name: 'tx-in' } });
      const sub = await post('/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.90.0.0/24', ip_version: 4 } });
      const router = await post('/v2.0/routers', { router: { name: 'tx-r', external_gateway_info: { network_id: ext2.id } } });
      expect((await fx.api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id })).status).toBe(200);
      const vm = await post('/v2.0/ports', { port: { network_id: net.id } });
      const fip = await post('/v2.0/floatingips', { floatingip: { floating_network_id: ext2.id, port_id: vm.id, description: 'd1' } });
      const [gw] = (await fx.api('GET', `/v2.0/ports?device_id=${router.id}&device_owner=network:router_gateway`)).body.ports;
      const [fipPort] = (await fx.api('GET', `/v2.0/ports?device_id=${fip.id}`)).body.ports;
      const refused = await fx.api('DELETE', `/v2.0/networks/${ext2.id}`);
      expect(refused.status).toBe(409);
      expect(refused.body.NeutronError.type).toBe('NetworkInUse');
      expect(refused.body.NeutronError.message).toContain(gw.id);
      expect(refused.body.NeutronError.message).toContain(fipPort.id);
      expect((await fx.api('GET', `/v2.0/floatingips/${fip.id}`)).status).toBe(200);

      // Floating IP updates: a description keeps the association, a blank update clears it.
      const described = (await fx.api('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { description: 'd2' } })).body.floatingip;
      expect(described).toMatchObject({ port_id: vm.id, description: 'd2' });
      expect(described.revision_number).toBeGreaterThan(fip.revision_number);
      const blank = (await fx.api('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: {} })).body.floatingip;
      expect(blank).toMatchObject({ port_id: null, fixed_ip_address: null, router_id: null, description: 'd2' });
      expect(blank.revision_number).toBeGreaterThan(described.revision_number);

      // Router revisions: an update naming the current name and an interface added both bump it.
      const r2 = await post('/v2.0/routers', { router: { name: 'tx-r2' } });
      const same = (await fx.api('PUT', `/v2.0/routers/${r2.id}`, { router: { name: 'tx-r2' } })).body.router;
      expect(same.revision_number).toBe(r2.revision_number + 1);
      const net2 = await post('/v2.0/networks', { network: { name: 'tx-in2' } });
      const sub2 = await post('/v2.0/subnets', { subnet: { network_id: net2.id, cidr: '10.91.0.0/24', ip_version: 4 } });
      await fx.api('PUT', `/v2.0/routers/${r2.id}/add_router_interface`, { subnet_id: sub2.id });
      expect((await fx.api('GET', `/v2.0/routers/${r2.id}`)).body.router.revision_number).toBe(same.revision_number + 1);
    });

    it('deletes IPv6 SLAAC and DHCPv6-stateless subnets that have ports: the ports lose only those addresses', async () => {
      const p = member('tx-v6');
      const net = await post('/v2.0/networks', { network: { name: 'tx-v6' } }, p);
      const v4 = await post('/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.92.0.0/24', ip_version: 4 } }, p);
      const subnet = (cidr: string, mode: string) =>
        post('/v2.0/subnets', { subnet: { network_id: net.id, cidr, ip_version: 6, ipv6_ra_mode: mode, ipv6_address_mode: mode } }, p);
      const slaac = await subnet('2001:db8:91::/64', 'slaac');
      const stateless = await subnet('2001:db8:92::/64', 'dhcpv6-stateless');
      const stateful = await subnet('2001:db8:93::/64', 'dhcpv6-stateful');
      const port = await post('/v2.0/ports', { port: { network_id: net.id } }, p);
      expect(port.fixed_ips).toHaveLength(4);
      expect((await fx.api('DELETE', `/v2.0/subnets/${slaac.id}`, undefined, p)).status).toBe(204);
      expect((await fx.api('DELETE', `/v2.0/subnets/${stateless.id}`, undefined, p)).status).toBe(204);
      const inUse = await fx.api('DELETE', `/v2.0/subnets/${stateful.id}`, undefined, p);
      expect(inUse.body.NeutronError).toEqual({
        type: 'SubnetInUse', message: `Unable to complete operation on subnet ${stateful.id}: One or more ports have an IP allocation from this subnet.`, detail: '',
      });
      const after = (await fx.api('GET', `/v2.0/ports/${port.id}`, undefined, p)).body.port;
      expect(after.fixed_ips.map((f: { subnet_id: string }) => f.subnet_id)).toEqual([v4.id, stateful.id]);
      expect(after.revision_number).toBe(port.revision_number + 2);
      expect((await fx.api('GET', `/v2.0/subnets/${slaac.id}`, undefined, p)).status).toBe(404);
      expect((await fx.api('DELETE', `/v2.0/networks/${net.id}`, undefined, p)).body.NeutronError.type).toBe('NetworkInUse');
      // A router's interface keeps a SLAAC subnet in use.
      const withRouter = await subnet('2001:db8:94::/64', 'slaac');
      const router = await post('/v2.0/routers', { router: { name: 'tx-r6' } }, p);
      expect((await fx.api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: withRouter.id }, p)).status).toBe(200);
      expect((await fx.api('DELETE', `/v2.0/subnets/${withRouter.id}`, undefined, p)).body.NeutronError.type).toBe('SubnetInUse');
    });

    it('creates security groups in bulk with the items wrapped as tempest sends them, all or nothing', async () => {
      const p = member('tx-sg');
      const made = await fx.api('POST', '/v2.0/security-groups', { security_groups: [{ security_group: { name: 'tx-sg1' } }, { security_group: { name: 'tx-sg2' } }] }, p);
      expect(made.status).toBe(201);
      expect(made.body.security_groups.map((g: { name: string }) => g.name)).toEqual(['tx-sg1', 'tx-sg2']);
      const bad = await fx.api('POST', '/v2.0/security-groups', { security_groups: [{ security_group: { name: 'tx-sg3' } }, { security_group: { name: 'tx-sg4', bogus: 1 } }] }, p);
      expect(bad.status).toBe(400);
      expect(bad.body.NeutronError.message).toBe("Unrecognized attribute(s) 'bogus'");
      const names = (await fx.api('GET', '/v2.0/security-groups?fields=name', undefined, p)).body.security_groups.map((g: { name: string }) => g.name).sort();
      expect(names).toEqual(['default', 'tx-sg1', 'tx-sg2']);
    });

    it('filters subnets on shared (their network is shared), on the first value given', async () => {
      const p = member('tx-shared');
      const shared = await post('/v2.0/networks', { network: { name: 'tx-shared', shared: true } });
      const pub = await post('/v2.0/subnets', { subnet: { network_id: shared.id, cidr: '10.93.0.0/24', ip_version: 4, name: 'tx-pub' } });
      const own = await post('/v2.0/networks', { network: { name: 'tx-own' } }, p);
      const mine = await post('/v2.0/subnets', { subnet: { network_id: own.id, cidr: '10.94.0.0/24', ip_version: 4, name: 'tx-mine' } }, p);
      const ids = async (q: string) => (await fx.api('GET', `/v2.0/subnets?${q}&fields=id`, undefined, p)).body.subnets.map((s: { id: string }) => s.id);
      expect(await ids('shared=true')).toEqual([pub.id]);
      expect(await ids('shared=false')).toEqual([mine.id]);
      expect(await ids('shared=true&shared=false')).toEqual([pub.id]);
      const bogus = await fx.api('GET', '/v2.0/subnets?shared=bogus', undefined, p);
      expect(bogus.status).toBe(400);
      expect(bogus.body.NeutronError).toMatchObject({ type: 'InvalidInput', message: "Invalid input for operation: 'bogus' cannot be converted to boolean." });
    });
  });
  it('network-ip-availabilities: used and total per subnet and network as Zed counts them (pools only, a /64 written as an exact integer), admin only', async () => {
    const admin = { 'X-Project-Id': 'ops', 'X-User-Id': 'op', 'X-Roles': 'admin' };
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'ipa', tenant_id: 'p-ipa' } }, admin)).body.network;
    const v4 = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.5.0.0/24', tenant_id: 'p-ipa' } }, admin)).body.subnet;
    const v6 = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 6, cidr: '2001:db8:5::/64', tenant_id: 'p-ipa' } }, admin)).body.subnet;
    const two = (await fx.api('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, ip_version: 4, cidr: '10.6.0.0/24', name: 'two', tenant_id: 'p-ipa', allocation_pools: [{ start: '10.6.0.10', end: '10.6.0.19' }, { start: '10.6.0.100', end: '10.6.0.104' }] },
    }, admin)).body.subnet;
    expect((await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, tenant_id: 'p-ipa', fixed_ips: [{ subnet_id: v4.id }, { subnet_id: v6.id }] } }, admin)).status).toBe(201);
    expect((await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, tenant_id: 'p-ipa', fixed_ips: [{ subnet_id: v4.id }] } }, admin)).status).toBe(201);
    // an address outside the pools counts as used, not in the total
    expect((await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, tenant_id: 'p-ipa', fixed_ips: [{ subnet_id: two.id, ip_address: '10.6.0.200' }] } }, admin)).status).toBe(201);

    const raw = await (await fetch(`${fx.suite.apiUrl}/v2.0/network-ip-availabilities/${net.id}`, { headers: admin })).text();
    expect(raw).toContain('"total_ips":18446744073709551615');
    expect(raw).toContain(`"total_ips":${(2n ** 64n - 1n + 253n + 15n).toString()}}}`);
    const one = JSON.parse(raw).network_ip_availability;
    expect(one).toMatchObject({ network_id: net.id, network_name: 'ipa', tenant_id: 'p-ipa', project_id: 'p-ipa', used_ips: 4 });
    const bySubnet = Object.fromEntries(one.subnet_ip_availability.map((s: { subnet_id: string }) => [s.subnet_id, s]));
    expect(bySubnet[v4.id]).toEqual({ subnet_id: v4.id, ip_version: 4, cidr: '10.5.0.0/24', subnet_name: '', used_ips: 2, total_ips: 253 });
    expect(bySubnet[two.id]).toMatchObject({ subnet_name: 'two', used_ips: 1, total_ips: 15 });
    expect(bySubnet[v6.id]).toMatchObject({ ip_version: 6, used_ips: 1 });
    expect(one.subnet_ip_availability.map((s: { subnet_id: string }) => s.subnet_id)).toEqual([v4.id, v6.id, two.id].sort());

    const v4only = (await fx.api('GET', `/v2.0/network-ip-availabilities?ip_version=4&network_id=${net.id}`, undefined, admin)).body.network_ip_availabilities;
    expect(v4only).toHaveLength(1);
    expect(v4only[0]).toMatchObject({ used_ips: 3, total_ips: 268 });
    expect((await fx.api('GET', '/v2.0/network-ip-availabilities?network_name=ipa&fields=network_name&fields=used_ips', undefined, admin)).body).toEqual({
      network_ip_availabilities: [{ network_name: 'ipa', used_ips: 4 }],
    });
    const bad = await fx.api('GET', '/v2.0/network-ip-availabilities?foo=bar', undefined, admin);
    expect(bad.body.NeutronError).toMatchObject({ type: 'HTTPBadRequest', message: "['foo'] is invalid attribute for filtering" });
    const badSort = await fx.api('GET', '/v2.0/network-ip-availabilities?sort_key=network_name&sort_dir=asc', undefined, admin);
    expect(badSort.body.NeutronError.message).toBe("['network_name'] is invalid attribute for sort_keys");
    expect((await fx.api('GET', '/v2.0/network-ip-availabilities/nope', undefined, admin)).body.NeutronError).toMatchObject({ type: 'NetworkNotFound', message: 'Network nope could not be found.' });
    // a project member: an empty list, and 404 for the show (Zed's admin_only policy)
    expect((await fx.api('GET', '/v2.0/network-ip-availabilities', undefined, member('p-ipa'))).body).toEqual({ network_ip_availabilities: [] });
    expect((await fx.api('GET', `/v2.0/network-ip-availabilities/${net.id}`, undefined, member('p-ipa'))).body.NeutronError).toMatchObject({ type: 'HTTPNotFound' });
    const ext = (await fx.api('GET', '/v2.0/extensions/network-ip-availability')).body.extension;
    expect(ext).toMatchObject({ name: 'Network IP Availability', alias: 'network-ip-availability' });
  });
  it('announces agent, extra_dhcp_opt, net-mtu-writable, security-groups-normalized-cidr and port-security-groups-filtering, and each does what it says', async () => {
    const ext = (await fx.api('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    expect(ext).toEqual(expect.arrayContaining(['agent', 'extra_dhcp_opt', 'net-mtu-writable', 'security-groups-normalized-cidr', 'port-security-groups-filtering', 'fip-port-details']));
    expect((await fx.api('GET', '/v2.0/agents')).body).toEqual({ agents: expect.any(Array) });
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'ext-aliases' } })).body.network;
    const mtu = await fx.api('PUT', `/v2.0/networks/${net.id}`, { network: { mtu: 1400 } });
    expect(mtu.body.network.mtu).toBe(1400);
    const opts = [{ opt_name: 'bootfile-name', opt_value: 'pxelinux.0' }];
    const port = (await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, extra_dhcp_opts: opts } })).body.port;
    expect(port.extra_dhcp_opts).toEqual([expect.objectContaining(opts[0])]);
    const sg = (await fx.api('POST', '/v2.0/security-groups', { security_group: { name: 'aliases' } })).body.security_group;
    const rule = (await fx.api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg.id, direction: 'ingress', ethertype: 'IPv4', remote_ip_prefix: '10.1.2.3/24' } })).body.security_group_rule;
    expect(rule).toMatchObject({ remote_ip_prefix: '10.1.2.3/24', normalized_cidr: '10.1.2.0/24' });
    const inGroup = (await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, security_groups: [sg.id] } })).body.port;
    const filtered = (await fx.api('GET', `/v2.0/ports?security_groups=${sg.id}&fields=id`)).body.ports;
    expect(filtered).toEqual([{ id: inGroup.id }]);
  });
});
