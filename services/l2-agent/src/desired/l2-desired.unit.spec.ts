import { MemoryDriver, hostState, reconcile } from '@neutrino/dataplane';
import type { StoredEvent } from '@neutrino/events';
import type { L2Config } from '../config/l2-config';
import { L2_OWNERSHIP } from '../app/l2-agent';
import { L2View } from '../view/l2-view';
import { l2Desired } from './l2-desired';
import { portStatusReports } from './port-status';

const NET = '3282acdf-85d1-47ea-b734-f5625cfca027';
const FLAT = '55451e10-861e-4d5f-9c9d-111111111111';
const cfg: L2Config = { host: 'compute1', hostNetns: '', netnsPrefix: '', physicalInterfaceMappings: { physnet1: 'eth2' }, bridgeMappings: {}, localIp: '172.18.0.101', tunnelInterface: 'eth1', vxlanPort: 8472, driver: 'memory', mechanism: 'linuxbridge', ovsRunDir: '', ovsDatapathType: 'netdev' };

let seq = 0;
const ev = (type: string, aggregate: string, id: string, data: unknown): StoredEvent => ({
  id: `e${++seq}`, seq, subject: `evt.${aggregate}.${id}`, type, schema: 1, aggregate: { type: aggregate, id }, at: '2026-01-01T00:00:00Z',
  actor: { user_id: null, project_id: 'p', roles: [] }, request_id: null, causation_id: null, data,
});
const network = (id: string, type: string, extra: object) =>
  ev('network.created', 'network', id, { network: { id, name: '', mtu: type === 'vxlan' ? 1450 : 1500, subnets: [], 'provider:network_type': type, 'provider:physical_network': null, 'provider:segmentation_id': null, ...extra } });
const port = (id: string, net: string, host: string, mac: string) =>
  ev('port.created', 'port', id, { port: { id, network_id: net, mac_address: mac, 'binding:host_id': host, admin_state_up: true, status: 'DOWN', fixed_ips: [], 'binding:vif_type': 'unbound' } });
const agent = (host: string, ip: string) =>
  ev('agent.registered', 'agent', `a-${host}`, { agent: { host, binary: 'neutrino-linuxbridge-agent', configurations: { tunneling_ip: ip } } });

const LOG = [
  agent('compute1', '172.18.0.101'),
  agent('compute2', '172.18.0.102'),
  network(NET, 'vxlan', { 'provider:segmentation_id': 48 }),
  network(FLAT, 'flat', { 'provider:physical_network': 'physnet1' }),
  port('d85d5718-e5aa-4b6a-8a52-000000000001', NET, 'compute1', 'fa:16:3e:2e:0f:e9'),
  port('26b6f5af-c5aa-4b6a-8a52-000000000002', NET, 'compute2', 'fa:16:3e:00:00:02'),
  port('6d7340c8-b1aa-4b6a-8a52-000000000003', FLAT, 'compute1', 'fa:16:3e:00:00:03'),
  port('971fda0d-eaaa-4b6a-8a52-000000000004', NET, 'network1', 'fa:16:3e:00:00:04'),
];

const viewOf = (events: StoredEvent[]) => {
  const v = new L2View('compute1');
  for (const e of events) v.apply(e);
  return v;
};

describe('l2Desired (LinuxBridge)', () => {
  it('wires a bridge per network, the vxlan device with l2population entries, the flat NIC and the taps', () => {
    const d = l2Desired(viewOf(LOG), cfg);
    expect(d.links.map((l) => `${l.name}:${l.kind}:${l.master ?? '-'}:${l.mtu ?? '-'}`)).toEqual([
      'brq3282acdf-85:bridge:-:1450',
      'vxlan-48:vxlan:brq3282acdf-85:1450',
      'brq55451e10-86:bridge:-:1500',
      'eth2:external:brq55451e10-86:-',
      'tap6d7340c8-b1:external:brq55451e10-86:1500',
      'tapd85d5718-e5:external:brq3282acdf-85:1450',
    ]);
    expect(d.links[1].vxlan).toMatchObject({ vni: 48, local: '172.18.0.101', dev: 'eth1', learning: false });
    // compute2's port is known; network1's VTEP is not registered, so it gets no entry.
    expect(d.fdb).toEqual([
      { dev: 'vxlan-48', mac: '00:00:00:00:00:00', dst: '172.18.0.102' },
      { dev: 'vxlan-48', mac: 'fa:16:3e:00:00:02', dst: '172.18.0.102' },
    ]);
  });

  it('event by event ends in the same desired state as a replay, in any order of independent events', () => {
    const whole = l2Desired(viewOf(LOG), cfg);
    const shuffled = [LOG[1], LOG[0], LOG[3], LOG[2], LOG[7], LOG[6], LOG[5], LOG[4]];
    expect(l2Desired(viewOf(shuffled), cfg)).toEqual(whole);
  });

  it('is idempotent on the memory driver: a second reconcile applies nothing; removing a port unwires it', async () => {
    const driver = new MemoryDriver(hostState({ links: [{ name: 'eth1', kind: 'external' }, { name: 'eth2', kind: 'external' }, { name: 'tapd85d5718-e5', kind: 'external' }, { name: 'tap6d7340c8-b1', kind: 'external' }] }));
    const view = viewOf(LOG);
    const first = await reconcile(driver, l2Desired(view, cfg), { ownership: L2_OWNERSHIP });
    expect(first.changes.length).toBeGreaterThan(0);
    expect(first.applied.failed).toBe(0);
    expect((await reconcile(driver, l2Desired(view, cfg), { ownership: L2_OWNERSHIP })).changes).toEqual([]);

    const reports = portStatusReports(view, l2Desired(view, cfg), first);
    expect(reports.map((r) => [r.aggregate.id.slice(0, 8), (r.data as any).changes.status])).toEqual([
      ['d85d5718', 'ACTIVE'],
      ['6d7340c8', 'ACTIVE'],
    ]);

    view.apply(ev('port.deleted', 'port', '6d7340c8-b1aa-4b6a-8a52-000000000003', { port_id: '6d7340c8-b1aa-4b6a-8a52-000000000003', network_id: FLAT, fixed_ips: [], mac_address: '' }));
    await reconcile(driver, l2Desired(view, cfg), { ownership: L2_OWNERSHIP });
    const links = (await driver.observe({ ownership: L2_OWNERSHIP })).links.map((l) => l.name);
    expect(links).not.toContain('brq55451e10-86');
    expect(links).toContain('eth2'); // the NIC is not ours: left in place
  });

  it('wires the taps of routers scheduled here even when their ports are bound to the other HA member', () => {
    const routerId = 'bc2a45f6-db3b-4ca4-a5ee-340af36a8293';
    const qr = ev('port.created', 'port', '24b55e34-22aa-4b6a-8a52-000000000005', {
      port: { id: '24b55e34-22aa-4b6a-8a52-000000000005', network_id: NET, mac_address: 'fa:16:3e:00:00:05', 'binding:host_id': 'network2', device_owner: 'network:router_interface', device_id: routerId, admin_state_up: true, status: 'ACTIVE', fixed_ips: [] },
    });
    const view = viewOf([...LOG, qr]);
    expect(l2Desired(view, cfg).links.map((l) => l.name)).not.toContain('tap24b55e34-22');
    view.apply(ev('router.scheduled', 'router', routerId, { router_id: routerId, hosts: ['network2', 'compute1'] }));
    expect(l2Desired(view, cfg).links.find((l) => l.name === 'tap24b55e34-22')).toMatchObject({ master: 'brq3282acdf-85' });
    expect(view.localPorts().map((p) => p.id)).not.toContain(qr.aggregate.id); // its status stays the bound host's to report
  });
});
