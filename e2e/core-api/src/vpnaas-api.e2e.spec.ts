import { SuiteFixture, member, openstack, openstackCli } from '@neutrino/testing-suite';

/**
 * VPNaaS (/v2.0/vpn/...) driven by the real client, neutronclient's OSC plugin
 * (`openstack vpn ike policy|ipsec policy|service|endpoint group|ipsec site
 * connection ...`), against the gateway alone; bad input through the API with
 * neutron-vpnaas's errors, and nothing appended to the log. The tunnels
 * themselves (strongSwan in qrouter- namespaces) are the l3-agent's e2e.
 */
const openstackPath = openstackCli('the VPNaaS CLI end-to-end test');
const describeWithCli = openstackPath ? describe : describe.skip;
const admin = { 'X-Project-Id': 'admin', 'X-Roles': 'admin' };
const alice = member('vpn-alice');
const bob = member('vpn-bob');
const err = (a: { status: number; body: any }) => ({ status: a.status, type: a.body?.NeutronError?.type, message: a.body?.NeutronError?.message });

describeWithCli('VPNaaS: openstack vpn ... against the gateway', () => {
  let fx: SuiteFixture;
  let ext: any;
  const os = (...args: string[]) => openstack(fx.suite.apiUrl, ...args);
  const json = async (...args: string[]) => JSON.parse(await os(...args, '-f', 'json'));
  const api = (method: string, url: string, body?: unknown, who: Record<string, string> = alice) => fx.api(method, url, body, who);
  const refused = async (method: string, url: string, body: unknown, expected: { status: number; type: string; message?: string | RegExp }, who = alice) => {
    const before = await fx.store.lastSeq();
    const e = err(await api(method, url, body, who));
    expect({ status: e.status, type: e.type }).toEqual({ status: expected.status, type: expected.type });
    if (expected.message) expect(e.message).toMatch(expected.message);
    expect(await fx.store.lastSeq()).toBe(before);
  };

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } }, admin)).body.network;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, cidr: '10.50.0.0/24', ip_version: 4, enable_dhcp: false } }, admin);
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('announces vpnaas and vpn-endpoint-groups as Neutron does', async () => {
    const aliases = (await api('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    expect(aliases).toEqual(expect.arrayContaining(['vpnaas', 'vpn-endpoint-groups']));
    expect((await api('GET', '/v2.0/extensions/vpnaas')).body.extension).toMatchObject({ name: 'VPN service', description: 'Extension for VPN service' });
  });

  it('the book workflow: IKE policy, IPsec policy, VPN service, then a site connection; list, show, set, delete', async () => {
    await json('network', 'create', 'east-net');
    const sub = await json('subnet', 'create', '--network', 'east-net', '--subnet-range', '172.25.30.0/24', 'east-sub');
    const router = await json('router', 'create', 'east-router');
    await os('router', 'set', '--external-gateway', ext.id, 'east-router');
    await os('router', 'add', 'subnet', 'east-router', 'east-sub');

    const ike = await json('vpn', 'ike', 'policy', 'create', 'ike1');
    expect(ike).toMatchObject({
      'Authentication Algorithm': 'sha1', 'Encryption Algorithm': 'aes-128', 'IKE Version': 'v1', 'Perfect Forward Secrecy (PFS)': 'group5',
      'Phase1 Negotiation Mode': 'main', Lifetime: { units: 'seconds', value: 3600 },
    });
    const ipsec = await json('vpn', 'ipsec', 'policy', 'create', 'ipsec1');
    expect(ipsec).toMatchObject({ 'Transform Protocol': 'esp', 'Encapsulation Mode': 'tunnel', 'Encryption Algorithm': 'aes-128', Lifetime: { units: 'seconds', value: 3600 } });
    const svc = await json('vpn', 'service', 'create', '--router', 'east-router', '--subnet', 'east-sub', 'EastRouterVPNService');
    expect(svc).toMatchObject({ Name: 'EastRouterVPNService', Router: router.id, Subnet: sub.id, Status: 'PENDING_CREATE', State: true });
    const routerNow = await json('router', 'show', 'east-router');
    const gwIp = routerNow.external_gateway_info.external_fixed_ips[0].ip_address;
    expect((await api('GET', `/v2.0/vpn/vpnservices/${svc.ID}`, undefined, admin)).body.vpnservice).toMatchObject({ external_v4_ip: gwIp, flavor_id: null });

    const conn = await json('vpn', 'ipsec', 'site', 'connection', 'create', '--vpnservice', 'EastRouterVPNService', '--ikepolicy', 'ike1', '--ipsecpolicy', 'ipsec1',
      '--peer-address', '10.50.0.113', '--peer-id', '10.50.0.113', '--peer-cidr', '192.168.49.0/24', '--psk', 'secret', 'east-to-west');
    expect(conn).toMatchObject({
      Name: 'east-to-west', 'Peer Address': '10.50.0.113', 'Peer ID': '10.50.0.113', 'Peer CIDRs': ['192.168.49.0/24'], 'Pre-shared Key': 'secret',
      Status: 'PENDING_CREATE', 'Route Mode': 'static', 'Authentication Algorithm': 'psk', MTU: 1500, Initiator: 'bi-directional',
    });
    // the CLI shows no DPD column: the book's defaults (spec: 20/30, not upstream's 30/120) through the API
    expect((await api('GET', `/v2.0/vpn/ipsec-site-connections/${conn.ID}`, undefined, admin)).body.ipsec_site_connection.dpd).toEqual({ action: 'hold', interval: 20, timeout: 30 });
    const list = await json('vpn', 'ipsec', 'site', 'connection', 'list');
    expect(list).toEqual([expect.objectContaining({ ID: conn.ID, Name: 'east-to-west', 'Peer Address': '10.50.0.113', Status: 'PENDING_CREATE' })]);

    // policies in use cannot change or go; the service cannot go
    await expect(os('vpn', 'ike', 'policy', 'set', '--pfs', 'group14', 'ike1')).rejects.toThrow(/IKEPolicy \S+ is in use by existing IPsecSiteConnection and can't be updated or deleted/);
    await expect(os('vpn', 'ipsec', 'policy', 'delete', 'ipsec1')).rejects.toThrow(/IPsecPolicy \S+ is in use/);
    await expect(os('vpn', 'service', 'delete', 'EastRouterVPNService')).rejects.toThrow(/VPNService \S+ is still in use/);
    // a pending connection is not updated (neutron-vpnaas's assert_update_allowed)
    await expect(os('vpn', 'ipsec', 'site', 'connection', 'set', '--mtu', '1400', 'east-to-west')).rejects.toThrow(/Invalid state PENDING_CREATE of vpnaas resource/);

    await os('vpn', 'ipsec', 'site', 'connection', 'delete', 'east-to-west');
    await os('vpn', 'ike', 'policy', 'set', '--pfs', 'group14', '--lifetime', 'units=seconds,value=7200', 'ike1');
    expect(await json('vpn', 'ike', 'policy', 'show', 'ike1')).toMatchObject({ 'Perfect Forward Secrecy (PFS)': 'group14', Lifetime: { units: 'seconds', value: 7200 } });
    await os('vpn', 'ipsec', 'policy', 'delete', 'ipsec1');
    await os('vpn', 'ike', 'policy', 'delete', 'ike1');
    await os('vpn', 'service', 'delete', 'EastRouterVPNService');
    expect(await json('vpn', 'service', 'list')).toEqual([]);
  });

  it('endpoint groups: a service without subnet, a local subnet group and a peer CIDR group', async () => {
    await json('network', 'create', 'epg-net');
    const sub = await json('subnet', 'create', '--network', 'epg-net', '--subnet-range', '172.26.0.0/24', 'epg-sub');
    await json('router', 'create', 'epg-router');
    await os('router', 'set', '--external-gateway', ext.id, 'epg-router');
    await os('router', 'add', 'subnet', 'epg-router', 'epg-sub');
    const local = await json('vpn', 'endpoint', 'group', 'create', '--type', 'subnet', '--value', sub.id, 'local-eg');
    expect(local).toMatchObject({ Type: 'subnet', Endpoints: [sub.id] });
    const peer = await json('vpn', 'endpoint', 'group', 'create', '--type', 'cidr', '--value', '10.99.0.0/24', '--value', '10.98.0.0/24', 'peer-eg');
    expect(peer).toMatchObject({ Type: 'cidr', Endpoints: ['10.99.0.0/24', '10.98.0.0/24'] });
    await json('vpn', 'ike', 'policy', 'create', '--ike-version', 'v2', '--encryption-algorithm', 'aes-256', '--auth-algorithm', 'sha256', 'ike2');
    await json('vpn', 'ipsec', 'policy', 'create', '--pfs', 'group14', 'ipsec2');
    await json('vpn', 'service', 'create', '--router', 'epg-router', 'epg-svc');
    const conn = await json('vpn', 'ipsec', 'site', 'connection', 'create', '--vpnservice', 'epg-svc', '--ikepolicy', 'ike2', '--ipsecpolicy', 'ipsec2',
      '--peer-address', '10.50.0.99', '--peer-id', 'peer@example.org', '--local-endpoint-group', 'local-eg', '--peer-endpoint-group', 'peer-eg', '--psk', 'k',
      '--dpd', 'action=restart,interval=10,timeout=40', 'epg-conn');
    expect(conn).toMatchObject({ 'Local Endpoint Group ID': local.ID, 'Peer Endpoint Group ID': peer.ID, 'Peer CIDRs': [] });
    expect((await api('GET', `/v2.0/vpn/ipsec-site-connections/${conn.ID}`, undefined, admin)).body.ipsec_site_connection.dpd).toEqual({ action: 'restart', interval: 10, timeout: 40 });
    await expect(os('vpn', 'endpoint', 'group', 'delete', 'peer-eg')).rejects.toThrow(/Endpoint group \S+ is in use and cannot be deleted/);
    await os('vpn', 'ipsec', 'site', 'connection', 'delete', 'epg-conn');
    await os('vpn', 'endpoint', 'group', 'delete', 'peer-eg');
    expect((await json('vpn', 'endpoint', 'group', 'list')).map((g: { Name: string }) => g.Name)).toEqual(['local-eg']);
  });

  it('bad input gets neutron-vpnaas errors and changes nothing', async () => {
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'a-net' } })).body.network;
    const sub = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '172.27.0.0/24', ip_version: 4 } })).body.subnet;
    const off = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '172.27.1.0/24', ip_version: 4 } })).body.subnet;
    const r = (await api('POST', '/v2.0/routers', { router: { name: 'a-r' } })).body.router;
    await api('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id });
    const V = '/v2.0/vpn';

    await refused('POST', `${V}/vpnservices`, { vpnservice: { router_id: r.id, subnet_id: sub.id } }, { status: 400, type: 'RouterIsNotExternal', message: `Router ${r.id} has no external network gateway set` });
    await api('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: { network_id: ext.id } } });
    await refused('POST', `${V}/vpnservices`, { vpnservice: { router_id: r.id, subnet_id: off.id } }, { status: 400, type: 'SubnetIsNotConnectedToRouter', message: `Subnet ${off.id} is not connected to Router ${r.id}` });
    await refused('POST', `${V}/vpnservices`, { vpnservice: { router_id: r.id, subnet_id: sub.id } }, { status: 404, type: 'RouterNotFound' }, bob);
    await refused('POST', `${V}/ikepolicies`, { ikepolicy: { name: 'x', encryption_algorithm: 'aes-512' } }, { status: 400, type: 'HTTPBadRequest', message: 'Invalid input for encryption_algorithm. Reason: aes-512 is not in valid_values.' });
    await refused('POST', `${V}/ikepolicies`, { ikepolicy: { name: 'x', auth_algorithm: 'md5' } }, { status: 400, type: 'HTTPBadRequest', message: 'Invalid input for auth_algorithm. Reason: md5 is not in valid_values.' });
    await refused('POST', `${V}/ikepolicies`, { ikepolicy: { name: 'x', lifetime: { units: 'seconds', value: 10 } } }, { status: 400, type: 'HTTPBadRequest', message: "Invalid input for lifetime. Reason: '10' is too small - must be at least '60'." });
    await refused('POST', `${V}/ipsecpolicies`, { ipsecpolicy: { name: 'x', transform_protocol: 'gre' } }, { status: 400, type: 'HTTPBadRequest', message: 'Invalid input for transform_protocol. Reason: gre is not in valid_values.' });
    await refused('POST', `${V}/endpoint-groups`, { endpoint_group: { type: 'foo', endpoints: ['10.9.0.0/24'] } }, { status: 400, type: 'HTTPBadRequest', message: 'Invalid input for type. Reason: foo is not in valid_values.' });

    const ike = (await api('POST', `${V}/ikepolicies`, { ikepolicy: { name: 'i' } })).body.ikepolicy;
    const ips = (await api('POST', `${V}/ipsecpolicies`, { ipsecpolicy: { name: 'p' } })).body.ipsecpolicy;
    const svc = (await api('POST', `${V}/vpnservices`, { vpnservice: { router_id: r.id, subnet_id: sub.id } })).body.vpnservice;
    expect(svc).toMatchObject({ status: 'PENDING_CREATE', tenant_id: 'vpn-alice', project_id: 'vpn-alice', external_v6_ip: null });
    const conn = { vpnservice_id: svc.id, ikepolicy_id: ike.id, ipsecpolicy_id: ips.id, peer_address: '10.50.0.200', peer_id: '10.50.0.200', psk: 's', peer_cidrs: ['10.80.0.0/24'] };
    const C = `${V}/ipsec-site-connections`;
    await refused('POST', C, { ipsec_site_connection: { ...conn, peer_cidrs: ['172.27.0.0/16'] } }, { status: 400, type: 'IPsecSiteConnectionPeerCidrError', message: /peer cidr 172.27.0.0\/16 overlaps the local subnet 172.27.0.0\/24/ });
    await refused('POST', C, { ipsec_site_connection: { ...conn, dpd: { interval: 30, timeout: 10 } } }, { status: 400, type: 'IPsecSiteConnectionDpdIntervalValueError', message: 'ipsec_site_connection dpd_timeout is equal to or less than dpd_interval' });
    await refused('POST', C, { ipsec_site_connection: { ...conn, mtu: 50 } }, { status: 400, type: 'IPsecSiteConnectionMtuError', message: 'ipsec_site_connection MTU 50 is too small for ipv4' });
    await refused('POST', C, { ipsec_site_connection: { ...conn, peer_cidrs: ['fd00::/64'] } }, { status: 400, type: 'MixedIPVersionsForIPSecConnection' });
    await refused('POST', C, { ipsec_site_connection: { ...conn, peer_address: 'no-such-peer.invalid' } }, { status: 400, type: 'VPNPeerAddressNotResolved', message: 'Peer address no-such-peer.invalid cannot be resolved' });
    await refused('POST', C, { ipsec_site_connection: { ...conn, peer_cidrs: [] } }, { status: 400, type: 'MissingPeerCidrs' });
    await refused('POST', C, { ipsec_site_connection: conn }, { status: 404, type: 'VPNServiceNotFound', message: `VPNService ${svc.id} could not be found` }, bob);
    await refused('GET', `${C}?bogus=1`, undefined, { status: 400, type: 'HTTPBadRequest' });
    const made = await api('POST', C, { ipsec_site_connection: conn });
    expect(made.status).toBe(201);
    expect((await api('GET', `${C}?fields=status&fields=id`)).body.ipsec_site_connections).toEqual([{ id: made.body.ipsec_site_connection.id, status: 'PENDING_CREATE' }]);
    await refused('DELETE', `${V}/ikepolicies/${ike.id}`, undefined, { status: 409, type: 'IKEPolicyInUse' });
    expect((await api('GET', `${V}/ikepolicies/${ike.id}`, undefined, bob)).status).toBe(404);
  });

  it('the gateway and the interface a VPN service uses cannot go: RouterInUse, SubnetInUseByVPNService (409, neutron-vpnaas\'s messages); once the service is gone they can', async () => {
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'use-net' } })).body.network;
    const sub = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '172.28.1.0/24', ip_version: 4 } })).body.subnet;
    const r = (await api('POST', '/v2.0/routers', { router: { name: 'use-r', external_gateway_info: { network_id: ext.id } } })).body.router;
    const port = (await api('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id })).body.port_id;
    const svc = (await api('POST', '/v2.0/vpn/vpnservices', { vpnservice: { router_id: r.id, subnet_id: sub.id } })).body.vpnservice;
    const routerInUse = { status: 409, type: 'RouterInUse', message: `Router ${r.id} is currently used by VPN service (${svc.id})` };
    await refused('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: {} } }, routerInUse);
    await refused('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: null } }, routerInUse);
    const subnetInUse = { status: 409, type: 'SubnetInUseByVPNService', message: `Subnet ${sub.id} is used by VPNService ${svc.id}` };
    await refused('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { subnet_id: sub.id }, subnetInUse);
    await refused('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { port_id: port }, subnetInUse);
    // the router's own interfaces are named first, as Zed's delete_router checks them before its gateway
    await refused('DELETE', `/v2.0/routers/${r.id}`, undefined, { status: 409, type: 'RouterInUse', message: `Router ${r.id} has ports still attached: ${port}` });
    expect((await api('DELETE', `/v2.0/vpn/vpnservices/${svc.id}`)).status).toBe(204);
    expect((await api('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { subnet_id: sub.id })).status).toBe(200);
    expect((await api('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: {} } })).body.router.external_gateway_info).toBeNull();
  });
});
