/*
 * The flow tables of spec/l2.md §5.4 as pure functions of a host's local
 * VLANs: the provider bridge (`br-<x>`), the integration bridge (`br-int`) and
 * the tunnel bridge (`br-tun`, Kilo OVS agent tables). Ports are given as
 * `ovs-ofctl` accepts them (names, or OpenFlow numbers as in the seeds).
 */
import { DEFAULT_PRIORITY, parseFlow, type OfFlow } from './flows';

export type OvsNetworkType = 'vlan' | 'flat' | 'vxlan' | 'gre' | 'local';

/** A network that has ports on this host, with the local VLAN it got here. */
export interface LocalVlanNetwork {
  localVlan: number;
  networkType: OvsNetworkType;
  /** The physical VLAN (vlan) or the VNI/GRE key (vxlan, gre). */
  segmentationId?: number;
}

const mk = (cookie: string) => (line: string): OfFlow => parseFlow(`cookie=${cookie},${line}`);
const ordered = (a: LocalVlanNetwork, b: LocalVlanNetwork) => a.localVlan - b.localVlan;
const segOf = (n: LocalVlanNetwork): number => {
  if (n.segmentationId === undefined) throw new Error(`${n.networkType} network on local VLAN ${n.localVlan} without a segmentation id`);
  return n.segmentationId;
};

/**
 * A provider bridge: frames from br-int (through `phy-br-<x>`) leave re-tagged
 * from the local VLAN to the physical one, or untagged for a flat network;
 * anything else from the patch port is dropped; the rest is a normal switch.
 */
export function providerBridgeFlows(cookie: string, phyPatch: string, networks: LocalVlanNetwork[]): OfFlow[] {
  const f = mk(cookie);
  const out: OfFlow[] = [];
  for (const n of [...networks].sort(ordered)) {
    if (n.networkType === 'vlan') out.push(f(`priority=4,in_port=${phyPatch},dl_vlan=${n.localVlan} actions=mod_vlan_vid:${segOf(n)},NORMAL`));
    else if (n.networkType === 'flat') out.push(f(`priority=4,in_port=${phyPatch},dl_vlan=${n.localVlan} actions=strip_vlan,NORMAL`));
  }
  out.push(f(`priority=2,in_port=${phyPatch} actions=drop`), f('priority=1 actions=NORMAL'));
  return out;
}

/**
 * br-int: frames from a provider bridge (through `int-br-<x>`) enter re-tagged
 * from the physical VLAN to the local one (untagged ones get the flat
 * network's); anything else from that patch port is dropped; the rest is a
 * normal switch; table 23 (canary) drops.
 */
export function integrationBridgeFlows(cookie: string, providers: { intPatch: string; networks: LocalVlanNetwork[] }[]): OfFlow[] {
  const f = mk(cookie);
  const out: OfFlow[] = [];
  for (const p of providers) {
    const flats = p.networks.filter((n) => n.networkType === 'flat');
    if (flats.length > 1) throw new Error(`two flat networks on ${p.intPatch}`);
    for (const n of [...p.networks].sort(ordered)) {
      if (n.networkType === 'vlan') out.push(f(`priority=3,in_port=${p.intPatch},dl_vlan=${segOf(n)} actions=mod_vlan_vid:${n.localVlan},NORMAL`));
      else if (n.networkType === 'flat') out.push(f(`priority=3,in_port=${p.intPatch},vlan_tci=0x0000 actions=mod_vlan_vid:${n.localVlan},NORMAL`));
    }
    out.push(f(`priority=2,in_port=${p.intPatch} actions=drop`));
  }
  out.push(f('priority=1 actions=NORMAL'), f('table=23,priority=0 actions=drop'));
  return out;
}

/** br-tun tables (spec/l2.md §5.4). */
export const BR_TUN = { PATCH_LV_TO_TUN: 2, GRE_TUN_TO_LV: 3, VXLAN_TUN_TO_LV: 4, LEARN_FROM_TUN: 10, UCAST_TO_TUN: 20, ARP_RESPONDER: 21, FLOOD_TO_TUN: 22 } as const;

export interface TunnelPort {
  /** `vxlan-<hex>` / `gre-<hex>` (naming's tunnelPortName). */
  name: string;
  type: 'vxlan' | 'gre';
}

export interface TunnelNetwork extends LocalVlanNetwork {
  networkType: 'vxlan' | 'gre';
  /** The tunnel ports towards the hosts that also have ports of this network (flooding). */
  floodPorts: string[];
}

/** An L2-population entry: a remote port's MAC behind a tunnel port. */
export interface UnicastEntry {
  localVlan: number;
  mac: string;
  port: string;
}

/** A known IP/MAC pair the ARP responder answers for. */
export interface ArpEntry {
  localVlan: number;
  ip: string;
  mac: string;
}

export interface TunnelBridgeInput {
  cookie: string;
  patchInt: string;
  tunnelPorts: TunnelPort[];
  networks: TunnelNetwork[];
  unicast?: UnicastEntry[];
  /** ARP responder entries; when given (even empty), ARP broadcasts from br-int go to table 21 first. */
  arp?: ArpEntry[];
}

/** As `ovs-ofctl` prints a `load:` value: hex without leading zeros (a dump must compare equal to what we wrote). */
const macToHex = (mac: string) => `0x${BigInt(`0x${mac.split(':').join('')}`).toString(16)}`;
const ipToHex = (ip: string) => `0x${ip.split('.').reduce((n, o) => n * 256n + BigInt(Number(o)), 0n).toString(16)}`;

/** The whole of br-tun for the given networks, tunnel ports and entries. */
export function tunnelBridgeFlows(t: TunnelBridgeInput): OfFlow[] {
  const f = mk(t.cookie);
  const { patchInt } = t;
  const out: OfFlow[] = [];
  const T = BR_TUN;
  // 0: classify
  out.push(f(`table=0,priority=1,in_port=${patchInt} actions=resubmit(,${T.PATCH_LV_TO_TUN})`));
  for (const p of [...t.tunnelPorts].sort((a, b) => (a.name < b.name ? -1 : 1)))
    out.push(f(`table=0,priority=1,in_port=${p.name} actions=resubmit(,${p.type === 'vxlan' ? T.VXLAN_TUN_TO_LV : T.GRE_TUN_TO_LV})`));
  out.push(f('table=0,priority=0 actions=drop'));
  // 2: from br-int
  if (t.arp) out.push(f(`table=${T.PATCH_LV_TO_TUN},priority=1,arp,dl_dst=ff:ff:ff:ff:ff:ff actions=resubmit(,${T.ARP_RESPONDER})`));
  out.push(
    f(`table=${T.PATCH_LV_TO_TUN},priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,${T.UCAST_TO_TUN})`),
    f(`table=${T.PATCH_LV_TO_TUN},priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,${T.FLOOD_TO_TUN})`),
  );
  // 3 / 4: from the tunnels, by segment to the local VLAN
  const nets = [...t.networks].sort(ordered);
  for (const n of nets) {
    const table = n.networkType === 'vxlan' ? T.VXLAN_TUN_TO_LV : T.GRE_TUN_TO_LV;
    out.push(f(`table=${table},priority=1,tun_id=${segOf(n)} actions=mod_vlan_vid:${n.localVlan},resubmit(,${T.LEARN_FROM_TUN})`));
  }
  out.push(f(`table=${T.GRE_TUN_TO_LV},priority=0 actions=drop`), f(`table=${T.VXLAN_TUN_TO_LV},priority=0 actions=drop`));
  // 10: learn where a MAC is, then hand to br-int
  out.push(
    f(
      `table=${T.LEARN_FROM_TUN},priority=1 actions=learn(table=${T.UCAST_TO_TUN},hard_timeout=300,priority=1,cookie=${t.cookie},NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:${patchInt}`,
    ),
  );
  // 20: unicast to a known tunnel port (L2 population), else flood
  const seg = new Map(nets.map((n) => [n.localVlan, segOf(n)]));
  const segFor = (lv: number) => {
    const s = seg.get(lv);
    if (s === undefined) throw new Error(`entry on local VLAN ${lv}, which no tunnel network has`);
    return s;
  };
  for (const u of t.unicast ?? [])
    out.push(f(`table=${T.UCAST_TO_TUN},priority=2,dl_vlan=${u.localVlan},dl_dst=${u.mac} actions=strip_vlan,set_tunnel:${segFor(u.localVlan)},output:${u.port}`));
  out.push(f(`table=${T.UCAST_TO_TUN},priority=0 actions=resubmit(,${T.FLOOD_TO_TUN})`));
  // 21: ARP responder (answers in place: swap addresses, reply from the known MAC)
  if (t.arp) {
    for (const a of t.arp) {
      segFor(a.localVlan);
      out.push(
        f(
          `table=${T.ARP_RESPONDER},priority=1,arp,dl_vlan=${a.localVlan},arp_tpa=${a.ip} actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:${a.mac},load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:${macToHex(a.mac)}->NXM_NX_ARP_SHA[],load:${ipToHex(a.ip)}->NXM_OF_ARP_SPA[],IN_PORT`,
        ),
      );
    }
    out.push(f(`table=${T.ARP_RESPONDER},priority=0 actions=resubmit(,${T.FLOOD_TO_TUN})`));
  }
  // 22: flood to every tunnel port of the network
  for (const n of nets)
    if (n.floodPorts.length)
      out.push(f(`table=${T.FLOOD_TO_TUN},priority=1,dl_vlan=${n.localVlan} actions=strip_vlan,set_tunnel:${segOf(n)},${n.floodPorts.map((p) => `output:${p}`).join(',')}`));
  out.push(f(`table=${T.FLOOD_TO_TUN},priority=0 actions=drop`));
  if (out.some((x) => x.priority === DEFAULT_PRIORITY)) throw new Error('a br-tun flow without a priority');
  return out;
}
