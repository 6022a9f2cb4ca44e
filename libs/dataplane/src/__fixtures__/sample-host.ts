import type { HostState, IptChain, Link } from '../model/types';
import { hostState } from '../model/state';
import type { Ownership } from '../model/ownership';

/** A LinuxBridge-style host with `ports` instance ports on one VXLAN network, plus a DHCP namespace. */
export const OWNERSHIP: Ownership = {
  netnsPrefixes: ['t-qdhcp-'],
  linkPrefixes: ['brq', 'vxlan-', 'ns-', 'tapd'],
  chainPrefixes: ['neutron-linuxbri-'],
  sharedChains: ['neutron-filter-top'],
  ipsetPrefixes: ['NIPv4', 'NIPv6'],
};

export const NET = '34265955-56be-4486-853d-2f0ed5cebb44';
export const SG = '60ca9b2c-dc87-40c7-a5ff-1e2b3c4d5e6f';
export const portId = (i: number): string => `${i.toString(16).padStart(8, '0')}-b1af-4cf0-b393-916a32acb18b`;
export const macOf = (i: number): string => `fa:16:3e:${[16, 8, 0].map((s) => ((i >> s) & 0xff).toString(16).padStart(2, '0')).join(':')}`;
export const ipOf = (i: number): string => `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`;
const P = 'neutron-linuxbri-';

/** The instance taps, as the hypervisor creates them (not ours). */
export function hypervisorTaps(ports: number): HostState {
  const links: Link[] = [{ name: 'eth0', kind: 'external', up: true, addresses: ['172.18.0.100/24'] }];
  for (let i = 1; i <= ports; i++) links.push({ name: `tap${portId(i).slice(0, 11)}`, kind: 'external', up: false });
  return hostState({ links });
}

export function sampleHost(ports: number, opts: { netnsPrefix?: string } = {}): HostState {
  const qdhcp = `${opts.netnsPrefix ?? 't-qdhcp-'}${NET}`;
  const brq = `brq${NET.slice(0, 11)}`;
  const s = hostState({
    namespaces: [{ name: qdhcp }],
    sysctls: [{ key: 'net.ipv4.ip_forward', value: '1' }],
    links: [
      { name: brq, kind: 'bridge', mtu: 1450 },
      { name: 'vxlan-48', kind: 'vxlan', vxlan: { vni: 48, local: '172.18.0.100', dev: 'eth0', dstport: 4789, learning: false }, master: brq, mtu: 1450 },
      { name: 'tapd0000000-01', kind: 'veth', peer: { name: 'ns-d0000000-01', netns: qdhcp }, master: brq },
      { netns: qdhcp, name: 'ns-d0000000-01', kind: 'veth', peer: { name: 'tapd0000000-01' }, mac: 'fa:16:3e:00:00:01', addresses: ['10.0.0.2/16'] },
      { netns: qdhcp, name: 'lo', kind: 'external', up: true },
    ],
    routes: [{ netns: qdhcp, dst: 'default', via: '10.0.0.1' }],
    fdb: [
      { dev: 'vxlan-48', mac: '00:00:00:00:00:00', dst: '172.18.0.101' },
      { dev: 'vxlan-48', mac: '00:00:00:00:00:00', dst: '172.18.0.102' },
    ],
    ipsets: [{ name: `NIPv4${SG.slice(0, 24)}`, type: 'hash:net', family: 'inet', members: [] }],
    processes: [
      {
        id: `dnsmasq-${NET}`,
        netns: qdhcp,
        argv: ['dnsmasq', '--no-hosts', `--interface=ns-d0000000-01`],
        pidFile: `/tmp/dp/${NET}/pid`,
        files: [{ path: `/tmp/dp/${NET}/host`, content: '' }],
        reloadSignal: 'SIGHUP',
        daemonizes: true,
      },
    ],
  });
  const chains: IptChain[] = [
    { name: 'INPUT', rules: [`-j ${P}INPUT`] },
    { name: 'FORWARD', rules: ['-j neutron-filter-top', `-j ${P}FORWARD`] },
    { name: 'OUTPUT', rules: ['-j neutron-filter-top', `-j ${P}OUTPUT`] },
    { name: 'neutron-filter-top', rules: [`-j ${P}local`], shared: true },
    { name: `${P}INPUT`, rules: [] },
    { name: `${P}FORWARD`, rules: [] },
    { name: `${P}OUTPUT`, rules: [] },
    { name: `${P}local`, rules: [] },
    { name: `${P}sg-chain`, rules: [] },
    { name: `${P}sg-fallback`, rules: ['-m comment --comment "Default drop rule for unmatched traffic." -j DROP'] },
  ];
  const get = (n: string) => chains.find((c) => c.name === n)!;
  const hostFdb = s.fdb;
  const set = s.ipsets[0];
  for (let i = 1; i <= ports; i++) {
    const id = portId(i);
    const tap = `tap${id.slice(0, 11)}`;
    const c10 = id.slice(0, 10);
    s.links.push({ name: tap, kind: 'external', master: brq, up: true });
    set.members.push(ipOf(i));
    hostFdb.push({ dev: 'vxlan-48', mac: macOf(i + 100000), dst: '172.18.0.101' });
    get(`${P}FORWARD`).rules.push(
      `-m physdev --physdev-out ${tap} --physdev-is-bridged -j ${P}sg-chain`,
      `-m physdev --physdev-in ${tap} --physdev-is-bridged -j ${P}sg-chain`,
    );
    get(`${P}INPUT`).rules.push(`-m physdev --physdev-in ${tap} --physdev-is-bridged -j ${P}o${c10}`);
    get(`${P}sg-chain`).rules.push(
      `-m physdev --physdev-out ${tap} --physdev-is-bridged -j ${P}i${c10}`,
      `-m physdev --physdev-in ${tap} --physdev-is-bridged -j ${P}o${c10}`,
    );
    chains.push(
      { name: `${P}i${c10}`, rules: ['-m state --state INVALID -j DROP', '-m state --state RELATED,ESTABLISHED -j RETURN', `-p tcp -m tcp --dport 22 -m set --match-set ${set.name} src -j RETURN`, `-j ${P}sg-fallback`] },
      { name: `${P}o${c10}`, rules: ['-p udp -m udp --sport 68 --dport 67 -j RETURN', `-j ${P}s${c10}`, '-j RETURN', `-j ${P}sg-fallback`] },
      { name: `${P}s${c10}`, rules: [`-s ${ipOf(i)}/32 -m mac --mac-source ${macOf(i).toUpperCase()} -j RETURN`, '-j DROP'] },
    );
  }
  get(`${P}sg-chain`).rules.push('-j ACCEPT');
  s.iptables.push({ family: 'ipv4', table: 'filter', chains });
  return s;
}
