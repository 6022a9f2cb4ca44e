import { vpnDecider, type VpnCommand, type VpnState } from '@neutrino/domain';
import type { StoredEvent } from '@neutrino/events';
import { ev, routerLog, HOST, ROUTER, SUBNET } from '../__fixtures__/l3-log';
import { routerDesired, type L3DesiredSettings } from '../desired/l3-desired';
import { natTable } from '../desired/nat-rules';
import { planRouter } from '../desired/router-plan';
import { L3View } from '../view/l3-view';
import { natExemptions, renderIpsecConf, renderSecrets, renderStrongswanConf, strongswanPaths, strongswanProcess } from './strongswan';
import type { VpnRouterPlan } from './vpn-plan';

const EAST_CONN = 'ada99bbe-4e96-4252-8d12-f9c981980942';

/** The EAST router of spec/vpnaas.md §4 (10.50.0.112, 172.25.30.0/24 → WEST 10.50.0.113, 192.168.49.0/24) with the default policies. */
const east: VpnRouterPlan = {
  serviceNames: ['EastRouterVPNService'],
  serviceIds: ['svc'],
  connections: [{
    id: EAST_CONN, keyexchange: 'ikev1', left: '10.50.0.112', leftsubnets: ['172.25.30.0/24'], leftid: '10.50.0.112', right: '10.50.0.113',
    rightsubnets: ['192.168.49.0/24'], rightid: '10.50.0.113', psk: 'secret', ike: 'aes128-sha1-modp1536!', childProposal: { key: 'esp', value: 'aes128-sha1-modp1536!' },
    ikelifetime: 3600, lifetime: 3600, dpd: { action: 'hold', delay: 20, timeout: 30 }, auto: 'route',
  }],
};

describe('strongSwan config of a router (golden: spec/vpnaas.md §4)', () => {
  it('ipsec.conf is the spec form, the policies as ike=/esp= proposals, lifetimes and DPD after it', () => {
    expect(renderIpsecConf(east)).toBe(`# Configuration for EastRouterVPNService
config setup

conn %default
    ikelifetime=60m
    keylife=20m
    rekeymargin=3m
    keyingtries=1
    authby=psk
    mobike=no

conn ada99bbe-4e96-4252-8d12-f9c981980942
    keyexchange=ikev1
    left=10.50.0.112
    leftsubnet=172.25.30.0/24
    leftid=10.50.0.112
    leftfirewall=yes
    right=10.50.0.113
    rightsubnet=192.168.49.0/24
    rightid=10.50.0.113
    ike=aes128-sha1-modp1536!
    esp=aes128-sha1-modp1536!
    ikelifetime=3600s
    lifetime=3600s
    dpdaction=hold
    dpddelay=20s
    dpdtimeout=30s
    auto=route
`);
    expect(renderSecrets(east)).toBe('10.50.0.112 10.50.0.113 : PSK "secret"\n');
    expect(natExemptions(east)).toEqual(['-s 172.25.30.0/24 -d 192.168.49.0/24 -m policy --dir out --pol ipsec -j ACCEPT']);
  });

  it('every path of one router is its own: two routers or two hosts share none', () => {
    const s = (host: string) => ({ ipsecDir: `/var/lib/neutrino/l3/${host}/ipsec`, starterBin: '/usr/lib/ipsec/starter' });
    const a = strongswanProcess('r-a', 'qrouter-r-a', east, s('network1'));
    const b = strongswanProcess('r-b', 'qrouter-r-b', east, s('network1'));
    const c = strongswanProcess('r-a', 'h2-qrouter-r-a', east, s('network2'));
    const paths = (p: typeof a) => [p.pidFile, ...(p.files ?? []).map((f) => f.path)];
    expect(new Set([...paths(a), ...paths(b)]).size).toBe(paths(a).length * 2);
    expect(paths(a).some((x) => paths(c).includes(x))).toBe(false);
    expect(a).toMatchObject({
      id: 'strongswan-r-a', netns: 'qrouter-r-a', reloadSignal: 'SIGHUP', pidFile: '/var/lib/neutrino/l3/network1/ipsec/r-a/starter.pid',
      runsAs: ['/usr/lib/ipsec/starter', '--nofork', '--conf', '/var/lib/neutrino/l3/network1/ipsec/r-a/etc/ipsec.conf'],
    });
    expect(a.argv.slice(0, 4)).toEqual(['unshare', '--mount', '--propagation', 'private']);
    expect(a.argv[6]).toBe(
      'mkdir -p /var/lib/neutrino/l3/network1/ipsec/r-a/run && mount --bind /var/lib/neutrino/l3/network1/ipsec/r-a/run /run && ' +
        'STRONGSWAN_CONF=/var/lib/neutrino/l3/network1/ipsec/r-a/etc/strongswan.conf exec /usr/lib/ipsec/starter --nofork --conf /var/lib/neutrino/l3/network1/ipsec/r-a/etc/ipsec.conf',
    );
    const conf = renderStrongswanConf(strongswanPaths(s('network1'), 'r-a'));
    expect(conf).toContain('socket = unix:///var/lib/neutrino/l3/network1/ipsec/r-a/run/charon.vici');
    expect(conf).toContain('socket = unix:///var/lib/neutrino/l3/network1/ipsec/r-a/run/charon.ctl');
    // the plugins are named: an installed kernel-libipsec is not picked up unless asked for
    expect(conf).toMatch(/^ {4}load = aes .* kernel-netlink .* stroke vici updown$/m);
    expect(conf).not.toContain('kernel-libipsec');
    expect(renderStrongswanConf(strongswanPaths(s('network1'), 'r-a'), 'libipsec')).toMatch(/^ {4}load = .* kernel-libipsec kernel-netlink /m);
    expect(conf).toContain('path = /var/lib/neutrino/l3/network1/ipsec/r-a/charon.log');
    expect(conf).toContain('secrets_file = /var/lib/neutrino/l3/network1/ipsec/r-a/etc/ipsec.secrets');
  });
});

describe('VPN in the router plan (from the log)', () => {
  const P = 'p';
  const actor = { user_id: 'u', project_id: P, roles: ['member'] };
  const settings: L3DesiredSettings = {
    netnsPrefix: '', enableMetadataProxy: false, haConfsDir: '/tmp/ha', keepalivedBin: 'keepalived', ipsecDir: '/tmp/ipsec', starterBin: '/usr/lib/ipsec/starter',
  };

  /** The VPN events the gateway would append for these commands (decided by the domain on the router fixture). */
  function vpnEvents(...commands: VpnCommand[]): StoredEvent[] {
    let state: VpnState = {
      ...vpnDecider.initialState(),
      router: () => ({ id: ROUTER, hasGateway: true, gatewayIps: ['10.50.0.100'], interfaceSubnetIds: [SUBNET] }),
      subnet: (id) => (id === SUBNET ? { id, cidr: '10.30.0.0/24', ip_version: 4 } : undefined),
    };
    const out: StoredEvent[] = [];
    for (const c of commands) {
      for (const e of vpnDecider.decide(c, state)) {
        const stored = ev(e.type, 'vpn', P, e.data);
        state = vpnDecider.evolve(state, stored as never);
        out.push(stored);
      }
    }
    return out;
  }
  const create = (kind: 'ikepolicy' | 'ipsecpolicy' | 'vpnservice' | 'ipsec_site_connection', id: string, body: object): VpnCommand =>
    ({ type: 'CreateVpnObject', kind, id, body: { [kind]: body }, actor });
  const IKE = '10000000-0000-4000-8000-000000000001';
  const IPS = '10000000-0000-4000-8000-000000000002';
  const SVC = '10000000-0000-4000-8000-000000000003';
  const CONN = '10000000-0000-4000-8000-000000000004';

  it('a service with a connection: one strongSwan in the namespace, the exemption ahead of SNAT; status reports change nothing', () => {
    const view = new L3View(HOST);
    for (const e of routerLog()) view.apply(e);
    const events = vpnEvents(
      create('ikepolicy', IKE, { name: 'ike', ike_version: 'v2', pfs: 'group14', encryption_algorithm: 'aes-256' }),
      create('ipsecpolicy', IPS, { name: 'ips' }),
      create('vpnservice', SVC, { router_id: ROUTER, subnet_id: SUBNET, name: 'svc' }),
      create('ipsec_site_connection', CONN, { vpnservice_id: SVC, ikepolicy_id: IKE, ipsecpolicy_id: IPS, peer_address: '10.50.0.200', peer_id: '10.50.0.200', peer_cidrs: ['10.40.0.0/24'], psk: 'k' }),
    );
    expect(events.map((e) => view.apply(e))).toEqual([false, false, true, true]);
    const plan = planRouter(view, ROUTER, '')!;
    expect(plan.vpn?.connections).toEqual([expect.objectContaining({ id: CONN, keyexchange: 'ikev2', left: '10.50.0.100', leftsubnets: ['10.30.0.0/24'], ike: 'aes256-sha1-modp2048!' })]);
    const post = natTable(plan, settings).chains.find((c) => c.name === 'neutron-l3-agent-POSTROUTING')!.rules;
    expect(post[0]).toBe('-s 10.30.0.0/24 -d 10.40.0.0/24 -m policy --dir out --pol ipsec -j ACCEPT');
    const desired = routerDesired(plan, settings);
    expect(desired.processes.map((p) => p.id)).toEqual([`strongswan-${ROUTER}`]);
    // charon's table-220 route to the peer subnet is kept, not made
    expect(desired.routes.filter((r) => r.table === '220')).toEqual([{ netns: plan.netns, dst: '10.40.0.0/24', table: '220', external: true }]);
    const report = ev('vpn.status_reported', 'vpn', P, { router_id: ROUTER, host: HOST, vpnservices: { [SVC]: 'ACTIVE' }, connections: { [CONN]: { status: 'ACTIVE' } } });
    expect(view.apply(report)).toBe(false);
    expect(planRouter(view, ROUTER, '')).toEqual(plan);
    // the connection goes: no conn left, the service's strongSwan stays (Neutron keeps it while the service exists)
    expect(view.apply(ev('vpn.object_deleted', 'vpn', P, { kind: 'ipsec_site_connection', id: CONN }))).toBe(true);
    expect(planRouter(view, ROUTER, '')!.vpn?.connections).toEqual([]);
    expect(view.apply(ev('vpn.object_deleted', 'vpn', P, { kind: 'vpnservice', id: SVC }))).toBe(true);
    expect(planRouter(view, ROUTER, '')!.vpn).toBeUndefined();
  });
});
