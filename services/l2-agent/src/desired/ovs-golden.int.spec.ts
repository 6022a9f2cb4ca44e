import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OvsDaemons, OvsDriver } from '@neutrino/dataplane';
import type { StoredEvent } from '@neutrino/events';
import type { L2Config } from '../config/l2-config';
import { L2View } from '../view/l2-view';
import { OVS_COOKIE, OVS_OWNER, ovsDesired } from './ovs-desired';

// Golden flow tables (issue 12, done-when 2): the openvswitch agent's desired state for a fixed
// topology, installed into a real OVS (its own daemons in a namespace of its own, netdev datapath),
// then `ovs-ofctl --names --no-stats --rsort dump-flows` of br-int, br-tun and the provider bridge
// br-eth2 — what the switch really holds, without counters — equals the text in
// __fixtures__/ovs-golden/<bridge>.flows. NEUTRINO_UPDATE_GOLDEN=1 rewrites those files.
const isRoot = process.getuid?.() === 0;
const hasOvs = spawnSync('sh', ['-c', 'command -v ovs-vswitchd || test -x /usr/sbin/ovs-vswitchd']).status === 0;
const HOST = `ngold-${process.pid}`;
const GOLDEN = join(__dirname, '__fixtures__', 'ovs-golden');
const sh = (...argv: string[]) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' });

let seq = 0;
const ev = (type: string, aggregate: string, id: string, data: unknown): StoredEvent => ({
  id: `e${++seq}`, seq, subject: `evt.${aggregate}.${id}`, type, schema: 1, aggregate: { type: aggregate, id }, at: '2026-01-01T00:00:00Z',
  actor: { user_id: null, project_id: 'p', roles: [] }, request_id: null, causation_id: null, data,
});
const network = (id: string, type: string, mtu: number, extra: object) =>
  ev('network.created', 'network', id, { network: { id, name: '', mtu, subnets: [], 'provider:network_type': type, 'provider:physical_network': null, 'provider:segmentation_id': null, ...extra } });
const port = (id: string, net: string, host: string, mac: string, owner = 'compute:nova', ips: string[] = []) =>
  ev('port.created', 'port', id, { port: { id, network_id: net, mac_address: mac, 'binding:host_id': host, admin_state_up: true, status: 'DOWN', fixed_ips: ips.map((ip_address) => ({ subnet_id: `s-${net}`, ip_address })), 'binding:vif_type': 'unbound',
    device_owner: owner, device_id: 'vm', port_security_enabled: true, security_groups: [], allowed_address_pairs: [] } });
const agent = (host: string, ip: string) => ev('agent.registered', 'agent', `a-${host}`, { agent: { host, binary: 'neutrino-openvswitch-agent', configurations: { tunneling_ip: ip } } });

/** compute1 with one port on each of a VXLAN (VNI 48), a GRE (key 7), a VLAN (physnet1, 150) and a flat (physnet1) network; compute2 and network1 share the tunnel networks. */
const VXLAN = '11111111-0000-4000-8000-000000000001';
const GRE = '22222222-0000-4000-8000-000000000002';
const VLAN = '33333333-0000-4000-8000-000000000003';
const FLAT = '44444444-0000-4000-8000-000000000004';
const LOG = [
  agent('network1', '172.18.0.100'), agent('compute1', '172.18.0.101'), agent('compute2', '172.18.0.102'),
  network(VXLAN, 'vxlan', 1450, { 'provider:segmentation_id': 48 }),
  network(GRE, 'gre', 1458, { 'provider:segmentation_id': 7 }),
  network(VLAN, 'vlan', 1500, { 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 150 }),
  network(FLAT, 'flat', 1500, { 'provider:physical_network': 'physnet1' }),
  port('a1000000-0000-4000-8000-000000000001', VXLAN, 'compute1', 'fa:16:3e:00:01:01'),
  port('a2000000-0000-4000-8000-000000000002', GRE, 'compute1', 'fa:16:3e:00:01:02'),
  port('a3000000-0000-4000-8000-000000000003', VLAN, 'compute1', 'fa:16:3e:00:01:03'),
  port('a4000000-0000-4000-8000-000000000004', FLAT, 'compute1', 'fa:16:3e:00:01:04'),
  // the remote ports' IPv4 addresses feed br-tun's ARP responder (table 21)
  port('b1000000-0000-4000-8000-000000000001', VXLAN, 'compute2', 'fa:16:3e:00:02:01', 'compute:nova', ['10.0.0.12']),
  port('b2000000-0000-4000-8000-000000000002', GRE, 'compute2', 'fa:16:3e:00:02:02', 'compute:nova', ['10.1.0.12']),
  port('c1000000-0000-4000-8000-000000000001', VXLAN, 'network1', 'fa:16:3e:00:03:01', 'network:dhcp', ['10.0.0.2']),
];
const cfg: L2Config = {
  host: 'compute1', hostNetns: HOST, netnsPrefix: '', physicalInterfaceMappings: {}, bridgeMappings: { physnet1: 'br-eth2' }, localIp: '172.18.0.101', tunnelInterface: 'eth1',
  vxlanPort: 8472, driver: 'linux', mechanism: 'openvswitch', ovsRunDir: '', ovsDatapathType: 'netdev',
};

(isRoot && hasOvs ? describe : describe.skip)('golden flow tables of br-int, br-tun and br-eth2 (real OVS, netdev datapath)', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let daemons: OvsDaemons;

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ngold-');
    sh('ip', 'netns', 'add', HOST);
    daemons = new OvsDaemons({ runDir: join(dir, 'host'), netns: HOST });
    await daemons.start();
  });

  afterAll(async () => {
    await daemons?.stop(); // by the pids in their pid files
    spawnSync('ip', ['netns', 'del', HOST]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the installed flows, counters left out, are the golden tables; a second reconcile changes nothing', async () => {
    const rd = daemons.runDir;
    // the operator's provider bridge (the agent only adds its patch port and flows)
    sh('ip', 'netns', 'exec', HOST, 'ovs-vsctl', `--db=unix:${rd}/db.sock`, '--', 'add-br', 'br-eth2', '--', 'set', 'Bridge', 'br-eth2', 'datapath_type=netdev');
    const view = new L2View('compute1');
    for (const e of LOG) view.apply(e);
    const d = ovsDesired(view, { ...cfg, ovsRunDir: rd });
    const driver = new OvsDriver({ runDir: rd, owner: OVS_OWNER, cookie: OVS_COOKIE });
    expect((await driver.reconcile(d.ovs.bridges, d.ovs.flows)).applied).toBeGreaterThan(0);
    expect((await driver.reconcile(d.ovs.bridges, d.ovs.flows)).applied).toBe(0);
    if (process.env.NEUTRINO_UPDATE_GOLDEN === '1' && !existsSync(GOLDEN)) mkdirSync(GOLDEN, { recursive: true });
    for (const bridge of ['br-int', 'br-tun', 'br-eth2']) {
      const dump = sh('ip', 'netns', 'exec', HOST, 'ovs-ofctl', '--names', '--no-stats', '--rsort', 'dump-flows', `unix:${rd}/${bridge}.mgmt`);
      const file = join(GOLDEN, `${bridge}.flows`);
      if (process.env.NEUTRINO_UPDATE_GOLDEN === '1') writeFileSync(file, dump);
      expect(dump).toBe(readFileSync(file, 'utf8'));
    }
  });
});
