import { diff, planLinux, renderIptablesSave, type CommandStep } from '@neutrino/dataplane';
import { EXT_SUBNET, FIP, GW_PORT, HOST, IF_PORT, NET, ROUTER, SUBNET, ev, fipUpdated, floatingIp, port, routerLog, routerUpdated, scheduled } from '../__fixtures__/l3-log';
import { L3View } from '../view/l3-view';
import { l3Desired, type L3DesiredSettings } from './l3-desired';

const cfg: L3DesiredSettings = { netnsPrefix: '', enableMetadataProxy: true, haConfsDir: '/var/lib/neutrino/l3/ha_confs', keepalivedBin: 'keepalived', ipsecDir: '/var/lib/neutron/ipsec', starterBin: '/usr/lib/ipsec/starter' };
const viewOf = (events = routerLog()) => {
  const v = new L3View(HOST);
  for (const e of events) v.apply(e);
  return v;
};
const QR = `qrouter-${ROUTER}`;
const nat = (d: ReturnType<typeof l3Desired>) => renderIptablesSave(d.iptables.find((t) => t.table === 'nat')!);

/** spec/l3.md §2.2, verbatim. */
const GOLDEN_NAT_WITH_FIP = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:neutron-l3-agent-OUTPUT - [0:0]
:neutron-l3-agent-POSTROUTING - [0:0]
:neutron-l3-agent-PREROUTING - [0:0]
:neutron-l3-agent-float-snat - [0:0]
:neutron-l3-agent-snat - [0:0]
:neutron-postrouting-bottom - [0:0]
-A PREROUTING -j neutron-l3-agent-PREROUTING
-A OUTPUT -j neutron-l3-agent-OUTPUT
-A POSTROUTING -j neutron-l3-agent-POSTROUTING
-A POSTROUTING -j neutron-postrouting-bottom
-A neutron-l3-agent-OUTPUT -d 10.50.0.101/32 -j DNAT --to-destination 10.30.0.3
-A neutron-l3-agent-POSTROUTING ! -i qg-df73484e-8b ! -o qg-df73484e-8b -m conntrack ! --ctstate DNAT -j ACCEPT
-A neutron-l3-agent-PREROUTING -d 169.254.169.254/32 -i qr-+ -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 9697
-A neutron-l3-agent-PREROUTING -d 10.50.0.101/32 -j DNAT --to-destination 10.30.0.3
-A neutron-l3-agent-float-snat -s 10.30.0.3/32 -j SNAT --to-source 10.50.0.101
-A neutron-l3-agent-snat -j neutron-l3-agent-float-snat
-A neutron-l3-agent-snat -o qg-df73484e-8b -j SNAT --to-source 10.50.0.100
-A neutron-l3-agent-snat -m mark ! --mark 0x2 -m conntrack --ctstate DNAT -j SNAT --to-source 10.50.0.100
-A neutron-postrouting-bottom -m comment --comment "Perform source NAT on outgoing traffic." -j neutron-l3-agent-snat
COMMIT
`;
const FIP_LINES = [
  '-A neutron-l3-agent-OUTPUT -d 10.50.0.101/32 -j DNAT --to-destination 10.30.0.3',
  '-A neutron-l3-agent-PREROUTING -d 10.50.0.101/32 -j DNAT --to-destination 10.30.0.3',
  '-A neutron-l3-agent-float-snat -s 10.30.0.3/32 -j SNAT --to-source 10.50.0.101',
];

describe('l3Desired: legacy router (golden, spec/l3.md §2)', () => {
  it('renders the nat table of §2.2 exactly, with a floating IP', () => {
    expect(nat(l3Desired(viewOf([...routerLog(), floatingIp()]), cfg))).toBe(GOLDEN_NAT_WITH_FIP);
  });

  it('without a floating IP drops exactly the three floating-IP lines (Fig 7.35)', () => {
    const without = GOLDEN_NAT_WITH_FIP.split('\n').filter((l) => !FIP_LINES.includes(l)).join('\n');
    expect(nat(l3Desired(viewOf(), cfg))).toBe(without);
  });

  it('builds qrouter-<id> with lo up, forwarding on, qr-/qg- veths to taps (no master), addresses and the default route', () => {
    const d = l3Desired(viewOf([...routerLog(), floatingIp()]), cfg);
    expect(d.namespaces).toEqual([{ name: QR }]);
    expect(d.sysctls).toEqual([{ netns: QR, key: 'net.ipv4.ip_forward', value: '1' }]);
    expect(d.links).toEqual([
      { netns: QR, name: 'lo', kind: 'external', up: true },
      { name: 'tap24b55e34-22', kind: 'veth', peer: { name: 'qr-24b55e34-22', netns: QR }, up: true, mtu: 1450 },
      { netns: QR, name: 'qr-24b55e34-22', kind: 'veth', peer: { name: 'tap24b55e34-22' }, up: true, mac: 'fa:16:3e:cc:95:36', addresses: ['10.30.0.1/24'], mtu: 1450 },
      { name: 'tapdf73484e-8b', kind: 'veth', peer: { name: 'qg-df73484e-8b', netns: QR }, up: true, mtu: 1500 },
      { netns: QR, name: 'qg-df73484e-8b', kind: 'veth', peer: { name: 'tapdf73484e-8b' }, up: true, mac: 'fa:16:3e:6d:81:d1', addresses: ['10.50.0.100/24', '10.50.0.101/32'], mtu: 1500 },
    ]);
    expect(d.links.filter((l) => l.name.startsWith('tap')).every((l) => l.master === undefined)).toBe(true);
    expect(d.routes).toEqual([{ netns: QR, dst: '0.0.0.0/0', via: '10.50.0.1', dev: 'qg-df73484e-8b' }]);
    expect(d.processes).toEqual([]);
  });

  it('mangle and filter tables of §2.3 (marks, metadata port guarded)', () => {
    const d = l3Desired(viewOf(), cfg);
    expect(renderIptablesSave(d.iptables.find((t) => t.table === 'mangle')!).split('\n').filter((l) => l.startsWith('-A'))).toEqual([
      '-A PREROUTING -j neutron-l3-agent-PREROUTING',
      '-A neutron-l3-agent-PREROUTING -j neutron-l3-agent-mark',
      '-A neutron-l3-agent-PREROUTING -d 169.254.169.254/32 -i qr-+ -p tcp -m tcp --dport 80 -j MARK --set-xmark 0x1/0xffffffff',
      '-A neutron-l3-agent-mark -i qg-df73484e-8b -j MARK --set-xmark 0x2/0xffffffff',
    ]);
    expect(renderIptablesSave(d.iptables.find((t) => t.table === 'filter')!).split('\n').filter((l) => l.startsWith('-A'))).toEqual([
      '-A INPUT -j neutron-l3-agent-INPUT',
      '-A FORWARD -j neutron-filter-top',
      '-A FORWARD -j neutron-l3-agent-FORWARD',
      '-A neutron-filter-top -j neutron-l3-agent-local',
      '-A neutron-l3-agent-INPUT -m mark --mark 0x1 -j ACCEPT',
      '-A neutron-l3-agent-INPUT -p tcp -m tcp --dport 9697 -j DROP',
      '-A neutron-l3-agent-local -m conntrack --ctstate DNAT -j DROP',
      '-A neutron-l3-agent-local -m conntrack --ctstate SNAT --ctrepldst 10.50.0.100 -j RETURN',
      '-A neutron-l3-agent-local -m conntrack --ctstate SNAT -j DROP',
    ]);
  });

  it('enable_snat=false leaves only the float-snat jump in snat and no POSTROUTING ACCEPT; floating IPs keep working (§2.4)', () => {
    const off = routerUpdated({ external_gateway_info: { network_id: 'x', enable_snat: false, external_fixed_ips: [] } });
    const text = nat(l3Desired(viewOf([...routerLog(), floatingIp(), off]), cfg));
    expect(text.split('\n').filter((l) => l.startsWith('-A neutron-l3-agent-snat') || l.startsWith('-A neutron-l3-agent-POSTROUTING'))).toEqual([
      '-A neutron-l3-agent-snat -j neutron-l3-agent-float-snat',
    ]);
    expect(text).toContain('-A neutron-l3-agent-float-snat -s 10.30.0.3/32 -j SNAT --to-source 10.50.0.101');
  });

  it('re-association rewrites DNAT destination and float-snat source at once; disassociation removes them and the /32 (§2.5)', () => {
    const moved = nat(l3Desired(viewOf([...routerLog(), floatingIp(), fipUpdated({ port_id: 'other', fixed_ip_address: '10.30.0.4' })]), cfg));
    expect(moved).toContain('-A neutron-l3-agent-PREROUTING -d 10.50.0.101/32 -j DNAT --to-destination 10.30.0.4');
    expect(moved).toContain('-A neutron-l3-agent-float-snat -s 10.30.0.4/32 -j SNAT --to-source 10.50.0.101');
    expect(moved).not.toContain('10.30.0.3');
    const gone = l3Desired(viewOf([...routerLog(), floatingIp(), fipUpdated({ port_id: null, fixed_ip_address: null, router_id: null })]), cfg);
    expect(nat(gone)).not.toContain('10.50.0.101');
    expect(gone.links.find((l) => l.name.startsWith('qg-'))!.addresses).toEqual(['10.50.0.100/24']);
  });

  it('extra routes go to the main table; a second interface adds its qr-; metadata off drops the REDIRECT and the INPUT guard', () => {
    const S2 = 'd7bba0a0-7dc5-4b6f-a4f3-1f2c1e9f0a02';
    const P2 = '77777777-2211-4b6a-8a52-000000000002';
    const log = [
      ...routerLog(),
      ev('subnet.created', 'subnet', S2, { subnet: { id: S2, network_id: NET, ip_version: 4, cidr: '10.31.0.0/24', gateway_ip: '10.31.0.1' } }),
      port(P2, NET, 'fa:16:3e:00:00:02', [[S2, '10.31.0.1']], { device_owner: 'network:router_interface', device_id: ROUTER }),
      routerUpdated({ routes: [{ destination: '192.168.50.0/24', nexthop: '10.30.0.254' }] }),
    ];
    const d = l3Desired(viewOf(log), { ...cfg, enableMetadataProxy: false });
    expect(d.links.map((l) => l.name)).toEqual(['lo', 'tap24b55e34-22', 'qr-24b55e34-22', 'tap77777777-22', 'qr-77777777-22', 'tapdf73484e-8b', 'qg-df73484e-8b']);
    expect(d.routes).toContainEqual({ netns: QR, dst: '192.168.50.0/24', via: '10.30.0.254' });
    expect(nat(d)).not.toContain('REDIRECT');
    expect(d.iptables.map((t) => t.table)).toEqual(['nat', 'mangle', 'filter']);
    expect(d.iptables.find((t) => t.table === 'filter')!.chains.map((c) => c.name)).toEqual(['FORWARD', 'neutron-filter-top', 'neutron-l3-agent-FORWARD', 'neutron-l3-agent-local']);
    const noGateway = l3Desired(viewOf([...log.filter((e) => e.aggregate.id !== GW_PORT), routerUpdated({ external_gateway_info: null })]), { ...cfg, enableMetadataProxy: false });
    // the filter table stays (the FORWARD hooks a firewall jumps from), with an empty flow guard
    expect(noGateway.iptables.map((t) => t.table)).toEqual(['nat', 'mangle', 'filter']);
    expect(noGateway.iptables.find((t) => t.table === 'filter')!.chains.find((c) => c.name === 'neutron-l3-agent-local')!.rules).toEqual([]);
  });

  it('carries nothing for routers elsewhere, down, or deleted; the namespace goes behind the agent prefix', () => {
    const empty = { namespaces: [], links: [], iptables: [] };
    expect(l3Desired(viewOf([...routerLog(), scheduled(ROUTER, ['network2'])]), cfg)).toMatchObject(empty);
    expect(l3Desired(viewOf([...routerLog(), routerUpdated({ admin_state_up: false })]), cfg)).toMatchObject(empty);
    expect(l3Desired(viewOf([...routerLog(), ev('router.deleted', 'router', ROUTER, { router_id: ROUTER })]), cfg)).toMatchObject(empty);
    expect(l3Desired(viewOf(), { ...cfg, netnsPrefix: 'tb1-network1-' }).namespaces).toEqual([{ name: `tb1-network1-qrouter-${ROUTER}` }]);
  });

  it('without a gateway: no qg-, no default route, snat only jumps to float-snat, floating IPs wait', () => {
    const log = [...routerLog().filter((e) => e.aggregate.id !== GW_PORT), floatingIp(), routerUpdated({ external_gateway_info: null })];
    const d = l3Desired(viewOf(log), cfg);
    expect(d.links.map((l) => l.name)).toEqual(['lo', 'tap24b55e34-22', 'qr-24b55e34-22']);
    expect(d.routes).toEqual([]);
    expect(nat(d)).not.toContain('10.50.0');
    void [EXT_SUBNET, SUBNET, IF_PORT, FIP];
  });
});

describe('l3Desired: a NATed flow passes only while its mapping stands (issue 9)', () => {
  const forward = (d: ReturnType<typeof l3Desired>) => d.iptables.find((t) => t.table === 'filter')!.chains.find((c) => c.name === 'neutron-l3-agent-local')!.rules;
  const withFip = () => [...routerLog(), floatingIp()];

  it("admits the floating IP's flows to and from its fixed IP and the gateway's SNAT; any other NATed flow is dropped", () => {
    expect(forward(l3Desired(viewOf(withFip()), cfg))).toEqual([
      '-m conntrack --ctstate DNAT --ctorigdst 10.50.0.101 --ctreplsrc 10.30.0.3 -j RETURN',
      '-m conntrack --ctstate DNAT -j DROP',
      '-m conntrack --ctstate SNAT --ctorigsrc 10.30.0.3 --ctrepldst 10.50.0.101 -j RETURN',
      '-m conntrack --ctstate SNAT --ctrepldst 10.50.0.100 -j RETURN',
      '-m conntrack --ctstate SNAT -j DROP',
    ]);
    const off = routerUpdated({ external_gateway_info: { network_id: 'x', enable_snat: false, external_fixed_ips: [] } });
    expect(forward(l3Desired(viewOf([...withFip(), off]), cfg))).not.toContain('-m conntrack --ctstate SNAT --ctrepldst 10.50.0.100 -j RETURN');
  });

  it('a move changes the guard and the NAT in one reconcile, and the linux driver writes the guard first: the old flows are cut before the old DNAT goes', () => {
    const before = l3Desired(viewOf(withFip()), cfg);
    const moved = l3Desired(viewOf([...withFip(), fipUpdated({ port_id: 'other', fixed_ip_address: '10.30.0.4' })]), cfg);
    expect(forward(moved)).toContain('-m conntrack --ctstate DNAT --ctorigdst 10.50.0.101 --ctreplsrc 10.30.0.4 -j RETURN');
    expect(forward(moved).join('\n')).not.toContain('10.30.0.3');
    const stages = planLinux(diff(moved, before))
      .map((stage) => stage.filter((s): s is CommandStep => s.type === 'command' && s.argv.includes('iptables-restore')).map((s) => s.input!.split('\n')[0]))
      .filter((s) => s.length);
    expect(stages).toEqual([['*filter'], ['*nat']]);
    // and disassociating: the guard drops the floating IP's flows in the stage before its DNAT goes
    const gone = l3Desired(viewOf([...withFip(), fipUpdated({ port_id: null, fixed_ip_address: null, router_id: null })]), cfg);
    expect(forward(gone).join('\n')).not.toContain('10.50.0.101');
  });
});

