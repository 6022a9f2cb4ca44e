import { vpnDecider, type VpnCommand, type VpnState } from '@neutrino/domain';
import type { StoredEvent } from '@neutrino/events';
import type { Logger } from '@neutrino/observability';
import { ev, routerLog, subjectLogStore, HOST, ROUTER, SUBNET } from '../__fixtures__/l3-log';
import { routerPlans } from '../desired/l3-desired';
import { L3View } from '../view/l3-view';
import { VpnMonitor, connectionStatus, failureOf, parseListSas, vpnStatusReports, type CharonState } from './vpn-status';

const P = 'p';
const IKE = '10000000-0000-4000-8000-000000000001';
const IPS = '10000000-0000-4000-8000-000000000002';
const SVC = '10000000-0000-4000-8000-000000000003';
const CONN = '10000000-0000-4000-8000-000000000004';

/** swanctl --list-sas of strongSwan 5.9.8 with one tunnel up. */
const UP = `${CONN}: #1, ESTABLISHED, IKEv1, 7b0e2a3c1d4f5e6a_i* 9c8d7e6f5a4b3c2d_r
  local  '10.50.0.100' @ 10.50.0.100[500]
  remote '10.50.0.200' @ 10.50.0.200[500]
  AES_CBC-128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1536
  established 3s ago, rekeying in 3326s
  ${CONN}: #1, reqid 1, INSTALLED, TUNNEL, ESP:AES_CBC-128/HMAC_SHA1_96/MODP_1536
    installed 3s ago, rekeying in 3258s, expires in 3597s
    in  c6a1b2c3,    168 bytes,     2 packets,     1s ago
    out c1d2e3f4,    168 bytes,     2 packets,     1s ago
    local  10.30.0.0/24
    remote 10.40.0.0/24
`;
const WRONG_PSK_LOG = `Dec  4 19:01:02 09[IKE] <${CONN}|1> initiating Main Mode IKE_SA ${CONN}[1] to 10.50.0.200
Dec  4 19:01:02 11[ENC] <${CONN}|1> invalid HASH_V1 payload length, decryption failed?
Dec  4 19:01:02 11[ENC] <${CONN}|1> could not decrypt payloads
Dec  4 19:01:02 11[IKE] <${CONN}|1> message parsing failed
Dec  4 19:01:05 13[IKE] <other|2> received AUTHENTICATION_FAILED error notify
`;

describe('reading a router charon back', () => {
  it('parses swanctl --list-sas: IKE and CHILD SA states by connection name', () => {
    expect(parseListSas(UP)).toEqual(new Map([[CONN, { ike: ['ESTABLISHED'], child: ['INSTALLED'] }]]));
    expect(parseListSas('')).toEqual(new Map());
    expect(parseListSas(`${CONN}: #2, CONNECTING, IKEv2, 1_i* 0_r\n`)).toEqual(new Map([[CONN, { ike: ['CONNECTING'], child: [] }]]));
  });

  it('ACTIVE only with an installed CHILD SA; DOWN says why (the last failure of that connection in the log)', () => {
    expect(connectionStatus(CONN, { pid: 7, sas: parseListSas(UP), log: '' })).toEqual({ status: 'ACTIVE' });
    expect(failureOf(WRONG_PSK_LOG, CONN)).toBe('message parsing failed');
    expect(connectionStatus(CONN, { pid: 7, sas: new Map(), log: WRONG_PSK_LOG })).toEqual({ status: 'DOWN', reason: 'message parsing failed' });
    expect(connectionStatus(CONN, { pid: 7, sas: new Map(), log: '' })).toEqual({ status: 'DOWN', reason: 'no IKE SA established with the peer yet' });
    expect(connectionStatus(CONN, { log: '', error: 'charon is not running' })).toEqual({ status: 'DOWN', reason: 'charon is not running' });
  });
});

/** The router fixture with one VPN service and connection, on a log that checks expected subject sequences. */
function world() {
  const actor = { user_id: 'u', project_id: P, roles: ['member'] };
  let state: VpnState = {
    ...vpnDecider.initialState(),
    router: () => ({ id: ROUTER, hasGateway: true, gatewayIps: ['10.50.0.100'], interfaceSubnetIds: [SUBNET] }),
    subnet: (id) => (id === SUBNET ? { id, cidr: '10.30.0.0/24', ip_version: 4 } : undefined),
  };
  const view = new L3View(HOST);
  const log: StoredEvent[] = [];
  const record = (e: StoredEvent) => {
    log.push(e);
    view.apply(e);
    if (e.aggregate.type === 'vpn') state = vpnDecider.evolve(state, e as never);
  };
  for (const e of routerLog()) record(e);
  const command = (c: VpnCommand) => {
    for (const e of vpnDecider.decide(c, state)) record(ev(e.type, 'vpn', P, e.data));
  };
  const create = (kind: 'ikepolicy' | 'ipsecpolicy' | 'vpnservice' | 'ipsec_site_connection', id: string, body: object) =>
    command({ type: 'CreateVpnObject', kind, id, body: { [kind]: body }, actor });
  create('ikepolicy', IKE, { name: 'ike' });
  create('ipsecpolicy', IPS, { name: 'ips' });
  create('vpnservice', SVC, { router_id: ROUTER, subnet_id: SUBNET, name: 'svc' });
  create('ipsec_site_connection', CONN, { vpnservice_id: SVC, ikepolicy_id: IKE, ipsecpolicy_id: IPS, peer_address: '10.50.0.200', peer_id: '10.50.0.200', peer_cidrs: ['10.40.0.0/24'], psk: 'k' });
  const { store, appended, interfere } = subjectLogStore(log, record);
  let charon: CharonState = { pid: 41, sas: new Map(), log: '' };
  const initiated: string[] = [];
  const terminated: string[] = [];
  const warned: string[] = [];
  const logger = { info: () => undefined, warn: (_o: unknown, msg: string) => warned.push(msg) } as unknown as Logger;
  const monitor = new VpnMonitor(store, view, () => routerPlans(view, { netnsPrefix: '' }), {
    logger, binary: 'neutron-l3-agent', pollMs: 0, settings: { ipsecDir: '/tmp/ipsec', starterBin: 'starter' },
    probe: { look: async () => charon, initiate: async (_p, c) => (initiated.push(c), true), terminate: async (_p, c) => void terminated.push(c), rereadSecrets: async () => undefined, pid: () => 41 },
  });
  return { view, appended, monitor, initiated, terminated, warned, set: (c: CharonState) => (charon = c), interfere, record };
}

describe('VpnMonitor', () => {
  it('brings a connection up, reports DOWN then ACTIVE through the domain, each change once', async () => {
    const w = world();
    await w.monitor.pollOnce();
    expect(w.initiated).toEqual([CONN]);
    expect(w.appended.map(({ type, data }) => ({ type, data }))).toEqual([{ type: 'vpn.status_reported', data: { router_id: ROUTER, host: HOST, vpnservices: { [SVC]: 'ACTIVE' }, connections: { [CONN]: { status: 'DOWN', reason: 'no IKE SA established with the peer yet' } } } }]);
    await w.monitor.pollOnce();
    expect(w.appended).toHaveLength(1);
    // not initiated again at once (charon is negotiating)
    expect(w.initiated).toEqual([CONN]);
    w.set({ pid: 41, sas: parseListSas(UP), log: '' });
    await w.monitor.pollOnce();
    await w.monitor.pollOnce();
    expect(w.appended.map((a) => a.data)).toEqual([expect.anything(), { router_id: ROUTER, host: HOST, vpnservices: {}, connections: { [CONN]: { status: 'ACTIVE' } } }]);
    expect(w.view.vpn.get(P)!.ipsec_site_connection[CONN].status).toBe('ACTIVE');
  });

  it('a wrong PSK: DOWN with the failure from charon\'s log, in the agent\'s log too; charon gone: all DOWN', async () => {
    const w = world();
    w.set({ pid: 41, sas: new Map(), log: WRONG_PSK_LOG });
    await w.monitor.pollOnce();
    expect(w.view.vpn.get(P)!.ipsec_site_connection[CONN]).toMatchObject({ status: 'DOWN', status_reason: 'message parsing failed' });
    expect(w.warned).toContain(`IPsec site connection ${CONN} is DOWN: message parsing failed`);
    w.set({ log: '', error: 'charon is not running' });
    await w.monitor.pollOnce();
    expect(w.view.vpn.get(P)!.vpnservice[SVC].status).toBe('DOWN');
    expect(w.view.vpn.get(P)!.ipsec_site_connection[CONN]).toMatchObject({ status: 'DOWN', status_reason: 'charon is not running' });
  });

  it('decides again on the newer state when another writer got in first (nothing stale is appended)', async () => {
    const w = world();
    w.set({ pid: 41, sas: parseListSas(UP), log: '' });
    // another host's report lands between the monitor's decision and its append
    w.interfere(() => w.record(ev('vpn.status_reported', 'vpn', P, { router_id: ROUTER, host: 'other', vpnservices: { [SVC]: 'ACTIVE' }, connections: {} })));
    await w.monitor.pollOnce();
    const last = w.appended.at(-1)!.data as { vpnservices: object; connections: object };
    // decided on the state with the service already ACTIVE: only the connection
    expect(last).toEqual({ router_id: ROUTER, host: HOST, vpnservices: {}, connections: { [CONN]: { status: 'ACTIVE' } } });
  });

  it('ends the tunnels of connections that are no longer configured, not the planned ones', async () => {
    const w = world();
    w.set({ pid: 41, sas: parseListSas(`${UP}gone-conn: #3, ESTABLISHED, IKEv1, 1_i 2_r*\n`), log: '' });
    await w.monitor.pollOnce();
    expect(w.terminated).toEqual(['gone-conn']);
  });

  it('an HA router\'s VPN is reported by its active member only', () => {
    const w = world();
    const plans = routerPlans(w.view, { netnsPrefix: '' }).map((p) => ({ ...p, ha: { port: p.interfaces[0], vrid: 1 } }));
    const charons = new Map([[ROUTER, { pid: 41, sas: parseListSas(UP), log: '' }]]);
    expect(vpnStatusReports(w.view, plans, charons)).toEqual([]);
    w.view.haStates.set(ROUTER, new Map([[HOST, 'active']]));
    expect(vpnStatusReports(w.view, plans, charons)).toEqual([{ router_id: ROUTER, host: HOST, vpnservices: { [SVC]: 'ACTIVE' }, connections: { [CONN]: { status: 'ACTIVE' } } }]);
  });
});
