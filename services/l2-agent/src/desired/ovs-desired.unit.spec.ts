import { MemoryDriver, hostState, reconcile, renderFlow } from '@neutrino/dataplane';
import type { StoredEvent } from '@neutrino/events';
import type { L2Config } from '../config/l2-config';
import { OVS_OWNERSHIP } from '../app/l2-agent';
import { L2View } from '../view/l2-view';
import { OVS_COOKIE, namespaceEnd, ovsDesired, ovsWireable } from './ovs-desired';
import { VIF_BINDINGS, portStatusReports } from './port-status';

const NET = '3282acdf-85d1-47ea-b734-f5625cfca027';
const NET2 = '77777777-85d1-47ea-b734-f5625cfca027';
const FLAT = '55451e10-861e-4d5f-9c9d-111111111111';
const cfg: L2Config = {
  host: 'compute1', hostNetns: '', netnsPrefix: '', physicalInterfaceMappings: {}, bridgeMappings: {}, localIp: '172.18.0.101', tunnelInterface: 'eth1',
  vxlanPort: 8472, driver: 'memory', mechanism: 'openvswitch', ovsRunDir: '/run/x', ovsDatapathType: 'netdev',
};

let seq = 0;
const ev = (type: string, aggregate: string, id: string, data: unknown): StoredEvent => ({
  id: `e${++seq}`, seq, subject: `evt.${aggregate}.${id}`, type, schema: 1, aggregate: { type: aggregate, id }, at: '2026-01-01T00:00:00Z',
  actor: { user_id: null, project_id: 'p', roles: [] }, request_id: null, causation_id: null, data,
});
const network = (id: string, type: string, extra: object) =>
  ev('network.created', 'network', id, { network: { id, name: '', mtu: type === 'vxlan' ? 1450 : 1500, subnets: [], 'provider:network_type': type, 'provider:physical_network': null, 'provider:segmentation_id': null, ...extra } });
const port = (id: string, net: string, host: string, mac: string) =>
  ev('port.created', 'port', id, { port: { id, network_id: net, mac_address: mac, 'binding:host_id': host, admin_state_up: true, status: 'DOWN', fixed_ips: [], 'binding:vif_type': 'unbound',
    device_owner: 'compute:nova', device_id: 'vm', port_security_enabled: true, security_groups: ['5ec00000-0000-4000-8000-000000000001'], allowed_address_pairs: [] } });
const portDeleted = (id: string) => ev('port.deleted', 'port', id, { port_id: id });
const agent = (host: string, ip: string, binary: string) => ev('agent.registered', 'agent', `a-${host}`, { agent: { host, binary, configurations: { tunneling_ip: ip } } });

const P1 = 'd85d5718-e5aa-4b6a-8a52-000000000001';
const P2 = '26b6f5af-c5aa-4b6a-8a52-000000000002';
const P5 = '5555f5af-c5aa-4b6a-8a52-000000000005';
const LOG = [
  agent('compute1', '172.18.0.101', 'neutrino-openvswitch-agent'),
  agent('compute2', '172.18.0.102', 'neutrino-openvswitch-agent'),
  agent('network1', '172.18.0.103', 'neutrino-linuxbridge-agent'),
  network(NET, 'vxlan', { 'provider:segmentation_id': 48 }),
  network(NET2, 'vxlan', { 'provider:segmentation_id': 49 }),
  network(FLAT, 'flat', { 'provider:physical_network': 'physnet1' }),
  port(P1, NET, 'compute1', 'fa:16:3e:2e:0f:e9'),
  port(P2, NET, 'compute2', 'fa:16:3e:00:00:02'),
  port('6d7340c8-b1aa-4b6a-8a52-000000000003', FLAT, 'compute1', 'fa:16:3e:00:00:03'),
  port('971fda0d-eaaa-4b6a-8a52-000000000004', NET, 'network1', 'fa:16:3e:00:00:04'),
  port(P5, NET2, 'compute1', 'fa:16:3e:00:00:05'),
];
const viewOf = (events: StoredEvent[]) => {
  const v = new L2View('compute1');
  for (const e of events) v.apply(e);
  return v;
};

describe('ovsDesired (openvswitch mechanism, hybrid plug, VXLAN)', () => {
  it('plugs each bound port qbr/qvb/qvo with the tap in qbr; qvo is an access port of its network\'s local VLAN', () => {
    const d = ovsDesired(viewOf(LOG), cfg);
    expect(d.kernel.links.map((l) => `${l.name}:${l.kind}:${l.master ?? '-'}:${l.peer?.name ?? '-'}:${l.mtu}`)).toEqual([
      'qbr5555f5af-c5:bridge:-:-:1450', 'qvb5555f5af-c5:veth:qbr5555f5af-c5:qvo5555f5af-c5:1450', 'qvo5555f5af-c5:veth:-:qvb5555f5af-c5:1450', 'tap5555f5af-c5:external:qbr5555f5af-c5:-:1450',
      'qbrd85d5718-e5:bridge:-:-:1450', 'qvbd85d5718-e5:veth:qbrd85d5718-e5:qvod85d5718-e5:1450', 'qvod85d5718-e5:veth:-:qvbd85d5718-e5:1450', 'tapd85d5718-e5:external:qbrd85d5718-e5:-:1450',
    ]);
    const [brInt, brTun] = d.ovs.bridges;
    expect(brInt).toMatchObject({ name: 'br-int', datapathType: 'netdev', failMode: 'secure' });
    expect(brInt.ports).toEqual([
      { name: 'patch-tun', type: 'patch', options: { peer: 'patch-int' } },
      { name: 'qvo5555f5af-c5', tag: 3, externalIds: { 'iface-id': P5, 'attached-mac': 'fa:16:3e:00:00:05' } },
      { name: 'qvod85d5718-e5', tag: 1, externalIds: { 'iface-id': P1, 'attached-mac': 'fa:16:3e:2e:0f:e9' } },
    ]);
    // one tunnel per remote host with a port of a local network, whichever its mechanism; VXLAN on the Linux port
    expect(brTun.ports).toEqual([
      { name: 'patch-int', type: 'patch', options: { peer: 'patch-tun' } },
      { name: 'vxlan-ac120066', type: 'vxlan', options: { df_default: 'true', in_key: 'flow', out_key: 'flow', local_ip: '172.18.0.101', remote_ip: '172.18.0.102', dst_port: '8472' } },
      { name: 'vxlan-ac120067', type: 'vxlan', options: { df_default: 'true', in_key: 'flow', out_key: 'flow', local_ip: '172.18.0.101', remote_ip: '172.18.0.103', dst_port: '8472' } },
    ]);
  });

  it('security groups stay on the qbr side: the LinuxBridge firewall on the taps (physdev), under the neutron-openvswi- chains', () => {
    const d = ovsDesired(viewOf(LOG), cfg).kernel;
    const filter = d.iptables.find((t) => t.family === 'ipv4' && t.table === 'filter')!;
    expect(filter.chains.map((c) => c.name).filter((n) => n.startsWith('neutron-')).every((n) => n === 'neutron-filter-top' || n.startsWith('neutron-openvswi-'))).toBe(true);
    const forward = filter.chains.find((c) => c.name === 'neutron-openvswi-FORWARD')!.rules;
    expect(forward).toContain('-m physdev --physdev-out tapd85d5718-e5 --physdev-is-bridged -j neutron-openvswi-sg-chain');
    expect(filter.chains.find((c) => c.name === 'neutron-filter-top')!.rules).toEqual(['-j neutron-openvswi-local']);
    expect(filter.chains.some((c) => c.name === 'neutron-openvswi-id85d5718-e')).toBe(true);
    expect(JSON.stringify(d.iptables)).not.toContain('neutron-linuxbri-');
  });

  it('br-tun: VNI ↔ local VLAN, the remote MACs by tunnel, floods only to the hosts of the network', () => {
    const tun = ovsDesired(viewOf(LOG), cfg).ovs.flows['br-tun'].map(renderFlow).map((l) => l.replace(`cookie=${OVS_COOKIE},`, ''));
    expect(tun.filter((l) => /^table=(0|4|20|22),/.test(l))).toEqual([
      'table=0,priority=1,in_port=patch-int actions=resubmit(,2)',
      'table=0,priority=1,in_port=vxlan-ac120066 actions=resubmit(,4)',
      'table=0,priority=1,in_port=vxlan-ac120067 actions=resubmit(,4)',
      'table=0,priority=0 actions=drop',
      'table=4,priority=1,tun_id=0x30 actions=mod_vlan_vid:1,resubmit(,10)',
      'table=4,priority=1,tun_id=0x31 actions=mod_vlan_vid:3,resubmit(,10)',
      'table=4,priority=0 actions=drop',
      'table=20,priority=2,dl_vlan=1,dl_dst=fa:16:3e:00:00:02 actions=strip_vlan,set_tunnel:0x30,output:vxlan-ac120066',
      'table=20,priority=2,dl_vlan=1,dl_dst=fa:16:3e:00:00:04 actions=strip_vlan,set_tunnel:0x30,output:vxlan-ac120067',
      'table=20,priority=0 actions=resubmit(,22)',
      'table=22,priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x30,output:vxlan-ac120066,output:vxlan-ac120067',
      'table=22,priority=0 actions=drop',
    ]);
    expect(ovsDesired(viewOf(LOG), cfg).ovs.flows['br-int'].map(renderFlow)).toEqual([`cookie=${OVS_COOKIE},table=0,priority=1 actions=NORMAL`, `cookie=${OVS_COOKIE},table=23,priority=0 actions=drop`]);
  });

  it('local VLANs: lowest free one when a network gets its first port here, freed with its last, the same after a replay of the log', () => {
    const log = [...LOG, portDeleted(P1), port('88888888-c5aa-4b6a-8a52-000000000008', FLAT, 'compute2', 'fa:16:3e:00:00:08'), port('99999999-c5aa-4b6a-8a52-000000000009', NET, 'compute1', 'fa:16:3e:00:00:09')];
    const v = viewOf(log);
    // NET (1), FLAT (2), NET2 (3) in the order their first port here came; NET lost its only port here (1 freed) and came back: 1 again
    expect(Object.fromEntries(v.localVlans)).toEqual({ [NET]: 1, [FLAT]: 2, [NET2]: 3 });
    const moreLog = [...log, portDeleted(P5), portDeleted('99999999-c5aa-4b6a-8a52-000000000009'), port('aaaaaaaa-c5aa-4b6a-8a52-00000000000a', NET2, 'compute1', 'fa:16:3e:00:00:0a')];
    expect(Object.fromEntries(viewOf(moreLog).localVlans)).toEqual({ [NET2]: 1, [FLAT]: 2 });
    expect(ovsDesired(viewOf(moreLog), cfg)).toEqual(ovsDesired(viewOf(moreLog), cfg));
  });

  it('ports wired here report binding:vif_type ovs with the hybrid plug details; a second reconcile of the kernel half changes nothing', async () => {
    const v = viewOf(LOG);
    const d = ovsDesired(v, cfg).kernel;
    // the hypervisor's taps are there
    const driver = new MemoryDriver(hostState({ links: [P1, P5].map((id) => ({ name: `tap${id.slice(0, 11)}`, kind: 'external' as const })) }));
    const first = await reconcile(driver, d, { ownership: OVS_OWNERSHIP });
    expect(first.changes.length).toBeGreaterThan(0);
    const reports = portStatusReports(v, d, first, VIF_BINDINGS.openvswitch);
    expect(reports.map((r) => r.data)).toEqual([
      { changes: { status: 'ACTIVE', 'binding:vif_type': 'ovs', 'binding:vif_details': { ovs_hybrid_plug: true, port_filter: true } } },
      { changes: { status: 'ACTIVE', 'binding:vif_type': 'ovs', 'binding:vif_details': { ovs_hybrid_plug: true, port_filter: true } } },
    ]);
    expect((await reconcile(driver, d, { ownership: OVS_OWNERSHIP })).changes).toEqual([]);
  });

  it('flat and VLAN networks through the mapped provider bridge: patch pair, local VLAN ↔ wire VLAN (or untagged) on both ends; unmapped physnets refused', () => {
    const VLAN = '66666666-861e-4d5f-9c9d-222222222222';
    const log = [...LOG, network(VLAN, 'vlan', { 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 150 }), port('77777777-c5aa-4b6a-8a52-000000000007', VLAN, 'compute1', 'fa:16:3e:00:00:07')];
    const mapped = { ...cfg, bridgeMappings: { physnet1: 'br-eth2' } };
    const d = ovsDesired(viewOf(log), mapped);
    const [brInt, , brEth2] = d.ovs.bridges;
    expect(brInt.ports.filter((p) => p.type === 'patch')).toEqual([
      { name: 'patch-tun', type: 'patch', options: { peer: 'patch-int' } },
      { name: 'int-br-eth2', type: 'patch', options: { peer: 'phy-br-eth2' } },
    ]);
    expect(brInt.ports.filter((p) => p.name.startsWith('qvo')).map((p) => `${p.name}:${p.tag}`)).toEqual(['qvo5555f5af-c5:3', 'qvo6d7340c8-b1:2', 'qvo77777777-c5:4', 'qvod85d5718-e5:1']);
    expect(brEth2).toEqual({ name: 'br-eth2', external: true, datapathType: 'netdev', ports: [{ name: 'phy-br-eth2', type: 'patch', options: { peer: 'int-br-eth2' } }] });
    const strip = (b: string) => d.ovs.flows[b].map(renderFlow).map((l) => l.replace(`cookie=${OVS_COOKIE},`, ''));
    expect(strip('br-eth2')).toEqual([
      'table=0,priority=4,in_port=phy-br-eth2,dl_vlan=2 actions=strip_vlan,NORMAL',
      'table=0,priority=4,in_port=phy-br-eth2,dl_vlan=4 actions=mod_vlan_vid:150,NORMAL',
      'table=0,priority=2,in_port=phy-br-eth2 actions=drop',
      'table=0,priority=1 actions=NORMAL',
    ]);
    expect(strip('br-int')).toEqual([
      'table=0,priority=3,in_port=int-br-eth2,vlan_tci=0x0000 actions=mod_vlan_vid:2,NORMAL',
      'table=0,priority=3,in_port=int-br-eth2,dl_vlan=150 actions=mod_vlan_vid:4,NORMAL',
      'table=0,priority=2,in_port=int-br-eth2 actions=drop',
      'table=0,priority=1 actions=NORMAL',
      'table=23,priority=0 actions=drop',
    ]);
    // without the mapping neither network is wired, and their ports are refused
    const v = viewOf(log);
    const plain = ovsDesired(v, cfg);
    expect(plain.ovs.bridges.map((b) => b.name)).toEqual(['br-int', 'br-tun']);
    expect(plain.kernel.links.some((l) => l.name === 'qvo77777777-c5')).toBe(false);
    const reports = portStatusReports(v, plain.kernel, { changes: [], unresolved: [], applied: { applied: 0, errors: [] } } as never, VIF_BINDINGS.openvswitch, (n) => ovsWireable(n, cfg));
    expect(reports.filter((r) => (r.data as { changes: Record<string, unknown> }).changes['binding:vif_type'] === 'binding_failed').map((r) => r.aggregate.id).sort()).toEqual(['6d7340c8-b1aa-4b6a-8a52-000000000003', '77777777-c5aa-4b6a-8a52-000000000007']);
  });

  it('GRE networks: a gre-<hex ip> port per remote host beside the VXLAN ones, table 3 GRE key ↔ local VLAN; ports another host refused get no tunnel', () => {
    const GRE = '44444444-861e-4d5f-9c9d-333333333333';
    const log = [
      ...LOG,
      network(GRE, 'gre', { mtu: 1458, 'provider:segmentation_id': 7 }),
      port('44440001-c5aa-4b6a-8a52-00000000000b', GRE, 'compute1', 'fa:16:3e:00:00:0b'),
      port('44440002-c5aa-4b6a-8a52-00000000000c', GRE, 'compute2', 'fa:16:3e:00:00:0c'),
      // network1 is LinuxBridge: it refused its port (binding_failed), so no tunnel goes there for GRE
      { ...port('44440003-c5aa-4b6a-8a52-00000000000d', GRE, 'network1', 'fa:16:3e:00:00:0d') },
      ev('port.updated', 'port', '44440003-c5aa-4b6a-8a52-00000000000d', { port_id: '44440003-c5aa-4b6a-8a52-00000000000d', changes: { status: 'DOWN', 'binding:vif_type': 'binding_failed', 'binding:vif_details': {} } }),
    ];
    const v = viewOf(log);
    expect(ovsWireable(v.networks.get(GRE)!, cfg)).toBe(true);
    expect(ovsWireable(v.networks.get(GRE)!, { ...cfg, localIp: '' })).toBe(false);
    const d = ovsDesired(v, cfg);
    const brTun = d.ovs.bridges[1];
    expect(brTun.ports.map((p) => p.name)).toEqual(['patch-int', 'gre-ac120066', 'vxlan-ac120066', 'vxlan-ac120067']);
    expect(brTun.ports[1]).toEqual({ name: 'gre-ac120066', type: 'gre', options: { df_default: 'true', in_key: 'flow', out_key: 'flow', local_ip: '172.18.0.101', remote_ip: '172.18.0.102' } });
    const lv = v.localVlans.get(GRE)!;
    expect(d.kernel.links.find((l) => l.name === 'qbr44440001-c5')).toMatchObject({ kind: 'bridge', mtu: 1458 });
    const tun = d.ovs.flows['br-tun'].map(renderFlow).map((l) => l.replace(`cookie=${OVS_COOKIE},`, ''));
    expect(tun).toContain('table=0,priority=1,in_port=gre-ac120066 actions=resubmit(,3)');
    expect(tun.filter((l) => l.startsWith('table=3,'))).toEqual([`table=3,priority=1,tun_id=0x7 actions=mod_vlan_vid:${lv},resubmit(,10)`, 'table=3,priority=0 actions=drop']);
    expect(tun).toContain(`table=20,priority=2,dl_vlan=${lv},dl_dst=fa:16:3e:00:00:0c actions=strip_vlan,set_tunnel:0x7,output:gre-ac120066`);
    expect(tun).toContain(`table=22,priority=1,dl_vlan=${lv} actions=strip_vlan,set_tunnel:0x7,output:gre-ac120066`);
    expect(tun.some((l) => l.includes('fa:16:3e:00:00:0d'))).toBe(false);
  });

  it('DHCP and router ports: the tap itself is an access port of br-int (no qbr, no chains); their namespace ends and the qvbs send with finished checksums', () => {
    const DHCP = 'dd000000-0000-4000-8000-00000000000d';
    const QR = 'ee000000-0000-4000-8000-00000000000e';
    const ROUTER = 'ffff0000-0000-4000-8000-0000000000ff';
    const owned = (id: string, owner: string, device: string, mac: string) => {
      const e = port(id, NET, 'compute1', mac);
      Object.assign((e.data as { port: Record<string, unknown> }).port, { device_owner: owner, device_id: device, security_groups: [] });
      return e;
    };
    const v = viewOf([...LOG, owned(DHCP, 'network:dhcp', 'dhcp-x', 'fa:16:3e:00:00:0d'), owned(QR, 'network:router_interface', ROUTER, 'fa:16:3e:00:00:0e')]);
    const d = ovsDesired(v, { ...cfg, netnsPrefix: 'nt1-compute1-' });
    const brInt = d.ovs.bridges[0];
    expect(brInt.ports.filter((p) => p.name.startsWith('tap'))).toEqual([
      { name: 'tapdd000000-00', tag: 1, externalIds: { 'iface-id': DHCP, 'attached-mac': 'fa:16:3e:00:00:0d' } },
      { name: 'tapee000000-00', tag: 1, externalIds: { 'iface-id': QR, 'attached-mac': 'fa:16:3e:00:00:0e' } },
    ]);
    expect(d.kernel.links.filter((l) => l.name.includes('dd000000') || l.name.includes('ee000000'))).toEqual([
      { name: 'tapdd000000-00', kind: 'external', up: true, mtu: 1450 },
      { name: 'tapee000000-00', kind: 'external', up: true, mtu: 1450 },
    ]);
    const chains = d.kernel.iptables.flatMap((t) => t.chains.flatMap((c) => c.rules)).join('\n');
    expect(chains).not.toMatch(/dd000000|ee000000/);
    expect(d.finishedChecksums).toEqual([
      { netns: '', name: 'qvb5555f5af-c5' },
      { netns: '', name: 'qvbd85d5718-e5' },
      { netns: `nt1-compute1-qdhcp-${NET}`, name: 'ns-dd000000-00' },
      { netns: `nt1-compute1-qrouter-${ROUTER}`, name: 'qr-ee000000-00' },
    ]);
  });

  it('a load balancer VIP port (v2 and v1) ends in its qlbaas- namespace as ns-…, like a DHCP port; an instance port has no namespace end', () => {
    const port = (device_owner: string, device_id: string) => ({ id: '0123456789abcdef', network_id: 'n1', device_owner, device_id }) as never;
    expect(namespaceEnd(port('neutron:LOADBALANCERV2', 'lb-1'), 'x-')).toEqual({ netns: 'x-qlbaas-lb-1', name: 'ns-0123456789a' });
    expect(namespaceEnd(port('neutron:LOADBALANCER', 'lb-2'), '')).toEqual({ netns: 'qlbaas-lb-2', name: 'ns-0123456789a' });
    expect(namespaceEnd(port('compute:nova', 'vm-1'), '')).toBeNull();
  });
});
