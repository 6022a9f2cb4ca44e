import { parseFlow, renderFlow, type OfFlow } from './flows';
import { integrationBridgeFlows, providerBridgeFlows, tunnelBridgeFlows, type LocalVlanNetwork } from './tables';

const C = '0x6e657574';
/** The spec's lines (spec/l2.md §5.4), each with our cookie. */
const golden = (text: string): OfFlow[] =>
  text
    .trim()
    .split('\n')
    .map((l) => parseFlow(`cookie=${C},${l.trim().replace(/^table=(\d+), /, 'table=$1,')}`));
const sortKey = (f: OfFlow) => `${String(f.table).padStart(3, '0')}|${String(100000 - f.priority).padStart(6, '0')}|${f.match}`;
const sorted = (fs: OfFlow[]) => [...fs].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));

// compute01 of spec/l2.md §5.4: VLAN 30 → local 1, VLAN 33 → local 2, flat → local 3
const PHYSNET: LocalVlanNetwork[] = [
  { localVlan: 3, networkType: 'flat' },
  { localVlan: 1, networkType: 'vlan', segmentationId: 30 },
  { localVlan: 2, networkType: 'vlan', segmentationId: 33 },
];

describe('spec/l2.md §5.4 flow tables (golden)', () => {
  it('provider bridge br-eth2 (in_port=4 = phy-br-eth2) is the spec table', () => {
    const want = golden(`
      priority=4,in_port=4,dl_vlan=3 actions=strip_vlan,NORMAL
      priority=4,in_port=4,dl_vlan=1 actions=mod_vlan_vid:30,NORMAL
      priority=4,in_port=4,dl_vlan=2 actions=mod_vlan_vid:33,NORMAL
      priority=2,in_port=4 actions=drop
      priority=1 actions=NORMAL`);
    expect(sorted(providerBridgeFlows(C, '4', PHYSNET))).toEqual(sorted(want));
  });

  it('integration bridge br-int (in_port=6 = int-br-eth2) is the spec table', () => {
    const want = golden(`
      priority=3,in_port=6,dl_vlan=30 actions=mod_vlan_vid:1,NORMAL
      priority=3,in_port=6,dl_vlan=33 actions=mod_vlan_vid:2,NORMAL
      priority=3,in_port=6,vlan_tci=0x0000 actions=mod_vlan_vid:3,NORMAL
      priority=2,in_port=6 actions=drop
      priority=1 actions=NORMAL
      table=23, priority=0 actions=drop`);
    expect(sorted(integrationBridgeFlows(C, [{ intPatch: '6', networks: PHYSNET }]))).toEqual(sorted(want));
  });

  it('local networks get no flows; a tunnel-only br-int is NORMAL plus the canary table', () => {
    expect(providerBridgeFlows(C, 'phy-br-eth2', [{ localVlan: 5, networkType: 'local' }]).map(renderFlow)).toEqual([
      `cookie=${C},table=0,priority=2,in_port=phy-br-eth2 actions=drop`,
      `cookie=${C},table=0,priority=1 actions=NORMAL`,
    ]);
    expect(integrationBridgeFlows(C, []).map(renderFlow)).toEqual([`cookie=${C},table=0,priority=1 actions=NORMAL`, `cookie=${C},table=23,priority=0 actions=drop`]);
  });

  it('two flat networks on one provider bridge are refused; a VLAN network needs its segmentation id', () => {
    expect(() => integrationBridgeFlows(C, [{ intPatch: '6', networks: [{ localVlan: 1, networkType: 'flat' }, { localVlan: 2, networkType: 'flat' }] }])).toThrow(/two flat/);
    expect(() => providerBridgeFlows(C, '4', [{ localVlan: 1, networkType: 'vlan' }])).toThrow(/segmentation id/);
  });

  it('br-tun: two VXLAN networks, two remote VTEPs, L2-population and ARP responder entries (Kilo tables 0/2/4/10/20/21/22)', () => {
    const flows = tunnelBridgeFlows({
      cookie: C,
      patchInt: 'patch-int',
      tunnelPorts: [
        { name: 'vxlan-0afefeca', type: 'vxlan' },
        { name: 'vxlan-0afefec8', type: 'vxlan' },
      ],
      networks: [
        { localVlan: 2, networkType: 'vxlan', segmentationId: 1002, floodPorts: ['vxlan-0afefec8'] },
        { localVlan: 1, networkType: 'vxlan', segmentationId: 1001, floodPorts: ['vxlan-0afefec8', 'vxlan-0afefeca'] },
      ],
      unicast: [
        { localVlan: 1, mac: 'FA:16:3E:00:00:01', port: 'vxlan-0afefec8' },
        { localVlan: 2, mac: 'fa:16:3e:00:00:02', port: 'vxlan-0afefec8' },
      ],
      arp: [{ localVlan: 1, ip: '10.0.0.5', mac: 'fa:16:3e:00:00:01' }],
    });
    const want = golden(`
      table=0,priority=1,in_port=patch-int actions=resubmit(,2)
      table=0,priority=1,in_port=vxlan-0afefec8 actions=resubmit(,4)
      table=0,priority=1,in_port=vxlan-0afefeca actions=resubmit(,4)
      table=0,priority=0 actions=drop
      table=2,priority=1,arp,dl_dst=ff:ff:ff:ff:ff:ff actions=resubmit(,21)
      table=2,priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)
      table=2,priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,22)
      table=3,priority=0 actions=drop
      table=4,priority=1,tun_id=0x3e9 actions=mod_vlan_vid:1,resubmit(,10)
      table=4,priority=1,tun_id=0x3ea actions=mod_vlan_vid:2,resubmit(,10)
      table=4,priority=0 actions=drop
      table=10,priority=1 actions=learn(table=20,hard_timeout=300,priority=1,cookie=${C},NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:patch-int
      table=20,priority=2,dl_vlan=1,dl_dst=fa:16:3e:00:00:01 actions=strip_vlan,set_tunnel:0x3e9,output:vxlan-0afefec8
      table=20,priority=2,dl_vlan=2,dl_dst=fa:16:3e:00:00:02 actions=strip_vlan,set_tunnel:0x3ea,output:vxlan-0afefec8
      table=20,priority=0 actions=resubmit(,22)
      table=21,priority=1,arp,dl_vlan=1,arp_tpa=10.0.0.5 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:fa:16:3e:00:00:01,load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:0xfa163e000001->NXM_NX_ARP_SHA[],load:0xa000005->NXM_OF_ARP_SPA[],IN_PORT
      table=21,priority=0 actions=resubmit(,22)
      table=22,priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x3e9,output:vxlan-0afefec8,output:vxlan-0afefeca
      table=22,priority=1,dl_vlan=2 actions=strip_vlan,set_tunnel:0x3ea,output:vxlan-0afefec8
      table=22,priority=0 actions=drop`);
    expect(sorted(flows)).toEqual(sorted(want));
  });

  it('br-tun without ARP responder sends ARP broadcasts to the flood table like any broadcast; a network without remote hosts floods nowhere', () => {
    const flows = tunnelBridgeFlows({
      cookie: C, patchInt: 'patch-int', tunnelPorts: [],
      networks: [{ localVlan: 1, networkType: 'vxlan', segmentationId: 7, floodPorts: [] }],
    });
    expect(flows.filter((f) => f.table === 21)).toEqual([]);
    expect(flows.filter((f) => f.table === 2).map((f) => f.actions).sort()).toEqual(['resubmit(,20)', 'resubmit(,22)']);
    expect(flows.filter((f) => f.table === 22).map(renderFlow)).toEqual([`cookie=${C},table=22,priority=0 actions=drop`]);
    expect(flows.filter((f) => f.table === 4).map(renderFlow)).toEqual([`cookie=${C},table=4,priority=1,tun_id=0x7 actions=mod_vlan_vid:1,resubmit(,10)`, `cookie=${C},table=4,priority=0 actions=drop`]);
  });

  it('an L2-population entry on a local VLAN no tunnel network has is refused', () => {
    expect(() =>
      tunnelBridgeFlows({ cookie: C, patchInt: 'patch-int', tunnelPorts: [], networks: [], unicast: [{ localVlan: 9, mac: 'fa:16:3e:00:00:09', port: 'vxlan-0a000001' }] }),
    ).toThrow(/local VLAN 9/);
  });
});
