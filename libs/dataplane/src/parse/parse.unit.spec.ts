import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFdbJson, parseIpAddrJson, parseNetnsIds } from './ip-json';
import { parseRoutesJson } from './routes';
import { parseIptablesSave, projectTable } from './iptables-save';
import { parseIpsetSave } from './ipset-save';
import type { Ownership } from '../model/ownership';

const fx = (n: string) => readFileSync(join(__dirname, '__fixtures__', n), 'utf8');
const own: Ownership = { netnsPrefixes: [], linkPrefixes: ['brq', 'tap', 'vxlan-'], chainPrefixes: ['neutron-'], ipsetPrefixes: ['NIPv'] };

describe('parsers of captured real output', () => {
  it('reads links, kinds, masters, addresses and vxlan parameters from ip -d -json addr', () => {
    const links = parseIpAddrJson(fx('ip-addr.json'), 'n1');
    const by = new Map(links.map((l) => [l.name, l]));
    expect([...by.keys()]).toEqual(['lo', 'brqprobe', 'tapprobe', 'vxlan-7']);
    expect(by.get('brqprobe')).toMatchObject({ kind: 'bridge', up: true, master: null, addresses: ['10.30.0.1/24', '2001:db8::1/64', expect.stringMatching(/^fe80::/)] });
    expect(by.get('vxlan-7')).toMatchObject({ kind: 'vxlan', master: 'brqprobe', vxlan: { vni: 7, local: '10.9.0.1', dev: 'tapprobe', dstport: 4789, learning: false, proxy: false } });
    expect(by.get('tapprobe')).toMatchObject({ kind: 'veth', addresses: ['10.9.0.1/24', expect.anything()], peerRef: { ifindex: 2, netnsid: 0 } });
    expect(by.get('lo')).toMatchObject({ kind: 'external', observedKind: '' });
    const peer = parseIpAddrJson(fx('ip-addr-peer.json'), 'n2').find((l) => l.name === 'ns-probe');
    expect(peer).toMatchObject({ kind: 'veth', peerRef: { ifindex: 3, netnsid: 0 } });
    expect(parseNetnsIds(fx('ip-netns-list-peer.json'))).toEqual(new Map([[0, 'nprobe1']]));
  });

  it('reads our routes, not the kernel ones', () => {
    expect(parseRoutesJson(fx('ip-route4.json'), 4)).toEqual([
      { netns: '', family: 4, dst: '10.60.0.0/24', dev: 'brqprobe', table: '100', metric: 5, protocol: 'boot' },
      { netns: '', family: 4, dst: '0.0.0.0/0', via: '10.30.0.254', dev: 'brqprobe', protocol: 'boot' },
      { netns: '', family: 4, dst: '10.50.0.0/16', via: '10.9.0.2', dev: 'tapprobe', protocol: 'static' },
    ]);
    expect(parseRoutesJson(fx('ip-route6.json'), 6)).toEqual([{ netns: '', family: 6, dst: '2001:db8:1::/48', via: '2001:db8::fe', dev: 'brqprobe', metric: 1024, protocol: 'boot' }]);
  });

  it('reads only remote fdb entries', () => {
    const sorted = parseFdbJson(fx('bridge-fdb.json')).sort((a, b) => `${a.mac}${a.dst}`.localeCompare(`${b.mac}${b.dst}`));
    expect(sorted).toEqual([
      { netns: '', dev: 'vxlan-7', mac: '00:00:00:00:00:00', dst: '10.9.0.2' },
      { netns: '', dev: 'vxlan-7', mac: '00:00:00:00:00:00', dst: '10.9.0.3' },
      { netns: '', dev: 'vxlan-7', mac: 'fa:16:3e:11:22:33', dst: '10.9.0.3' },
    ]);
  });

  it('keeps our chains whole and only our rules of foreign chains', () => {
    const [filter, nat] = parseIptablesSave(fx('iptables-save.txt'), 'ipv4').map((t) => projectTable(own, t));
    expect(filter.chains).toEqual([
      { name: 'INPUT', rules: [], owned: false },
      { name: 'FORWARD', rules: ['-j neutron-y'], owned: false },
      { name: 'OUTPUT', rules: [], owned: false },
      { name: 'docker-user', rules: [], owned: false },
      { name: 'neutron-x', rules: ['-m comment --comment single -j DROP', '-m comment --comment "it\\\'s \\"q\\"" -j DROP'], owned: true },
      { name: 'neutron-y', rules: ['-j RETURN', '-p tcp -m tcp --dport 22 -m set --match-set NIPv4abc src -j RETURN', '-s 10.30.0.3/32 -m mac --mac-source fa:16:3e:a4:c3:f9 -j RETURN'], owned: true },
    ]);
    expect(nat.chains.find((c) => c.name === 'POSTROUTING')!.rules).toEqual(['-j neutron-l3-agent-snat']);
    const [f6] = parseIptablesSave(fx('ip6tables-save.txt'), 'ipv6');
    expect(f6.chains.at(-1)).toEqual({ name: 'neutron-linuxbri-i6d7340c8-b', rules: ['-p ipv6-icmp -m icmp6 --icmpv6-type 130 -j RETURN'] });
  });

  it('reads sets with their type, family and members', () => {
    expect(parseIpsetSave(fx('ipset-save.txt'))).toEqual([
      { netns: '', name: 'NIPv4abc', type: 'hash:net', family: 'inet', members: ['10.0.0.1', '10.1.0.0/24'] },
      { netns: '', name: 'NIPv6abc', type: 'hash:net', family: 'inet6', members: ['2001:db8::5', '2001:db8:1::/64'] },
      { netns: '', name: 'other-set', type: 'hash:ip', family: 'inet', members: ['1.2.3.4'] },
    ]);
  });
});
