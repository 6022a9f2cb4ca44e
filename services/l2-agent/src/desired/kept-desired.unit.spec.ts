import { objectsOf, type ObjectKey } from '@neutrino/dataplane';
import type { StoredEvent } from '@neutrino/events';
import type { L2Config } from '../config/l2-config';
import { L2View } from '../view/l2-view';
import { KeptDesired } from './kept-desired';

const NET = '3282acdf-85d1-47ea-b734-f5625cfca027';
const SG = 'aaaa0000-0000-4000-8000-000000000001';
const cfg: L2Config = { host: 'compute1', hostNetns: '', netnsPrefix: '', physicalInterfaceMappings: {}, localIp: '172.18.0.101', tunnelInterface: 'eth1', vxlanPort: 8472, driver: 'memory' };

let seq = 0;
const ev = (type: string, aggregate: string, id: string, data: unknown): StoredEvent => ({
  id: `e${++seq}`, seq, subject: `evt.${aggregate}.${id}`, type, schema: 1, aggregate: { type: aggregate, id }, at: '2026-01-01T00:00:00Z',
  actor: { user_id: null, project_id: 'p', roles: [] }, request_id: null, causation_id: null, data,
});
const portId = (i: number) => `${i}85d5718-e5aa-4b6a-8a52-${String(i).padStart(12, '0')}`;
const port = (i: number, host: string, extra: object = {}) =>
  ev('port.created', 'port', portId(i), { port: { id: portId(i), network_id: NET, mac_address: `fa:16:3e:00:00:${String(i).padStart(2, '0')}`, 'binding:host_id': host, device_owner: 'compute:nova', device_id: '', admin_state_up: true, status: 'DOWN',
    fixed_ips: [{ subnet_id: 's1', ip_address: `10.0.0.${10 + i}` }], security_groups: [SG], port_security_enabled: true, allowed_address_pairs: [], 'binding:vif_type': 'unbound', ...extra } });
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
    // its tap, its six chains and the group's IPv4 set (no IPv6 member yet, so no IPv6 set): the keys the event touched
    expect([...d.touched!].filter((k) => !k.includes(portId(3).slice(0, 10)) && !k.startsWith('ipset:'))).toEqual([]);
    expect(d.touched!.size).toBe(1 + 6 + 1);
    view.apply(update(3, { status: 'ACTIVE' }));
    const idle = kept.next();
    expect([...idle.touched!]).toEqual([]);
    expect(kept.recomputedPorts - ports).toBe(1);
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
