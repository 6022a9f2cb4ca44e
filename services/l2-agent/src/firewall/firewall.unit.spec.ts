import { renderIptablesSave } from '@neutrino/dataplane';
import type { FirewallInput, FirewalledPort, SgRule } from './firewall-model';
import { firewallDesired } from './firewall-desired';

const WEB1: FirewalledPort = {
  id: '6d7340c8-b1af-4cf0-b393-916a32acb18b', mac: 'fa:16:3e:a4:c3:f9', fixedIps: ['10.30.0.3'], allowedPairs: [],
  portSecurity: true, groups: ['web'], dhcpServers: ['10.30.0.2'],
};
const rule = (over: Partial<SgRule>): SgRule => ({
  id: 'x', direction: 'ingress', ethertype: 'IPv4', protocol: null, port_range_min: null, port_range_max: null, remote_ip_prefix: null, remote_group_id: null, ...over,
});
// WEB_SERVERS: TCP 80 (created first, id 74e11bbb…) and 443 (0a7c00ef…) from anywhere, plus the default egress rules.
const WEB_RULES = [
  rule({ id: '74e11bbb-0000', protocol: 'tcp', port_range_min: 80, port_range_max: 80, remote_ip_prefix: '0.0.0.0/0' }),
  rule({ id: '0a7c00ef-0000', protocol: 'tcp', port_range_min: 443, port_range_max: 443, remote_ip_prefix: '0.0.0.0/0' }),
  rule({ id: 'e1', direction: 'egress' }),
  rule({ id: 'e2', direction: 'egress', ethertype: 'IPv6' }),
];
const input = (ports: FirewalledPort[], rules: Record<string, SgRule[]> = { web: WEB_RULES }, members: Record<string, string[]> = {}): FirewallInput => ({
  ports,
  rulesOf: (g) => rules[g] ?? [],
  membersOf: (g, e) => (members[g] ?? []).filter((ip) => ip.includes(':') === (e === 'IPv6')),
});

/** spec/security-groups.md §5, the canonical rule set of one port. */
const GOLDEN = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:neutron-filter-top - [0:0]
:neutron-linuxbri-FORWARD - [0:0]
:neutron-linuxbri-INPUT - [0:0]
:neutron-linuxbri-OUTPUT - [0:0]
:neutron-linuxbri-i6d7340c8-b - [0:0]
:neutron-linuxbri-local - [0:0]
:neutron-linuxbri-o6d7340c8-b - [0:0]
:neutron-linuxbri-s6d7340c8-b - [0:0]
:neutron-linuxbri-sg-chain - [0:0]
:neutron-linuxbri-sg-fallback - [0:0]
-A INPUT -j neutron-linuxbri-INPUT
-A FORWARD -j neutron-filter-top
-A FORWARD -j neutron-linuxbri-FORWARD
-A OUTPUT -j neutron-filter-top
-A OUTPUT -j neutron-linuxbri-OUTPUT
-A neutron-filter-top -j neutron-linuxbri-local
-A neutron-linuxbri-FORWARD -m physdev --physdev-out tap6d7340c8-b1 --physdev-is-bridged -j neutron-linuxbri-sg-chain
-A neutron-linuxbri-FORWARD -m physdev --physdev-in tap6d7340c8-b1 --physdev-is-bridged -j neutron-linuxbri-sg-chain
-A neutron-linuxbri-INPUT -m physdev --physdev-in tap6d7340c8-b1 --physdev-is-bridged -j neutron-linuxbri-o6d7340c8-b
-A neutron-linuxbri-i6d7340c8-b -m state --state INVALID -j DROP
-A neutron-linuxbri-i6d7340c8-b -m state --state RELATED,ESTABLISHED -j RETURN
-A neutron-linuxbri-i6d7340c8-b -s 10.30.0.2/32 -p udp -m udp --sport 67 --dport 68 -j RETURN
-A neutron-linuxbri-i6d7340c8-b -p tcp -m tcp --dport 443 -j RETURN
-A neutron-linuxbri-i6d7340c8-b -p tcp -m tcp --dport 80 -j RETURN
-A neutron-linuxbri-i6d7340c8-b -m comment --comment "Send unmatched traffic to the fallback chain." -j neutron-linuxbri-sg-fallback
-A neutron-linuxbri-o6d7340c8-b -p udp -m udp --sport 68 --dport 67 -m comment --comment "Allow DHCP client traffic." -j RETURN
-A neutron-linuxbri-o6d7340c8-b -j neutron-linuxbri-s6d7340c8-b
-A neutron-linuxbri-o6d7340c8-b -p udp -m udp --sport 67 --dport 68 -m comment --comment "Prevent DHCP Spoofing by VM." -j DROP
-A neutron-linuxbri-o6d7340c8-b -m state --state INVALID -j DROP
-A neutron-linuxbri-o6d7340c8-b -m state --state RELATED,ESTABLISHED -j RETURN
-A neutron-linuxbri-o6d7340c8-b -j RETURN
-A neutron-linuxbri-o6d7340c8-b -m comment --comment "Send unmatched traffic to the fallback chain." -j neutron-linuxbri-sg-fallback
-A neutron-linuxbri-s6d7340c8-b -s 10.30.0.3/32 -m mac --mac-source FA:16:3E:A4:C3:F9 -j RETURN
-A neutron-linuxbri-s6d7340c8-b -m comment --comment "Drop traffic without an IP/MAC allow rule." -j DROP
-A neutron-linuxbri-sg-chain -m physdev --physdev-out tap6d7340c8-b1 --physdev-is-bridged -j neutron-linuxbri-i6d7340c8-b
-A neutron-linuxbri-sg-chain -m physdev --physdev-in tap6d7340c8-b1 --physdev-is-bridged -j neutron-linuxbri-o6d7340c8-b
-A neutron-linuxbri-sg-chain -j ACCEPT
-A neutron-linuxbri-sg-fallback -m comment --comment "Default drop rule for unmatched traffic." -j DROP
COMMIT`;

describe('firewallDesired', () => {
  it('renders exactly the canonical LinuxBridge rule set of the spec for one port', () => {
    const v4 = firewallDesired(input([WEB1])).iptables.find((t) => t.family === 'ipv4')!;
    expect(renderIptablesSave(v4).trim()).toBe(GOLDEN);
  });

  it('uses one ipset per remote group and family, growing with members not rules', () => {
    const ssh = [rule({ id: 'r1', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_group_id: 'ab12cd34-0000-4000-8000-00000000beef' })];
    const members = Array.from({ length: 50 }, (_, i) => `10.30.1.${i + 1}`);
    const state = firewallDesired(input([WEB1], { web: ssh }, { 'ab12cd34-0000-4000-8000-00000000beef': members }));
    const ingress = state.iptables.find((t) => t.family === 'ipv4')!.chains.find((c) => c.name === 'neutron-linuxbri-i6d7340c8-b')!;
    expect(ingress.rules).toContain('-p tcp -m tcp --dport 22 -m set --match-set NIPv4ab12cd34-0000-4000-8000- src -j RETURN');
    expect(state.ipsets).toEqual([{ name: 'NIPv4ab12cd34-0000-4000-8000-', type: 'hash:net', family: 'inet', members: [...members].sort() }]);
    // an empty remote group matches nothing: no rule, no set
    const empty = firewallDesired(input([WEB1], { web: ssh }, {}));
    expect(empty.ipsets).toEqual([]);
    expect(JSON.stringify(empty.iptables)).not.toContain('match-set');
  });

  it('lets allowed address pairs through the spoof chain and lifts everything without port security', () => {
    const withPair = { ...WEB1, allowedPairs: [{ ip_address: '10.30.0.100', mac_address: '' }] };
    const spoof = firewallDesired(input([withPair])).iptables[0].chains.find((c) => c.name === 'neutron-linuxbri-s6d7340c8-b')!;
    expect(spoof.rules.slice(0, 2)).toEqual([
      '-s 10.30.0.3/32 -m mac --mac-source FA:16:3E:A4:C3:F9 -j RETURN',
      '-s 10.30.0.100/32 -m mac --mac-source FA:16:3E:A4:C3:F9 -j RETURN',
    ]);
    const open = firewallDesired(input([{ ...WEB1, portSecurity: false, groups: [] }])).iptables[0];
    expect(open.chains.map((c) => c.name)).not.toContain('neutron-linuxbri-i6d7340c8-b');
    expect(open.chains.find((c) => c.name === 'neutron-linuxbri-FORWARD')!.rules).toEqual([
      '-m physdev --physdev-out tap6d7340c8-b1 --physdev-is-bridged -m comment --comment "Accept all packets when port security is disabled." -j ACCEPT',
      '-m physdev --physdev-in tap6d7340c8-b1 --physdev-is-bridged -m comment --comment "Accept all packets when port security is disabled." -j ACCEPT',
    ]);
  });

  it('translates ICMP, ranges, egress prefixes and protocol numbers', () => {
    const rules = [
      rule({ id: 'a', protocol: 'icmp', port_range_min: 8, port_range_max: 0 }),
      rule({ id: 'b', protocol: 'udp', port_range_min: 1000, port_range_max: 2000 }),
      rule({ id: 'c', direction: 'egress', protocol: '6', port_range_min: 5432, port_range_max: 5432, remote_ip_prefix: '192.168.0.0/16' }),
    ];
    const chains = firewallDesired(input([WEB1], { web: rules })).iptables[0].chains;
    expect(chains.find((c) => c.name === 'neutron-linuxbri-i6d7340c8-b')!.rules).toEqual(
      expect.arrayContaining(['-p icmp -m icmp --icmp-type 8/0 -j RETURN', '-p udp -m multiport --dports 1000:2000 -j RETURN']),
    );
    expect(chains.find((c) => c.name === 'neutron-linuxbri-o6d7340c8-b')!.rules).toContain('-d 192.168.0.0/16 -p tcp -m tcp --dport 5432 -j RETURN');
  });

  it('has nothing to do on a host without ports', () => {
    expect(firewallDesired(input([])).iptables).toEqual([]);
  });
});
