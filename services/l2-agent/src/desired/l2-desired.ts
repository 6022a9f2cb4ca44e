import { hostState, type FdbEntry, type HostState, type Link } from '@neutrino/dataplane';
import type { Network } from '@neutrino/domain';
import type { L2Config } from '../config/l2-config';
import type { L2View } from '../view/l2-view';
import { bridgeName, tapName, vxlanName } from '@neutrino/naming';
import { FLOOD_MAC } from './device-names';
import { ordinal } from '../firewall/firewall-model';

/**
 * The LinuxBridge wiring of one host (spec/l2.md §4, §7): a brq bridge per
 * network with ports here, the ports' taps in it, and per network type a
 * vxlan-<vni> device (with unicast forwarding entries for every remote port
 * and a flooding entry per remote host, computed from the log) or the
 * physical interface of the flat network's physnet.
 */
export function l2Desired(view: L2View, cfg: L2Config): HostState {
  const links: Link[] = [];
  const fdb: FdbEntry[] = [];
  const local = view.wiredPorts();
  const networks = new Map<string, Network>();
  for (const p of local) {
    const n = view.networks.get(p.network_id);
    if (n && wireable(n, cfg)) networks.set(n.id, n);
  }
  for (const n of [...networks.values()].sort((a, b) => ordinal(a.id, b.id))) {
    const bridge = bridgeName(n.id);
    links.push({ name: bridge, kind: 'bridge', up: true, mtu: n.mtu });
    const type = n['provider:network_type'];
    if (type === 'vxlan') {
      const vni = n['provider:segmentation_id']!;
      const dev = vxlanName(vni);
      links.push({
        name: dev, kind: 'vxlan', up: true, mtu: n.mtu, master: bridge,
        vxlan: { vni, local: cfg.localIp, dev: cfg.tunnelInterface, dstport: cfg.vxlanPort, learning: false },
      });
      fdb.push(...forwardingEntries(view, n.id, dev));
    } else if (type === 'flat') {
      links.push({ name: cfg.physicalInterfaceMappings[n['provider:physical_network']!], kind: 'external', up: true, master: bridge });
    }
  }
  for (const p of local.sort((a, b) => ordinal(a.id, b.id))) {
    const n = networks.get(p.network_id);
    if (n) links.push({ name: tapName(p.id), kind: 'external', up: true, mtu: n.mtu, master: bridgeName(n.id) });
  }
  return hostState({ links, fdb });
}

/** Can this host carry the network? VXLAN needs a local VTEP, flat a mapped physnet; VLAN needs 8021q (not here). */
export function wireable(n: Network, cfg: L2Config): boolean {
  const type = n['provider:network_type'];
  if (type === 'vxlan') return !!cfg.localIp;
  if (type === 'flat') return !!cfg.physicalInterfaceMappings[n['provider:physical_network'] ?? ''];
  return type === 'local';
}

/** L2 population: each remote port's MAC points at its host's VTEP; each remote host gets a flooding entry. */
export function forwardingEntries(view: L2View, networkId: string, dev: string): FdbEntry[] {
  const out: FdbEntry[] = [];
  const hosts = new Set<string>();
  for (const p of view.portsOn(networkId)) {
    const host = p['binding:host_id'];
    if (!host || host === view.host) continue;
    const dst = view.vteps.get(host);
    if (!dst) continue;
    out.push({ dev, mac: p.mac_address, dst });
    hosts.add(dst);
  }
  for (const dst of [...hosts].sort()) out.push({ dev, mac: FLOOD_MAC, dst });
  return out.sort((a, b) => (a.mac + a.dst).localeCompare(b.mac + b.dst));
}
