import { DHCP_PORT, HOST, NET, SUBNET, VM1, dhcpPort, ev, myUserNetworkLog, network, port, subnet } from '../__fixtures__/dhcp-log';
import { DhcpView } from '../view/dhcp-view';
import { dhcpDeviceId, uuid5 } from './device-id';
import { dhcpDesired, type DhcpDesiredSettings } from './dhcp-desired';

const cfg: DhcpDesiredSettings = { netnsPrefix: '', confRoot: '/var/lib/neutrino/dhcp', leaseSeconds: 86400, domain: 'openstacklocal', enableIsolatedMetadata: true, dnsmasqBin: 'dnsmasq' };
const viewOf = (events = myUserNetworkLog()) => {
  const v = new DhcpView(HOST);
  for (const e of events) v.apply(e);
  return v;
};
const file = (d: ReturnType<typeof dhcpDesired>, name: string) => d.processes[0].files!.find((f) => f.path.endsWith(`/${name}`))!.content;
const QDHCP = `qdhcp-${NET}`;
const DIR = `/var/lib/neutrino/dhcp/${NET}`;

describe('DHCP port identity (spec/ipam-and-dhcp.md §8.3)', () => {
  it('device_id is dhcp<uuid5(host)>-<network>, uuid5 in the DNS name space as Python computes it', () => {
    expect(uuid5('network1')).toBe('79ac16b7-042f-5762-9c87-2b0b99a9dacb'); // python3: uuid.uuid5(uuid.NAMESPACE_DNS, 'network1')
    expect(dhcpDeviceId('network1', NET)).toBe(`dhcp79ac16b7-042f-5762-9c87-2b0b99a9dacb-${NET}`);
  });
});

describe('dhcpDesired (golden, spec/ipam-and-dhcp.md §8–§10, l2.md §4/§8)', () => {
  it('builds qdhcp-<net> with lo up, the tap/ns- veth pair and one dnsmasq', () => {
    const d = dhcpDesired(viewOf(), cfg);
    expect(d.namespaces).toEqual([{ name: QDHCP }]);
    expect(d.links).toEqual([
      { netns: QDHCP, name: 'lo', kind: 'external', up: true },
      { name: 'tap971fda0d-ea', kind: 'veth', peer: { name: 'ns-971fda0d-ea', netns: QDHCP }, up: true, mtu: 1450 },
      { netns: QDHCP, name: 'ns-971fda0d-ea', kind: 'veth', peer: { name: 'tap971fda0d-ea' }, up: true, mtu: 1450, mac: 'fa:16:3e:9a:6e:1d', addresses: ['192.168.204.50/24', '169.254.169.254/16'] },
    ]);
    expect(d.links[1].master).toBeUndefined(); // the l2-agent plugs the tap into brq<net>
    expect(d.processes).toHaveLength(1);
    expect(d.processes[0]).toMatchObject({ id: `dnsmasq-${NET}`, netns: QDHCP, pidFile: `${DIR}/pid`, reloadSignal: 'SIGHUP', daemonizes: true });
  });

  it('runs dnsmasq with the spec §9 command line', () => {
    expect(dhcpDesired(viewOf(), { ...cfg, dnsmasqBin: '/usr/sbin/dnsmasq' }).processes[0].argv).toEqual([
      '/usr/sbin/dnsmasq', '--no-hosts', '--no-resolv', '--strict-order', '--bind-interfaces',
      '--interface=ns-971fda0d-ea', '--except-interface=lo',
      `--pid-file=${DIR}/pid`, `--dhcp-hostsfile=${DIR}/host`, `--addn-hosts=${DIR}/addn_hosts`, `--dhcp-optsfile=${DIR}/opts`,
      '--leasefile-ro', '--dhcp-range=set:tag0,192.168.204.0,static,86400s', '--dhcp-option-force=option:mtu,1450',
      '--dhcp-lease-max=256', '--domain=openstacklocal',
    ]);
  });

  it('writes a static lease per known MAC and the seed DHCPACK options (metadata route: no router on the subnet)', () => {
    const d = dhcpDesired(viewOf(), cfg);
    expect(file(d, 'host')).toBe(
      [
        'fa:16:3e:9a:6e:1d,host-192-168-204-50.openstacklocal,192.168.204.50',
        'fa:16:3e:11:22:33,host-192-168-204-51.openstacklocal,192.168.204.51',
        'fa:16:3e:3a:db:a9,host-192-168-204-52.openstacklocal,192.168.204.52',
        '',
      ].join('\n'),
    );
    expect(file(d, 'opts')).toBe(
      [
        'tag:tag0,option:dns-server,8.8.4.4,8.8.8.8',
        'tag:tag0,option:classless-static-route,169.254.169.254/32,192.168.204.50,0.0.0.0/0,192.168.204.1',
        'tag:tag0,249,169.254.169.254/32,192.168.204.50,0.0.0.0/0,192.168.204.1',
        'tag:tag0,option:router,192.168.204.1',
        '',
      ].join('\n'),
    );
    expect(file(d, 'addn_hosts')).toContain('192.168.204.52\thost-192-168-204-52.openstacklocal host-192-168-204-52\n');
  });

  it('gives no metadata route or address when a Neutron router owns the gateway (§10.1, §10.6)', () => {
    const router = port('24b55e34-22aa-4b6a-8a52-000000000001', 'fa:16:3e:00:00:01', [[SUBNET, '192.168.204.1']], { device_owner: 'network:router_interface' });
    const d = dhcpDesired(viewOf([...myUserNetworkLog(), router]), cfg);
    expect(d.links[2].addresses).toEqual(['192.168.204.50/24']);
    expect(file(d, 'opts')).toBe('tag:tag0,option:dns-server,8.8.4.4,8.8.8.8\ntag:tag0,option:router,192.168.204.1\n');
  });

  it('no gateway: metadata route and a bare router option; isolated metadata off: neither', () => {
    const noGw = [network(), subnet(SUBNET, { gateway_ip: null, dns_nameservers: [] }), dhcpPort()];
    expect(file(dhcpDesired(viewOf(noGw), cfg), 'opts')).toBe(
      'tag:tag0,option:classless-static-route,169.254.169.254/32,192.168.204.50\ntag:tag0,249,169.254.169.254/32,192.168.204.50\ntag:tag0,option:router\n',
    );
    const off = dhcpDesired(viewOf(), { ...cfg, enableIsolatedMetadata: false });
    expect(off.links[2].addresses).toEqual(['192.168.204.50/24']);
    expect(file(off, 'opts')).not.toContain('169.254.169.254');
  });

  it('isolated subnet: the metadata proxy on port 80 in qdhcp-<net> with X-Neutron-Network-ID (spec/metadata.md §4); none once a router serves it, or when isolated metadata is off', () => {
    const md = { ...cfg, metadataProxy: { socketPath: '/var/lib/neutrino/metadata/network1/metadata_proxy', stateDir: '/var/lib/neutrino/metadata/network1', node: '/usr/bin/node', script: '/opt/neutrino/proxy-main.js' } };
    const d = dhcpDesired(viewOf(), md);
    expect(d.processes.map((p) => p.id)).toEqual([`dnsmasq-${NET}`, `metadata-proxy-${NET}`]);
    expect(d.processes[1]).toEqual({
      id: `metadata-proxy-${NET}`,
      netns: QDHCP,
      argv: ['/usr/bin/node', '/opt/neutrino/proxy-main.js', '--metadata_proxy_socket=/var/lib/neutrino/metadata/network1/metadata_proxy', `--network_id=${NET}`, '--metadata_port=80', '--bind_address=0.0.0.0'],
      pidFile: `/var/lib/neutrino/metadata/network1/metadata-proxy-${NET}.pid`,
    });
    const router = port('24b55e34-22aa-4b6a-8a52-000000000001', 'fa:16:3e:00:00:01', [[SUBNET, '192.168.204.1']], { device_owner: 'network:router_interface' });
    expect(dhcpDesired(viewOf([...myUserNetworkLog(), router]), md).processes.map((p) => p.id)).toEqual([`dnsmasq-${NET}`]);
    expect(dhcpDesired(viewOf(), { ...md, enableIsolatedMetadata: false }).processes).toHaveLength(1);
    expect(dhcpDesired(viewOf(), cfg).processes).toHaveLength(1); // no proxy settings: no proxy
  });

  it('host routes and a second (DHCP) subnet: on-link route, one tag and range each, an address each', () => {
    const S2 = 'd7bba0a0-7dc5-4b6f-a4f3-1f2c1e9f0a02';
    const log = [
      network(),
      subnet(SUBNET, { host_routes: [{ destination: '10.0.0.0/24', nexthop: '192.168.204.254' }] }),
      subnet(S2, { cidr: '10.30.0.0/24', gateway_ip: '10.30.0.1', dns_nameservers: [] }),
      port(DHCP_PORT, 'fa:16:3e:9a:6e:1d', [[SUBNET, '192.168.204.50'], [S2, '10.30.0.2']], { device_owner: 'network:dhcp', device_id: dhcpDeviceId(HOST, NET), 'binding:host_id': HOST }),
    ];
    const d = dhcpDesired(viewOf(log), { ...cfg, enableIsolatedMetadata: false });
    expect(d.links[2].addresses).toEqual(['192.168.204.50/24', '10.30.0.2/24']);
    expect(d.processes[0].argv.filter((a) => a.startsWith('--dhcp-range') || a.startsWith('--dhcp-lease-max'))).toEqual([
      '--dhcp-range=set:tag0,192.168.204.0,static,86400s', '--dhcp-range=set:tag1,10.30.0.0,static,86400s', '--dhcp-lease-max=512',
    ]);
    expect(file(d, 'opts').split('\n')).toEqual([
      'tag:tag0,option:dns-server,8.8.4.4,8.8.8.8',
      'tag:tag0,option:classless-static-route,10.0.0.0/24,192.168.204.254,10.30.0.0/24,0.0.0.0,0.0.0.0/0,192.168.204.1',
      'tag:tag0,249,10.0.0.0/24,192.168.204.254,10.30.0.0/24,0.0.0.0,0.0.0.0/0,192.168.204.1',
      'tag:tag0,option:router,192.168.204.1',
      'tag:tag1,option:classless-static-route,192.168.204.0/24,0.0.0.0,0.0.0.0/0,10.30.0.1',
      'tag:tag1,249,192.168.204.0/24,0.0.0.0,0.0.0.0/0,10.30.0.1',
      'tag:tag1,option:router,10.30.0.1',
      '',
    ]);
  });

  it('serves nothing without its DHCP port, with the network down, or without DHCP subnets; another host\'s port is not ours', () => {
    const empty = { namespaces: [], links: [], processes: [] };
    expect(dhcpDesired(viewOf([network(), subnet()]), cfg)).toMatchObject(empty);
    expect(dhcpDesired(viewOf([network(), subnet(), dhcpPort(DHCP_PORT, '192.168.204.50', NET, 'network2')]), cfg)).toMatchObject(empty);
    expect(dhcpDesired(viewOf([...myUserNetworkLog(), ev('network.updated', 'network', NET, { changes: { admin_state_up: false } })]), cfg)).toMatchObject(empty);
    expect(dhcpDesired(viewOf([...myUserNetworkLog(), ev('subnet.updated', 'subnet', SUBNET, { changes: { enable_dhcp: false } })]), cfg)).toMatchObject(empty);
  });

  it('puts the namespace behind the agent prefix and honours lease and domain settings', () => {
    const d = dhcpDesired(viewOf(), { ...cfg, netnsPrefix: 'nt1a2b3-network1-', leaseSeconds: -1, domain: '' });
    expect(d.namespaces).toEqual([{ name: `nt1a2b3-network1-qdhcp-${NET}` }]);
    expect(d.processes[0].argv).toContain('--dhcp-range=set:tag0,192.168.204.0,static,infinite');
    expect(d.processes[0].argv.some((a) => a.startsWith('--domain'))).toBe(false);
    expect(file(d, 'host').split('\n')[0]).toBe('fa:16:3e:9a:6e:1d,host-192-168-204-50,192.168.204.50');
  });

  it('tags a port with extra_dhcp_opts', () => {
    const log = [...myUserNetworkLog(), ev('port.updated', 'port', VM1, { changes: { extra_dhcp_opts: [{ opt_name: 'bootfile-name', opt_value: 'pxelinux.0', ip_version: 4 }] } })];
    const d = dhcpDesired(viewOf(log), cfg);
    expect(file(d, 'host')).toContain(`fa:16:3e:11:22:33,set:${VM1},host-192-168-204-51.openstacklocal,192.168.204.51\n`);
    expect(file(d, 'opts')).toContain(`tag:${VM1},option:bootfile-name,pxelinux.0\n`);
  });
});
