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
});
