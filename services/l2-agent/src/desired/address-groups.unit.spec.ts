import { objectsOf, type ObjectKey } from '@neutrino/dataplane';
import type { StoredEvent } from '@neutrino/events';
import type { L2Config } from '../config/l2-config';
import { firewallDesired } from '../firewall/firewall-desired';
import { firewallInput } from '../firewall/firewall-input';
import { L2View } from '../view/l2-view';
import { KeptDesired } from './kept-desired';
import { hybridFirewall } from './ovs-desired';

const NET = '3282acdf-85d1-47ea-b734-f5625cfca027';
const SG = 'aaaa0000-0000-4000-8000-000000000001';
const AG = 'e704b26c-b296-405c-becb-358596dc9dc4';
const cfg: L2Config = { host: 'compute1', hostNetns: '', netnsPrefix: '', physicalInterfaceMappings: {}, bridgeMappings: {}, localIp: '172.18.0.101', tunnelInterface: 'eth1', vxlanPort: 8472, driver: 'memory', mechanism: 'linuxbridge', ovsRunDir: '', ovsDatapathType: 'netdev' };

let seq = 0;
const ev = (type: string, aggregate: string, id: string, data: unknown): StoredEvent => ({
  id: `e${++seq}`, seq, subject: `evt.${aggregate}.${id}`, type, schema: 1, aggregate: { type: aggregate, id }, at: '2026-01-01T00:00:00Z',
  actor: { user_id: null, project_id: 'p', roles: [] }, request_id: null, causation_id: null, data,
});
const portId = (i: number) => `${i}85d5718-e5aa-4b6a-8a52-${String(i).padStart(12, '0')}`;
const port = (i: number, host: string) =>
  ev('port.created', 'port', portId(i), { port: { id: portId(i), network_id: NET, mac_address: `fa:16:3e:00:00:0${i}`, 'binding:host_id': host, device_owner: 'compute:nova', device_id: '', admin_state_up: true, status: 'DOWN',
    fixed_ips: [{ subnet_id: 's1', ip_address: `10.0.0.${10 + i}` }], security_groups: [SG], port_security_enabled: true, allowed_address_pairs: [], 'binding:vif_type': 'unbound' } });
const rule = (id: string, ethertype: 'IPv4' | 'IPv6', protocol: string | null, remote_address_group_id: string) =>
  ev('security_group.rule_added', 'security_group', SG, { rule: { id, security_group_id: SG, direction: 'ingress', ethertype, protocol, port_range_min: null, port_range_max: null, remote_ip_prefix: null, remote_group_id: null, remote_address_group_id } });
const group = (addresses: string[]) => ev('address_group.created', 'address_group', AG, { address_group: { id: AG, name: 'clients', description: '', project_id: 'p', tenant_id: 'p', addresses, shared: false, created_at: 'x', updated_at: 'x', revision_number: 0 } });
const added = (addresses: string[]) => ev('address_group.addresses_added', 'address_group', AG, { address_group_id: AG, addresses });
const removed = (addresses: string[]) => ev('address_group.addresses_removed', 'address_group', AG, { address_group_id: AG, addresses });

const START: StoredEvent[] = [
  ev('agent.registered', 'agent', 'a1', { agent: { host: 'compute1', binary: 'neutrino-linuxbridge-agent', configurations: { tunneling_ip: '172.18.0.101' } } }),
  ev('network.created', 'network', NET, { network: { id: NET, name: '', mtu: 1450, subnets: [], 'provider:network_type': 'vxlan', 'provider:physical_network': null, 'provider:segmentation_id': 48 } }),
  ev('security_group.created', 'security_group', SG, { security_group: { id: SG, name: 'g', security_group_rules: [] } }),
  port(1, 'compute1'),
  port(2, 'compute1'),
];
const LOG: StoredEvent[] = [
  ...START,
  group([]),
  rule('r1', 'IPv4', 'icmp', AG), // named while empty: the rule is there, its set empty
  added(['10.0.0.12/32', '10.7.0.0/24']),
  rule('r2', 'IPv6', 'tcp', AG),
  added(['2001:db8::/64', '0.0.0.0/0']),
  removed(['10.0.0.12/32']),
  ev('address_group.updated', 'address_group', AG, { address_group_id: AG, changes: { name: 'renamed' } }),
  ev('security_group.rule_removed', 'security_group', SG, { rule_id: 'r2', security_group_id: SG }),
  removed(['2001:db8::/64', '0.0.0.0/0', '10.7.0.0/24']),
  ev('security_group.rule_removed', 'security_group', SG, { rule_id: 'r1', security_group_id: SG }),
  ev('address_group.deleted', 'address_group', AG, { address_group_id: AG }),
];

const comparable = (m: ReadonlyMap<ObjectKey, unknown>) =>
  Object.fromEntries([...m].map(([k, v]) => [k, k.startsWith('chain:') ? (v as { chain: unknown }).chain : v]));
const SET4 = `NIPv4${AG}`.slice(0, 29);
const SET6 = `NIPv6${AG}`.slice(0, 29);
const viewOf = (events: StoredEvent[]) => {
  const v = new L2View('compute1');
  for (const e of events) v.apply(e);
  return v;
};

describe('address groups in the l2-agent firewall', () => {
  it('renders a rule naming an address group as a set match, and one hash:net set per (group, ethertype) with its addresses', () => {
    const fw = firewallDesired(firewallInput(viewOf(LOG.slice(0, START.length + 5))));
    const v4 = fw.iptables.find((t) => t.family === 'ipv4' && t.table === 'filter')!;
    const ingress = v4.chains.find((c) => c.name === `neutron-linuxbri-i${portId(1).slice(0, 10)}`)!;
    expect(ingress.rules).toContain(`-p icmp -m set --match-set ${SET4} src -j RETURN`);
    const v6 = fw.iptables.find((t) => t.family === 'ipv6' && t.table === 'filter')!;
    expect(v6.chains.find((c) => c.name === `neutron-linuxbri-i${portId(1).slice(0, 10)}`)!.rules).toContain(`-p tcp -m set --match-set ${SET6} src -j RETURN`);
    // a hash:net set cannot hold a /0: "everything" is its two halves
    expect(fw.ipsets).toEqual([
      { name: SET4, type: 'hash:net', family: 'inet', members: ['0.0.0.0/1', '10.0.0.12/32', '10.7.0.0/24', '128.0.0.0/1'] },
      { name: SET6, type: 'hash:net', family: 'inet6', members: ['2001:db8::/64'] },
    ]);
    // the openvswitch mechanism's hybrid firewall shares it, under its own chain prefix
    const ovs = hybridFirewall(viewOf(LOG.slice(0, START.length + 5)));
    expect(ovs.ipsets).toEqual(fw.ipsets);
    expect(ovs.iptables.find((t) => t.family === 'ipv4')!.chains.find((c) => c.name === `neutron-openvswi-i${portId(1).slice(0, 10)}`)!.rules).toContain(`-p icmp -m set --match-set ${SET4} src -j RETURN`);
  });

  it('a rule naming an address group the agent does not know matches nothing (no rule, no set)', () => {
    const fw = firewallDesired(firewallInput(viewOf([...START, rule('r1', 'IPv4', 'icmp', AG)])));
    expect(fw.ipsets).toEqual([]);
    expect(JSON.stringify(fw.iptables)).not.toContain('match-set');
  });

  it('fed event by event equals the whole desired state computed from a replay, after every event', () => {
    const view = new L2View('compute1');
    const kept = new KeptDesired(view, cfg);
    for (const [i, e] of LOG.entries()) {
      view.apply(e);
      const d = kept.next();
      expect(comparable(d.objects)).toEqual(comparable(objectsOf(new KeptDesired(viewOf(LOG.slice(0, i + 1)), cfg).whole())));
    }
  });

  it('adding or removing addresses changes only the set (no chain, no port recomputed); a rename changes nothing', () => {
    const view = viewOf(LOG.slice(0, START.length + 2));
    const kept = new KeptDesired(view, cfg);
    kept.next();
    const ports = kept.recomputedPorts;
    const before = new Map(kept.next().objects);
    for (const e of [added(['10.0.0.12/32', '10.7.0.0/24']), removed(['10.7.0.0/24'])]) {
      expect(view.apply(e)).toBe(true);
      const d = kept.next();
      // the IPv4 set's members changed; the IPv6 one (no rule names it yet) is not there at all
      expect([...d.touched!]).toEqual([`ipset:/${SET4}`]);
      expect([...d.touched!].some((k) => k.startsWith('chain:'))).toBe(false);
      expect(kept.recomputedPorts).toBe(ports);
      for (const [k, v] of d.objects) if (k.startsWith('chain:')) expect(v).toEqual(before.get(k));
    }
    expect((kept.next().objects.get(`ipset:/${SET4}`) as { members: string[] }).members).toEqual(['10.0.0.12/32']);
    expect(view.apply(ev('address_group.updated', 'address_group', AG, { address_group_id: AG, changes: { name: 'x' } }))).toBe(false);
    expect(kept.next().touched!.size).toBe(0);
  });
});
