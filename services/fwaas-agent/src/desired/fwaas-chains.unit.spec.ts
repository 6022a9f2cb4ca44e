import { renderIptablesSave } from '@neutrino/dataplane';
import type { FirewallRule } from '@neutrino/domain';
import { firewallTable, ruleLine, type GroupPlan } from './fwaas-chains';

const FW = 'a4040d8b-6d9b-4904-afb6-6c164f55176e';
const rule = (r: Partial<FirewallRule> = {}): FirewallRule => ({
  id: 'r1', project_id: 'p', tenant_id: 'p', name: '', description: '', shared: false, created_at: '', updated_at: '', revision_number: 0,
  protocol: 'tcp', ip_version: 4, source_ip_address: null, destination_ip_address: null, source_port: null, destination_port: '80', action: 'allow', enabled: true, ...r,
});
/** spec/fwaas.md §5: the firewall's lines of the router namespace's filter table (the rest is the l3-agent's). */
const GOLDEN = `-A neutron-l3-agent-FORWARD -o qr-+ -j neutron-l3-agent-iv4a4040d8b
-A neutron-l3-agent-FORWARD -i qr-+ -j neutron-l3-agent-ov4a4040d8b
-A neutron-l3-agent-FORWARD -o qr-+ -j neutron-l3-agent-fwaas-defau
-A neutron-l3-agent-FORWARD -i qr-+ -j neutron-l3-agent-fwaas-defau
-A neutron-l3-agent-fwaas-defau -j DROP
-A neutron-l3-agent-iv4a4040d8b -m state --state INVALID -j DROP
-A neutron-l3-agent-iv4a4040d8b -m state --state RELATED,ESTABLISHED -j ACCEPT
-A neutron-l3-agent-iv4a4040d8b -p tcp -m tcp --dport 80 -j ACCEPT
-A neutron-l3-agent-ov4a4040d8b -m state --state INVALID -j DROP
-A neutron-l3-agent-ov4a4040d8b -m state --state RELATED,ESTABLISHED -j ACCEPT
-A neutron-l3-agent-ov4a4040d8b -p tcp -m tcp --dport 80 -j ACCEPT`.split('\n');
const lines = (t: ReturnType<typeof firewallTable>) => renderIptablesSave(t!).split('\n').filter((l) => l.startsWith('-A'));
const plan = (g: Partial<GroupPlan> = {}): GroupPlan => ({ id: FW, devices: ['qr-+'], adminUp: true, ingress: [rule()], egress: [rule()], ...g });

describe('the firewall chains (golden, spec/fwaas.md §5)', () => {
  it('one policy both ways on all qr- devices: the golden chains, names and jump order', () => {
    const t = firewallTable('qrouter-x', 4, [plan()]);
    expect(lines(t)).toEqual(GOLDEN);
    expect(renderIptablesSave(t!)).toContain(':neutron-l3-agent-iv4a4040d8b - [0:0]');
    expect(t!.chains[0]).toMatchObject({ name: 'neutron-l3-agent-FORWARD', shared: true });
  });

  it('rule translation: addresses, ports, ranges, any, icmp, deny, reject; disabled rules and the other family skipped', () => {
    expect(ruleLine(rule({ source_ip_address: '10.0.0.0/24', destination_ip_address: '10.1.0.5', source_port: '1000:2000', action: 'deny' })))
      .toBe('-s 10.0.0.0/24 -d 10.1.0.5/32 -p tcp -m tcp --sport 1000:2000 --dport 80 -j DROP');
    expect(ruleLine(rule({ protocol: null, destination_port: null }))).toBe('-j ACCEPT');
    expect(ruleLine(rule({ protocol: 'icmp', destination_port: null, action: 'reject' }))).toBe('-p icmp -j REJECT --reject-with icmp-port-unreachable');
    expect(ruleLine(rule({ protocol: 'udp', destination_port: '53', ip_version: 6, source_ip_address: '2001:db8::1' }))).toBe('-s 2001:db8::1/128 -p udp -m udp --dport 53 -j ACCEPT');
    const t = firewallTable('ns', 4, [plan({ ingress: [rule({ enabled: false }), rule({ ip_version: 6 }), rule({ destination_port: '22', action: 'deny' })], egress: null })]);
    expect(lines(t).filter((l) => l.includes('iv4'))).toEqual([
      '-A neutron-l3-agent-FORWARD -o qr-+ -j neutron-l3-agent-iv4a4040d8b',
      '-A neutron-l3-agent-iv4a4040d8b -m state --state INVALID -j DROP',
      '-A neutron-l3-agent-iv4a4040d8b -m state --state RELATED,ESTABLISHED -j ACCEPT',
      '-A neutron-l3-agent-iv4a4040d8b -p tcp -m tcp --dport 22 -j DROP',
    ]);
    // no egress policy: that direction is not filtered
    expect(lines(t).some((l) => l.includes('-i qr-+'))).toBe(false);
  });

  it('admin-down keeps only the default drop; an empty policy drops all; IPv6 in ip6tables from FORWARD; no ports, no table', () => {
    expect(lines(firewallTable('ns', 4, [plan({ adminUp: false })]))).toEqual([
      '-A neutron-l3-agent-FORWARD -o qr-+ -j neutron-l3-agent-fwaas-defau',
      '-A neutron-l3-agent-FORWARD -i qr-+ -j neutron-l3-agent-fwaas-defau',
      '-A neutron-l3-agent-fwaas-defau -j DROP',
    ]);
    expect(lines(firewallTable('ns', 4, [plan({ ingress: [], egress: [] })])).filter((l) => l.includes('ACCEPT'))).toEqual([
      '-A neutron-l3-agent-iv4a4040d8b -m state --state RELATED,ESTABLISHED -j ACCEPT',
      '-A neutron-l3-agent-ov4a4040d8b -m state --state RELATED,ESTABLISHED -j ACCEPT',
    ]);
    const v6 = firewallTable('ns', 6, [plan({ devices: ['qr-11111111-11'], ingress: [rule({ ip_version: 6 })] })]);
    expect(v6!.family).toBe('ipv6');
    expect(lines(v6)).toContain('-A FORWARD -o qr-11111111-11 -j neutron-l3-agent-iv6a4040d8b');
    expect(firewallTable('ns', 4, [plan({ devices: [] })])).toBeUndefined();
  });
});
