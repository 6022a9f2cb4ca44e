import { dnsmasqArgv, dnsmasqProcess } from './process';
import { renderAddnHostsFile, renderHostsFile, renderOptsFile } from './files';
import type { DnsmasqNetwork } from './types';

/** MyUserNetwork of spec/ipam-and-dhcp.md §9 (isolated subnet, DHCP port .50, instance .52). */
const myUserNetwork: DnsmasqNetwork = {
  networkId: '34265955-56be-4486-853d-2f0ed5cebb44',
  netns: 'qdhcp-34265955-56be-4486-853d-2f0ed5cebb44',
  interfaceName: 'ns-971fda0d-ea',
  confDir: '/var/lib/neutron/dhcp/34265955-56be-4486-853d-2f0ed5cebb44',
  domain: 'learningneutron.com',
  subnets: [{ cidr: '192.168.204.0/24', gatewayIp: '192.168.204.1', dnsNameservers: ['8.8.4.4', '8.8.8.8'], metadataNexthop: '192.168.204.50' }],
  hosts: [
    { mac: 'fa:16:3e:9a:6e:1d', ip: '192.168.204.50' },
    { mac: 'FA:16:3E:3A:DB:A9', ip: '192.168.204.52' },
  ],
};

describe('dnsmasq files (golden, spec/ipam-and-dhcp.md §9.1)', () => {
  it('renders the opts file of the seed DHCPACK', () => {
    expect(renderOptsFile(myUserNetwork)).toBe(
      [
        'tag:tag0,option:dns-server,8.8.4.4,8.8.8.8',
        'tag:tag0,option:classless-static-route,169.254.169.254/32,192.168.204.50,0.0.0.0/0,192.168.204.1',
        'tag:tag0,249,169.254.169.254/32,192.168.204.50,0.0.0.0/0,192.168.204.1',
        'tag:tag0,option:router,192.168.204.1',
        '',
      ].join('\n'),
    );
  });

  it('renders host and addn_hosts lines', () => {
    expect(renderHostsFile(myUserNetwork)).toBe(
      'fa:16:3e:9a:6e:1d,host-192-168-204-50.learningneutron.com,192.168.204.50\nfa:16:3e:3a:db:a9,host-192-168-204-52.learningneutron.com,192.168.204.52\n',
    );
    expect(renderAddnHostsFile(myUserNetwork)).toContain('192.168.204.52\thost-192-168-204-52.learningneutron.com host-192-168-204-52\n');
  });

  it('tags a port with extra options and lists them; no domain gives bare names', () => {
    const n: DnsmasqNetwork = { ...myUserNetwork, domain: undefined, hosts: [{ mac: 'fa:16:3e:00:00:01', ip: '10.0.0.5', portId: 'p1', extraOpts: [{ name: 'mtu', value: '1450' }] }] };
    expect(renderHostsFile(n)).toBe('fa:16:3e:00:00:01,set:p1,host-10-0-0-5,10.0.0.5\n');
    expect(renderOptsFile(n).split('\n')).toContain('tag:p1,option:mtu,1450');
  });

  it('lists host routes, on-link sibling subnets and the default route last; a null gateway gives a bare router option', () => {
    const n: DnsmasqNetwork = {
      ...myUserNetwork,
      subnets: [
        { cidr: '10.0.0.0/24', gatewayIp: '10.0.0.1', hostRoutes: [{ destination: '10.9.0.0/16', nexthop: '10.0.0.254' }, { destination: '0.0.0.0/0', nexthop: '10.0.0.99' }] },
        { cidr: '10.0.1.0/24', gatewayIp: null, enableDhcp: true },
      ],
    };
    expect(renderOptsFile(n)).toBe(
      [
        'tag:tag0,option:classless-static-route,10.9.0.0/16,10.0.0.254,10.0.1.0/24,0.0.0.0,0.0.0.0/0,10.0.0.1',
        'tag:tag0,249,10.9.0.0/16,10.0.0.254,10.0.1.0/24,0.0.0.0,0.0.0.0/0,10.0.0.1',
        'tag:tag0,option:router,10.0.0.1',
        'tag:tag1,option:classless-static-route,10.0.0.0/24,0.0.0.0',
        'tag:tag1,249,10.0.0.0/24,0.0.0.0',
        'tag:tag1,option:router',
        '',
      ].join('\n'),
    );
  });
});

describe('dnsmasq command line (spec/ipam-and-dhcp.md §9)', () => {
  it('puts the arguments in the spec order', () => {
    const d = myUserNetwork.confDir;
    expect(dnsmasqArgv(myUserNetwork)).toEqual([
      'dnsmasq', '--no-hosts', '--no-resolv', '--strict-order', '--bind-interfaces',
      '--interface=ns-971fda0d-ea', '--except-interface=lo',
      `--pid-file=${d}/pid`, `--dhcp-hostsfile=${d}/host`, `--addn-hosts=${d}/addn_hosts`, `--dhcp-optsfile=${d}/opts`,
      '--leasefile-ro', '--dhcp-range=set:tag0,192.168.204.0,static,86400s', '--dhcp-lease-max=256', '--domain=learningneutron.com',
    ]);
  });

  it('forces option 26 with the network MTU right after the ranges (spec §9.2)', () => {
    const argv = dnsmasqArgv({ ...myUserNetwork, mtu: 1450 });
    expect(argv.slice(argv.indexOf('--dhcp-range=set:tag0,192.168.204.0,static,86400s') + 1, -1)).toEqual(['--dhcp-option-force=option:mtu,1450', '--dhcp-lease-max=256']);
  });

  it('is a managed process reloaded by SIGHUP', () => {
    const p = dnsmasqProcess({ ...myUserNetwork, leaseSeconds: -1 });
    expect(p).toMatchObject({ id: `dnsmasq-${myUserNetwork.networkId}`, netns: myUserNetwork.netns, reloadSignal: 'SIGHUP', daemonizes: true });
    expect(p.argv).toContain('--dhcp-range=set:tag0,192.168.204.0,static,infinite');
    expect(p.files!.map((f) => f.path.split('/').at(-1))).toEqual(['host', 'addn_hosts', 'opts', 'interface']);
  });
});
