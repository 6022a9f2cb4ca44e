import { objectsOf, type ObjectKey } from '@neutrino/dataplane';
import type { StoredEvent } from '@neutrino/events';
import type { L2Config } from '../config/l2-config';
import { L2View } from '../view/l2-view';
import { KeptDesired } from './kept-desired';

const NET = '3282acdf-85d1-47ea-b734-f5625cfca027';
const SG = 'aaaa0000-0000-4000-8000-000000000001';
const cfg: L2Config = { host: 'compute1', hostNetns: '', netnsPrefix: '', physicalInterfaceMappings: {}, bridgeMappings: {}, localIp: '172.18.0.101', tunnelInterface: 'eth1', vxlanPort: 8472, driver: 'memory', mechanism: 'linuxbridge', ovsRunDir: '', ovsDatapathType: 'netdev' };

let seq = 0;
const ev = (type: string, aggregate: string, id: string, data: unknown): StoredEvent => ({
  id: `e${++seq}`, seq, subject: `evt.${aggregate}.${id}`, type, schema: 1, aggregate: { type: aggregate, id }, at: '2026-01-01T00:00:00Z',
  actor: { user_id: null, project_id: 'p', roles: [] }, request_id: null, causation_id: null, data,
});
const portId = (i: number) => `${i}85d5718-e5aa-4b6a-8a52-${String(i).padStart(12, '0')}`;
const port = (i: number, host: string, extra: object = {}) =>
  ev('port.created', 'port', portId(i), { port: { id: portId(i), network_id: NET, mac_address: `fa:16:3e:00:00:${String(i).padStart(2, '0')}`, 'binding:host_id': host, device_owner: 'compute:nova', device_id: '', admin_state_up: true, status: 'DOWN',
    fixed_ips: [{ subnet_id: 's1', ip_address: `10.0.0.${10 + i}` }], security_groups: [SG], port_security_enabled: true, allowed_address_pairs: [], 'binding:vif_type': 'unbound', ...extra } });
const NET2 = '7a2b0c1d-85d1-47ea-b734-000000000002';
const SG2 = 'bbbb0000-0000-4000-8000-000000000002';
const update = (i: number, changes: object) => ev('port.updated', 'port', portId(i), { changes });
const pairs = (i: number, ip: string) => update(i, { allowed_address_pairs: [{ ip_address: ip, mac_address: 'fa:16:3e:aa:bb:cc' }] });

const LOG: StoredEvent[] = [
  ev('agent.registered', 'agent', 'a1', { agent: { host: 'compute1', binary: 'neutrino-linuxbridge-agent', configurations: { tunneling_ip: '172.18.0.101' } } }),
  ev('agent.registered', 'agent', 'a2', { agent: { host: 'compute2', binary: 'neutrino-linuxbridge-agent', configurations: { tunneling_ip: '172.18.0.102' } } }),
  ev('network.created', 'network', NET, { network: { id: NET, name: '', mtu: 1450, subnets: [], 'provider:network_type': 'vxlan', 'provider:physical_network': null, 'provider:segmentation_id': 48 } }),
  ev('security_group.created', 'security_group', SG, { security_group: { id: SG, name: 'g', security_group_rules: [
    { id: 'r1', security_group_id: SG, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: null, remote_group_id: SG },
    { id: 'r2', security_group_id: SG, direction: 'egress', ethertype: 'IPv6', protocol: null, port_range_min: null, port_range_max: null, remote_ip_prefix: null, remote_group_id: SG },
  ] } }),
  ...[1, 2, 3, 4].map((i) => port(i, 'compute1')),
  port(5, 'compute2'),
  port(6, 'compute1', { fixed_ips: [], port_security_enabled: true }),
  pairs(1, '10.9.0.1'),
  update(2, { admin_state_up: false }),
  pairs(1, '10.9.0.2'),
  pairs(5, '10.9.0.5'), // another host's port: a member of the group (broad)
  pairs(6, 'fd00::6'), // the group's first IPv6 member: other ports' chains change (falls back to the whole state)
  update(3, { status: 'ACTIVE' }), // nothing the dataplane uses
  pairs(6, '10.9.0.6'), // its last IPv6 member goes
  ev('port.deleted', 'port', portId(4), { port_id: portId(4), network_id: NET, fixed_ips: [], mac_address: '' }),
  pairs(2, '10.9.0.22'),
];

/** An object map as diffing sees it (a chain's object compares by its chain). */
const comparable = (m: ReadonlyMap<ObjectKey, unknown>) =>
  Object.fromEntries([...m].map(([k, v]) => [k, k.startsWith('chain:') ? (v as { chain: unknown }).chain : v]));

describe('KeptDesired (the l2-agent desired state by object)', () => {
  it('fed event by event equals the whole desired state computed from a replay, after every event', () => {
    const view = new L2View('compute1');
    const kept = new KeptDesired(view, cfg);
    for (const [i, e] of LOG.entries()) {
      view.apply(e);
      const d = kept.next();
      const replay = new L2View('compute1');
      for (const x of LOG.slice(0, i + 1)) replay.apply(x);
      expect(comparable(d.objects)).toEqual(comparable(objectsOf(new KeptDesired(replay, cfg).whole())));
      expect(comparable(objectsOf(d.state()))).toEqual(comparable(d.objects));
    }
  });

  it("recomputes only the changed port's objects for a port's own change, and nothing for an irrelevant event", () => {
    const view = new L2View('compute1');
    const kept = new KeptDesired(view, cfg);
    for (const e of LOG.slice(0, 9)) view.apply(e);
    kept.next();
    const whole = kept.wholeRecomputes;
    const ports = kept.recomputedPorts;
    view.apply(pairs(3, '10.9.0.33'));
    const d = kept.next();
    expect(kept.wholeRecomputes).toBe(whole);
    expect(kept.recomputedPorts - ports).toBe(1);
    // its tap, its tap's traffic control (none: no QoS policy), its six chains and the group's IPv4 set (no IPv6 member yet, so no IPv6 set): the keys the event touched
    expect([...d.touched!].filter((k) => !k.includes(portId(3).slice(0, 10)) && !k.startsWith('ipset:'))).toEqual([]);
    expect(d.touched!.size).toBe(1 + 1 + 6 + 1);
    view.apply(update(3, { status: 'ACTIVE' }));
    const idle = kept.next();
    expect([...idle.touched!]).toEqual([]);
    expect(kept.recomputedPorts - ports).toBe(1);
  });
  it("recomputes a network's objects and its ports' for a network event, the group's ports for a rule, and the remote group's users when its set is first used", () => {
    const view = new L2View('compute1');
    const kept = new KeptDesired(view, cfg);
    const extra = [
      ev('network.created', 'network', NET2, { network: { id: NET2, name: '', mtu: 1450, subnets: [], 'provider:network_type': 'vxlan', 'provider:physical_network': null, 'provider:segmentation_id': 49 } }),
      ev('security_group.created', 'security_group', SG2, { security_group: { id: SG2, name: 'g2', security_group_rules: [] } }),
      port(7, 'compute1', { network_id: NET2, security_groups: [SG2], fixed_ips: [{ subnet_id: 's2', ip_address: '10.2.0.7' }] }),
      port(8, 'compute1', { network_id: NET2, security_groups: [SG2], fixed_ips: [{ subnet_id: 's2', ip_address: '10.2.0.8' }] }),
      port(9, 'compute2', { network_id: NET2, security_groups: [SG2], fixed_ips: [{ subnet_id: 's2', ip_address: '10.2.0.9' }] }),
    ];
    for (const e of [...LOG.slice(0, 10), ...extra]) view.apply(e);
    kept.next();
    const counts = () => ({ whole: kept.wholeRecomputes, ports: kept.recomputedPorts, networks: kept.recomputedNetworks });
    const step = (e: StoredEvent) => {
      const before = counts();
      expect(view.apply(e)).toBe(true);
      const d = kept.next();
      const after = counts();
      return { touched: [...d.touched!], whole: after.whole - before.whole, ports: after.ports - before.ports, networks: after.networks - before.networks, objects: comparable(d.objects) };
    };
    const onlyOf = (keys: string[], ids: string[]) => keys.filter((k) => !ids.some((id) => k.includes(id)));
    const p7 = portId(7).slice(0, 10);
    const p8 = portId(8).slice(0, 10);

    // the MTU of NET2: its bridge and vxlan device, and the taps of its two ports here (their chains are recomputed, unchanged)
    const mtu = ev('network.updated', 'network', NET2, { changes: { mtu: 1400 } });
    extra.push(mtu);
    const m = step(mtu);
    expect({ whole: m.whole, ports: m.ports, networks: m.networks }).toEqual({ whole: 0, ports: 2, networks: 1 });
    expect(onlyOf(m.touched, [p7, p8, NET2.slice(0, 11), 'vxlan-49', 'fdb:'])).toEqual([]);
    expect(m.touched).toContain(`link:/${'brq' + NET2.slice(0, 11)}`);
    expect(m.objects).toEqual(comparable(objectsOf(new KeptDesired(view, cfg).whole())));

    // a rule of SG2: the chains of its two ports here, nothing of NET's ports, no network
    const rule = ev('security_group.rule_added', 'security_group', SG2, { rule: { id: 'r3', security_group_id: SG2, direction: 'ingress', ethertype: 'IPv4', protocol: 'udp', port_range_min: 53, port_range_max: 53, remote_ip_prefix: null, remote_group_id: null } });
    extra.push(rule);
    const r = step(rule);
    expect({ whole: r.whole, ports: r.ports, networks: r.networks }).toEqual({ whole: 0, ports: 2, networks: 0 });
    expect(onlyOf(r.touched, [p7, p8])).toEqual([]);
    expect(r.objects[`chain:/ipv4/filter/neutron-linuxbri-i${p7}`]).toMatchObject({ rules: expect.arrayContaining(['-p udp -m udp --dport 53 -j RETURN']) });

    // a rule of SG that matches SG2 as remote group: SG's ports here get the rule and SG2's set (with its members of any host) appears
    const remote = ev('security_group.rule_added', 'security_group', SG, { rule: { id: 'r4', security_group_id: SG, direction: 'ingress', ethertype: 'IPv4', protocol: null, port_range_min: null, port_range_max: null, remote_ip_prefix: null, remote_group_id: SG2 } });
    extra.push(remote);
    const g = step(remote);
    expect({ whole: g.whole, ports: g.ports, networks: g.networks }).toEqual({ whole: 0, ports: 5, networks: 0 });
    expect(g.objects['ipset:/NIPv4bbbb0000-0000-4000-8000-']).toEqual({ name: 'NIPv4bbbb0000-0000-4000-8000-', type: 'hash:net', family: 'inet', members: ['10.2.0.7', '10.2.0.8', '10.2.0.9'] });
    expect(g.touched.filter((k) => k.includes(p7) || k.includes(p8))).toEqual([]);
    expect(g.objects).toEqual(comparable(objectsOf(new KeptDesired(view, cfg).whole())));
  });
  it('fed independent events (each about another port) in any order, ends equal to the whole state of the log in its order', () => {
    const base = LOG.slice(0, 10); // agents, network, group, ports 1-6
    const tail = [pairs(1, '10.9.0.1'), update(2, { admin_state_up: false }), pairs(5, '10.9.0.5'), update(3, { status: 'ACTIVE' }), pairs(6, 'fd00::6'), pairs(4, '10.9.0.44')];
    const replay = new L2View('compute1');
    for (const e of [...base, ...tail]) replay.apply(e);
    const expected = comparable(objectsOf(new KeptDesired(replay, cfg).whole()));
    const orders = [...tail.keys()].map((r) => [...tail.slice(r), ...tail.slice(0, r)]);
    orders.push([...tail].reverse(), [tail[4], tail[0], tail[5], tail[2], tail[1], tail[3]]);
    for (const order of orders) {
      const view = new L2View('compute1');
      const kept = new KeptDesired(view, cfg);
      for (const e of base) view.apply(e);
      kept.next();
      let d = kept.next();
      for (const e of order) {
        view.apply(e);
        d = kept.next();
      }
      expect(comparable(d.objects)).toEqual(expected);
    }
  });
});
