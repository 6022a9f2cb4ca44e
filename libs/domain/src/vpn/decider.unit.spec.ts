import { vpnDecider, type VpnCommand, type VpnState } from './decider';
import type { VpnKind } from './model';

const P = 'project-a';
const owner = { user_id: 'u', project_id: P, roles: ['member'] };
const other = { user_id: 'v', project_id: 'project-b', roles: ['member'] };
const R = '11111111-1111-4111-8111-111111111111';
const R_NOGW = '22222222-2222-4222-8222-222222222222';
const SUB = '33333333-3333-4333-8333-333333333333';
const SUB_OFF = '44444444-4444-4444-8444-444444444444';
const IKE = 'aaaaaaaa-1111-4111-8111-111111111111';
const IPS = 'aaaaaaaa-2222-4222-8222-222222222222';
const SVC = 'aaaaaaaa-3333-4333-8333-333333333333';
const CONN = 'aaaaaaaa-4444-4444-8444-444444444444';
const EG_L = 'aaaaaaaa-5555-4555-8555-555555555555';
const EG_P = 'aaaaaaaa-6666-4666-8666-666666666666';
const SVC2 = 'aaaaaaaa-7777-4777-8777-777777777777';

const facts: Omit<VpnState, 'project'> = {
  router: (id) =>
    id === R ? { id, hasGateway: true, gatewayIps: ['10.50.0.112'], interfaceSubnetIds: [SUB] }
      : id === R_NOGW ? { id, hasGateway: false, gatewayIps: [], interfaceSubnetIds: [SUB] } : undefined,
  subnet: (id) => (id === SUB ? { id, cidr: '172.25.30.0/24', ip_version: 4 } : id === SUB_OFF ? { id, cidr: '172.25.31.0/24', ip_version: 4 } : undefined),
};

/** Runs commands in order, folding each decision into the state; returns the state and the last decision. */
function run(...commands: VpnCommand[]) {
  let state: VpnState = { ...vpnDecider.initialState(), ...facts };
  let last: ReturnType<typeof vpnDecider.decide> = [];
  for (const c of commands) {
    last = vpnDecider.decide(c, state);
    for (const e of last) state = vpnDecider.evolve(state, { ...e, at: '2026-01-01T00:00:00Z', aggregate: { type: 'vpn', id: P } } as never);
  }
  return { state, last };
}
const create = (kind: VpnKind, id: string, body: Record<string, unknown>, actor = owner, peerAddress?: string): VpnCommand =>
  ({ type: 'CreateVpnObject', kind, id, body: { [kind]: body }, actor, peerAddress });
const ike = create('ikepolicy', IKE, { name: 'ike1' });
const ips = create('ipsecpolicy', IPS, { name: 'ips1' });
const svc = create('vpnservice', SVC, { router_id: R, subnet_id: SUB, name: 'EastRouterVPNService' });
const connBody = { vpnservice_id: SVC, ikepolicy_id: IKE, ipsecpolicy_id: IPS, peer_address: '10.50.0.113', peer_id: '10.50.0.113', peer_cidrs: ['192.168.49.0/24'], psk: 'secret' };
const noCidrs = (({ peer_cidrs: _c, ...rest }) => rest)(connBody);
const conn = (over: Record<string, unknown> = {}) => create('ipsec_site_connection', CONN, { ...connBody, ...over });
const fails = (f: () => unknown, status: number, type: string, message?: RegExp | string) => {
  let err: any;
  try { f(); } catch (e) { err = e; }
  expect(err).toBeDefined();
  expect({ status: err.status, type: err.type }).toEqual({ status, type });
  if (message) expect(err.message).toMatch(message);
};

describe('VPN decider: defaults', () => {
  it('IKE and IPsec policies take neutron-vpnaas defaults', () => {
    const { state } = run(ike, ips);
    expect(state.project.ikepolicy[IKE]).toMatchObject({
      auth_algorithm: 'sha1', encryption_algorithm: 'aes-128', phase1_negotiation_mode: 'main', ike_version: 'v1', pfs: 'group5',
      lifetime: { units: 'seconds', value: 3600 }, tenant_id: P,
    });
    expect(state.project.ipsecpolicy[IPS]).toMatchObject({ transform_protocol: 'esp', encapsulation_mode: 'tunnel', pfs: 'group5', lifetime: { units: 'seconds', value: 3600 } });
  });

  it('a service is PENDING_CREATE with the router gateway as its external IP; a connection gets the book DPD defaults', () => {
    const { state } = run(ike, ips, svc, conn());
    expect(state.project.vpnservice[SVC]).toMatchObject({ status: 'PENDING_CREATE', external_v4_ip: '10.50.0.112', external_v6_ip: null });
    expect(state.project.ipsec_site_connection[CONN]).toMatchObject({
      status: 'PENDING_CREATE', dpd: { action: 'hold', interval: 20, timeout: 30 }, mtu: 1500, initiator: 'bi-directional', route_mode: 'static', auth_mode: 'psk',
    });
  });
});

describe('VPN decider: bad input (Neutron errors, nothing decided)', () => {
  it.each([
    [{ encryption_algorithm: 'aes-512' }, 'Invalid input for encryption_algorithm. Reason: aes-512 is not in valid_values.'],
    [{ auth_algorithm: 'md5' }, 'Invalid input for auth_algorithm. Reason: md5 is not in valid_values.'],
    [{ pfs: 'group1' }, 'Invalid input for pfs. Reason: group1 is not in valid_values.'],
    [{ ike_version: 'v3' }, 'Invalid input for ike_version. Reason: v3 is not in valid_values.'],
    [{ lifetime: { units: 'seconds', value: 10 } }, "Invalid input for lifetime. Reason: '10' is too small - must be at least '60'."],
    [{ lifetime: { units: 'minutes', value: 100 } }, 'Invalid input for lifetime. Reason: minutes is not in valid_values.'],
  ])('IKE policy %j → 400 (as the reference server answers)', (body, message) => {
    fails(() => run(create('ikepolicy', IKE, { name: 'x', ...body })), 400, 'HTTPBadRequest', message);
  });

  it('a service on a router without gateway, or on a subnet not attached to it', () => {
    fails(() => run(create('vpnservice', SVC, { router_id: R_NOGW, subnet_id: SUB })), 400, 'RouterIsNotExternal', `Router ${R_NOGW} has no external network gateway set`);
    fails(() => run(create('vpnservice', SVC, { router_id: R, subnet_id: SUB_OFF })), 400, 'SubnetIsNotConnectedToRouter', `Subnet ${SUB_OFF} is not connected to Router ${R}`);
  });

  it('peer CIDRs overlapping the local subnet, bad CIDRs, mixed versions, DPD, MTU', () => {
    fails(() => run(ike, ips, svc, conn({ peer_cidrs: ['172.25.30.128/25'] })), 400, 'IPsecSiteConnectionPeerCidrError', /overlaps the local subnet 172.25.30.0\/24/);
    fails(() => run(ike, ips, svc, conn({ peer_cidrs: ['10.0.0.300/24'] })), 400, 'HTTPBadRequest', /Invalid input for peer_cidrs/);
    fails(() => run(ike, ips, svc, conn({ peer_cidrs: ['fd00::/64'] })), 400, 'MixedIPVersionsForIPSecConnection');
    fails(() => run(ike, ips, svc, conn({ dpd: { interval: 30, timeout: 30 } })), 400, 'IPsecSiteConnectionDpdIntervalValueError', 'ipsec_site_connection dpd_timeout is equal to or less than dpd_interval');
    fails(() => run(ike, ips, svc, conn({ dpd: { action: 'explode' } })), 400, 'HTTPBadRequest', 'Invalid input for dpd. Reason: explode is not in valid_values.');
    fails(() => run(ike, ips, svc, conn({ mtu: 60 })), 400, 'IPsecSiteConnectionMtuError', 'ipsec_site_connection MTU 60 is too small for ipv4');
    fails(() => run(ike, ips, svc, conn({ peer_cidrs: [] })), 400, 'MissingPeerCidrs');
    fails(() => run(ike, ips, svc, conn({ peer_address: 'no-such-host.invalid' })), 400, 'VPNPeerAddressNotResolved');
    fails(() => run(ike, ips, svc, conn({ peer_address: 'fd00::1' })), 400, 'ExternalNetworkHasNoSubnet');
    fails(() => run(ike, ips, svc, create('ipsec_site_connection', CONN, (({ psk: _psk, ...rest }) => rest)(connBody))), 400, 'HTTPBadRequest', "Failed to parse request. Required attribute 'psk' not specified");
  });

  it('another project sees none of it', () => {
    fails(() => run(ike, ips, svc, create('ipsec_site_connection', CONN, connBody, other)), 404, 'VPNServiceNotFound');
    fails(() => run(ike, { type: 'DeleteVpnObject', kind: 'ikepolicy', id: IKE, actor: other }), 404, 'IKEPolicyNotFound');
  });
});

describe('VPN decider: in use', () => {
  it('policies and the service cannot change or go while a connection uses them; free again once it is gone', () => {
    const steps = [ike, ips, svc, conn()];
    fails(() => run(...steps, { type: 'UpdateVpnObject', kind: 'ikepolicy', id: IKE, body: { ikepolicy: { pfs: 'group14' } }, actor: owner }), 409, 'IKEPolicyInUse',
      `IKEPolicy ${IKE} is in use by existing IPsecSiteConnection and can't be updated or deleted`);
    fails(() => run(...steps, { type: 'DeleteVpnObject', kind: 'ipsecpolicy', id: IPS, actor: owner }), 409, 'IPsecPolicyInUse');
    fails(() => run(...steps, { type: 'DeleteVpnObject', kind: 'vpnservice', id: SVC, actor: owner }), 409, 'VPNServiceInUse', `VPNService ${SVC} is still in use`);
    const { state } = run(...steps, { type: 'DeleteVpnObject', kind: 'ipsec_site_connection', id: CONN, actor: owner },
      { type: 'UpdateVpnObject', kind: 'ikepolicy', id: IKE, body: { ikepolicy: { pfs: 'group14', lifetime: { value: 7200 } } }, actor: owner },
      { type: 'DeleteVpnObject', kind: 'ipsecpolicy', id: IPS, actor: owner });
    expect(state.project.ikepolicy[IKE]).toMatchObject({ pfs: 'group14', lifetime: { units: 'seconds', value: 7200 } });
    expect(state.project.ipsecpolicy[IPS]).toBeUndefined();
  });

  it('a pending connection cannot be updated (VPNStateInvalidToUpdate); after the agent reports ACTIVE it can', () => {
    const steps = [ike, ips, svc, conn()];
    const upd: VpnCommand = { type: 'UpdateVpnObject', kind: 'ipsec_site_connection', id: CONN, body: { ipsec_site_connection: { dpd: { interval: 10 } } }, actor: owner };
    fails(() => run(...steps, upd), 400, 'VPNStateInvalidToUpdate', `Invalid state PENDING_CREATE of vpnaas resource ${CONN} for updating`);
    const report: VpnCommand = { type: 'ReportVpnStatus', report: { router_id: R, host: 'h1', vpnservices: { [SVC]: 'ACTIVE' }, connections: { [CONN]: { status: 'ACTIVE' } } } };
    const { state, last } = run(...steps, report, upd);
    expect(last).toEqual([{ type: 'vpn.object_updated', data: { kind: 'ipsec_site_connection', id: CONN, changes: { dpd: { action: 'hold', interval: 10, timeout: 30 } } } }]);
    expect(state.project.vpnservice[SVC].status).toBe('ACTIVE');
    // the same report again changes nothing
    expect(run(...steps, report, report).last).toEqual([]);
  });
});

describe('VPN decider: endpoint groups', () => {
  const svcNoSubnet = create('vpnservice', SVC2, { router_id: R });
  const local = create('endpoint_group', EG_L, { type: 'subnet', endpoints: [SUB] });
  const peer = create('endpoint_group', EG_P, { type: 'cidr', endpoints: ['192.168.49.0/24'] });
  const byGroups = create('ipsec_site_connection', CONN, { ...noCidrs, vpnservice_id: SVC2, local_ep_group_id: EG_L, peer_ep_group_id: EG_P });

  it('a service without subnet takes a local subnet group and a peer CIDR group', () => {
    const { state } = run(ike, ips, svcNoSubnet, local, peer, byGroups);
    expect(state.project.ipsec_site_connection[CONN]).toMatchObject({ local_ep_group_id: EG_L, peer_ep_group_id: EG_P, peer_cidrs: [] });
    fails(() => run(ike, ips, svcNoSubnet, local, peer, byGroups, { type: 'DeleteVpnObject', kind: 'endpoint_group', id: EG_P, actor: owner }), 400, 'EndpointGroupInUse');
  });

  it('mixing the modes, wrong group types and bad endpoints are refused', () => {
    fails(() => run(ike, ips, svcNoSubnet, local, peer, conn({ vpnservice_id: SVC2 })), 400, 'PeerCidrsInvalid');
    fails(() => run(ike, ips, svcNoSubnet, local, peer, create('ipsec_site_connection', CONN, { ...noCidrs, vpnservice_id: SVC2, local_ep_group_id: EG_L })), 400, 'MissingRequiredEndpointGroup',
      'Missing endpoint group peer for IPSec site-to-site connection');
    fails(() => run(ike, ips, svc, local, conn({ local_ep_group_id: EG_L })), 400, 'InvalidEndpointGroup', 'Endpoint group local cannot be specified, when VPN Service has subnet specified');
    fails(() => run(ike, ips, svcNoSubnet, local, peer, create('ipsec_site_connection', CONN, { ...noCidrs, vpnservice_id: SVC2, local_ep_group_id: EG_P, peer_ep_group_id: EG_L })), 400, 'WrongEndpointGroupType');
    fails(() => run(create('endpoint_group', EG_P, { type: 'cidr', endpoints: ['10.9.0.300/24'] })), 400, 'InvalidEndpointInEndpointGroup', "Endpoint '10.9.0.300/24' is invalid for group type 'cidr': Invalid CIDR");
    fails(() => run(create('endpoint_group', EG_P, { type: 'subnet', endpoints: [SUB_OFF.replace('4444', '9999')] })), 400, 'NonExistingSubnetInEndpointGroup');
    fails(() => run(create('endpoint_group', EG_P, { type: 'cidr', endpoints: [] })), 400, 'MissingEndpointForEndpointGroup');
    fails(() => run(create('endpoint_group', EG_P, { type: 'foo', endpoints: ['10.9.0.0/24'] })), 400, 'HTTPBadRequest', 'Invalid input for type. Reason: foo is not in valid_values.');
  });
});
