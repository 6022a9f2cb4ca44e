import { hostState, integrationBridgeFlows, mergeStates, providerBridgeFlows, tunnelBridgeFlows, type DesiredBridge, type DesiredPort, type HostState, type Link, type LocalVlanNetwork, type OfFlow, type TunnelNetwork, type UnicastEntry, type ArpEntry } from '@neutrino/dataplane';
import type { Network, Port } from '@neutrino/domain';
import {
  DHCP_OWNER, INTEGRATION_BRIDGE, L2_CHAIN_PREFIX, OVS_CHAIN_PREFIX, PATCH_INT, PATCH_TUN, ROUTER_GATEWAY_OWNER, ROUTER_HA_INTERFACE_OWNER, ROUTER_INTERFACE_OWNERS, TUNNEL_BRIDGE,
  dhcpNetns, haName, intBridgePatchName, isLbaasVipOwner, lbaasNetns, nsDeviceName, phyBridgePatchName, qbrName, qgName, qrName, qvbName, qvoName, routerNetns, tapName, tunnelPortName,
} from '@neutrino/naming';
import type { L2Config } from '../config/l2-config';
import { firewallDesired } from '../firewall/firewall-desired';
import { firewallInput } from '../firewall/firewall-input';
import { ordinal } from '../firewall/firewall-model';
import type { L2View } from '../view/l2-view';
import { BINDING_FAILED } from './port-status';

/** The external_ids owner of the bridges and ports the openvswitch mechanism creates, and the cookie of its flows. */
export const OVS_OWNER = 'neutrino-openvswitch-agent';
export const OVS_COOKIE = '0x6e7472696e6f';
type TunnelType = 'vxlan' | 'gre';
const isTunnelType = (t: string): t is TunnelType => t === 'vxlan' || t === 'gre';

/** OVS's VXLAN port (IANA); any other is given as the tunnel's dst_port option. */
const OVS_VXLAN_PORT = 4789;

/** The Open vSwitch part of a host: bridges and ports (OVSDB) and the flows of each bridge. */
export interface OvsDesired {
  bridges: DesiredBridge[];
  flows: Record<string, OfFlow[]>;
}

/** Both halves of an openvswitch host: the kernel's devices (the hybrid plug) and OVS's. */
export interface OvsHostDesired {
  kernel: HostState;
  ovs: OvsDesired;
  /**
   * The devices that must send with finished checksums on the netdev datapath (TxChecksums): each
   * hybrid plug's qvb (netns '' = the host's) and the namespace end of each port plugged straight
   * into br-int.
   */
  finishedChecksums: Array<{ netns: string; name: string }>;
}

/**
 * The namespace end of a DHCP, router or load balancer VIP port's veth, as the dhcp-agent, l3-agent
 * and lbaas-agent name it (`ns-…` in `qdhcp-<network>`, `qr-`/`qg-`/`ha-` in `qrouter-<router>`,
 * `ns-…` in `qlbaas-<load balancer>`): such a port's tap is
 * plugged straight into br-int (Neutron's OVSInterfaceDriver with ovs_use_veth), no qbr — they
 * are trusted, no firewall. null: any other port (the hybrid plug).
 */
export function namespaceEnd(p: Port, netnsPrefix: string): { netns: string; name: string } | null {
  if (p.device_owner === DHCP_OWNER) return { netns: dhcpNetns(p.network_id, netnsPrefix), name: nsDeviceName(p.id) };
  if (!p.device_id) return null;
  if (ROUTER_INTERFACE_OWNERS.includes(p.device_owner)) return { netns: routerNetns(p.device_id, netnsPrefix), name: qrName(p.id) };
  if (p.device_owner === ROUTER_GATEWAY_OWNER) return { netns: routerNetns(p.device_id, netnsPrefix), name: qgName(p.id) };
  if (p.device_owner === ROUTER_HA_INTERFACE_OWNER) return { netns: routerNetns(p.device_id, netnsPrefix), name: haName(p.id) };
  if (isLbaasVipOwner(p.device_owner)) return { netns: lbaasNetns(p.device_id, netnsPrefix), name: nsDeviceName(p.id) };
  return null;
}

/**
 * Whether the openvswitch mechanism can wire a network here: a VXLAN or GRE network over the host's tunnel
 * endpoint, a flat or VLAN network through the provider bridge its physical network maps to
 * (bridge_mappings), a local network on br-int alone.
 */
export function ovsWireable(n: Network, cfg: L2Config): boolean {
  const type = n['provider:network_type'];
  if (type === 'vxlan' || type === 'gre') return !!cfg.localIp;
  if (type === 'flat' || type === 'vlan') return !!cfg.bridgeMappings[n['provider:physical_network'] ?? ''];
  return type === 'local';
}

/**
 * The openvswitch wiring of one host (spec/l2.md §5): per bound port the hybrid plug — `qbr<port>`
 * (a Linux bridge holding the tap) joined by the veth `qvb<port>`↔`qvo<port>` to br-int, where qvo
 * is an access port of the network's local VLAN; a DHCP or router port's tap is such an access
 * port itself (namespaceEnd). br-int and br-tun are joined by
 * patch-tun/patch-int; on br-tun a `vxlan-<hex ip>` (`gre-<hex ip>`) port to every other host with a
 * port of a local VXLAN (GRE) network, and the §5.4 tables: local VLAN ↔ VNI (GRE key), the remote ports' MACs to their host's
 * tunnel (L2 population from the log), floods only to the hosts that have the network. Every mapped
 * provider bridge (the operator's) is joined to br-int by `int-<bridge>`/`phy-<bridge>`, and the two
 * ends translate the local VLAN of each flat and VLAN network on it to the wire's (untagged, or the
 * network's segmentation id) and back.
 */
export function ovsDesired(view: L2View, cfg: L2Config): OvsHostDesired {
  const links: Link[] = [];
  const local = view.wiredPorts().sort((a, b) => ordinal(a.id, b.id));
  const networks = new Map<string, Network>();
  for (const p of local) {
    const n = view.networks.get(p.network_id);
    if (n && ovsWireable(n, cfg) && view.localVlans.has(n.id)) networks.set(n.id, n);
  }
  const intPorts: DesiredPort[] = [{ name: PATCH_TUN, type: 'patch', options: { peer: PATCH_INT } }];
  const finishedChecksums: OvsHostDesired['finishedChecksums'] = [];
  for (const p of local) {
    const n = networks.get(p.network_id);
    if (!n) continue;
    const end = namespaceEnd(p, cfg.netnsPrefix);
    if (end) {
      // a DHCP or router port: its tap (the agent's veth) is an access port of br-int itself
      links.push({ name: tapName(p.id), kind: 'external', up: true, mtu: n.mtu });
      intPorts.push({ name: tapName(p.id), tag: view.localVlans.get(n.id), externalIds: { 'iface-id': p.id, 'attached-mac': p.mac_address } });
      finishedChecksums.push(end);
      continue;
    }
    const [qbr, qvb, qvo] = [qbrName(p.id), qvbName(p.id), qvoName(p.id)];
    finishedChecksums.push({ netns: '', name: qvb });
    links.push(
      { name: qbr, kind: 'bridge', up: true, mtu: n.mtu },
      { name: qvb, kind: 'veth', peer: { name: qvo }, up: true, mtu: n.mtu, master: qbr },
      { name: qvo, kind: 'veth', peer: { name: qvb }, up: true, mtu: n.mtu },
      { name: tapName(p.id), kind: 'external', up: true, mtu: n.mtu, master: qbr },
    );
    intPorts.push({ name: qvo, tag: view.localVlans.get(n.id), externalIds: { 'iface-id': p.id, 'attached-mac': p.mac_address } });
  }
  const byLocalVlan = (a: Network, b: Network) => view.localVlans.get(a.id)! - view.localVlans.get(b.id)!;
  const localNetworks = [...networks.values()].sort(byLocalVlan);

  // L2 population: the remote ports of each local tunnel network, by their host's tunnel endpoint
  // (one tunnel port per remote VTEP and tunnel type; a port another host refused is not there)
  const tunnels = new Map<string, { type: TunnelType; dst: string }>(); // port name → its tunnel
  const tunNets: TunnelNetwork[] = [];
  const unicast: UnicastEntry[] = [];
  const arp = new Map<string, ArpEntry>(); // `${localVlan}|${ip}` → the remote port's MAC (the last port's, as unicast)
  for (const n of localNetworks.filter((x) => isTunnelType(x['provider:network_type']))) {
    const type = n['provider:network_type'] as TunnelType;
    const localVlan = view.localVlans.get(n.id)!;
    const flood = new Set<string>();
    for (const p of view.portsOn(n.id).sort((a, b) => ordinal(a.id, b.id))) {
      const host = p['binding:host_id'];
      const dst = host && host !== view.host ? view.vteps.get(host) : undefined;
      if (!dst || dst === cfg.localIp || p['binding:vif_type'] === BINDING_FAILED) continue;
      const port = tunnelPortName(type, dst);
      tunnels.set(port, { type, dst });
      flood.add(port);
      unicast.push({ localVlan, mac: p.mac_address, port });
      // the ARP responder knows its IPv4 addresses (fixed and allowed pairs, a pair with its own MAC or the port's)
      for (const f of p.fixed_ips ?? []) if (!f.ip_address.includes(':')) arp.set(`${localVlan}|${f.ip_address}`, { localVlan, ip: f.ip_address, mac: p.mac_address });
      for (const a of p.allowed_address_pairs ?? []) {
        if (!a.ip_address.includes(':') && !a.ip_address.includes('/')) arp.set(`${localVlan}|${a.ip_address}`, { localVlan, ip: a.ip_address, mac: a.mac_address || p.mac_address });
      }
    }
    tunNets.push({ localVlan, networkType: type, segmentationId: n['provider:segmentation_id']!, floodPorts: [...flood].sort() });
  }
  const tunPorts: DesiredPort[] = [{ name: PATCH_INT, type: 'patch', options: { peer: PATCH_TUN } }];
  const tunnelNames = [...tunnels.keys()].sort();
  for (const name of tunnelNames) {
    const { type, dst } = tunnels.get(name)!;
    const options: Record<string, string> = { df_default: 'true', in_key: 'flow', out_key: 'flow', local_ip: cfg.localIp, remote_ip: dst };
    if (type === 'vxlan' && cfg.vxlanPort !== OVS_VXLAN_PORT) options.dst_port = String(cfg.vxlanPort);
    tunPorts.push({ name, type, options });
  }

  // provider bridges: each mapped one gets its patch pair (as Neutron's agent sets up every mapping), flows for its networks
  const providerBridges: DesiredBridge[] = [];
  const providerFlows: Record<string, OfFlow[]> = {};
  const intProviders: { intPatch: string; networks: LocalVlanNetwork[] }[] = [];
  for (const [physnet, bridge] of Object.entries(cfg.bridgeMappings).sort((a, b) => (a[1] < b[1] ? -1 : 1))) {
    const [intPatch, phyPatch] = [intBridgePatchName(bridge), phyBridgePatchName(bridge)];
    const nets: LocalVlanNetwork[] = localNetworks
      .filter((n) => (n['provider:network_type'] === 'vlan' || n['provider:network_type'] === 'flat') && n['provider:physical_network'] === physnet)
      .map((n) => ({ localVlan: view.localVlans.get(n.id)!, networkType: n['provider:network_type'] as 'vlan' | 'flat', segmentationId: n['provider:segmentation_id'] ?? undefined }));
    intPorts.push({ name: intPatch, type: 'patch', options: { peer: phyPatch } });
    providerBridges.push({ name: bridge, external: true, datapathType: cfg.ovsDatapathType, ports: [{ name: phyPatch, type: 'patch', options: { peer: intPatch } }] });
    providerFlows[bridge] = providerBridgeFlows(OVS_COOKIE, phyPatch, nets);
    intProviders.push({ intPatch, networks: nets });
  }

  // a MAC seen on two remote hosts (a port moving) gets one entry: the last port's
  const byMac = new Map(unicast.map((u) => [`${u.localVlan}|${u.mac.toLowerCase()}`, u]));
  const bridges: DesiredBridge[] = [
    { name: INTEGRATION_BRIDGE, datapathType: cfg.ovsDatapathType, failMode: 'secure', ports: intPorts },
    { name: TUNNEL_BRIDGE, datapathType: cfg.ovsDatapathType, failMode: 'secure', ports: tunPorts },
    ...providerBridges,
  ];
  const flows = {
    [INTEGRATION_BRIDGE]: integrationBridgeFlows(OVS_COOKIE, intProviders),
    [TUNNEL_BRIDGE]: tunnelBridgeFlows({
      cookie: OVS_COOKIE,
      patchInt: PATCH_INT,
      tunnelPorts: tunnelNames.map((name) => ({ name, type: tunnels.get(name)!.type })),
      networks: tunNets,
      unicast: [...byMac.values()],
      ...(cfg.arpResponder !== false ? { arp: [...arp.values()].sort((a, b) => a.localVlan - b.localVlan || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0)) } : {}),
    }),
    ...providerFlows,
  };
  return { kernel: mergeStates(hostState({ links }), hybridFirewall(view)), ovs: { bridges, flows }, finishedChecksums };
}

/**
 * The security groups of the hybrid plug (Neutron's OVSHybridIptablesFirewallDriver): the
 * LinuxBridge agent's iptables firewall unchanged — its rules match the taps with physdev, and the
 * tap is in a Linux bridge here too (qbr) — under the Open vSwitch agent's chain prefix.
 */
export function hybridFirewall(view: L2View): HostState {
  const input = firewallInput(view);
  // an instance's traffic reaches it through its own qbr (the raw table's stateless rules match that bridge)
  input.ports = input.ports.map((p) => ({ ...p, bridge: qbrName(p.id) }));
  const fw = firewallDesired(input);
  const rename = (text: string) => text.split(L2_CHAIN_PREFIX).join(OVS_CHAIN_PREFIX);
  fw.iptables = fw.iptables.map((t) => ({ ...t, chains: t.chains.map((c) => ({ ...c, name: rename(c.name), rules: c.rules.map(rename) })) }));
  return fw;
}
