import { dnsmasqProcess, hostState, portInNamespace, type HostState, type Link, type ManagedProcess, type Namespace } from '@neutrino/dataplane';
import type { Port } from '@neutrino/domain';
import { prefixLength } from '@neutrino/netaddr';
import { DHCP_PROXY_PORT, metadataProxyProcess, type MetadataProxyOptions } from '@neutrino/metadata';
import type { DhcpView } from '../view/dhcp-view';
import { servedNetworks } from '../view/scheduling';
import { dhcpNetns } from '@neutrino/naming';
import { dnsmasqNetwork, metadataSubnets, type DnsmasqSettings } from './dnsmasq-network';

export interface DhcpDesiredSettings extends DnsmasqSettings {
  dnsmasqBin: string;
  /** Serve metadata on port 80 in the namespace of networks with an isolated subnet (spec/metadata.md §4); absent: no proxy. */
  metadataProxy?: Pick<MetadataProxyOptions, 'socketPath' | 'stateDir' | 'node' | 'script'>;
}

/** The secondary address metadata is served on (spec/ipam-and-dhcp.md §8.3.4). */
export const METADATA_CIDR = '169.254.169.254/16';

/** `<ip>/<prefix>` for each of the port's fixed IPs, then the metadata address when it applies. */
function interfaceAddresses(view: DhcpView, networkId: string, port: Port, cfg: DhcpDesiredSettings): string[] {
  const out: string[] = [];
  for (const f of port.fixed_ips) {
    const s = view.subnets.get(f.subnet_id);
    if (s) out.push(`${f.ip_address}/${prefixLength(s.cidr)}`);
  }
  if (metadataSubnets(view, networkId, port, cfg).size) out.push(METADATA_CIDR);
  return out;
}

/**
 * The DHCP side of one host (spec/ipam-and-dhcp.md §8–§9): per served network
 * a `qdhcp-<network>` namespace with lo up, a veth pair — `tap<port[:11]>` on
 * the host (the l2-agent puts it in the network's bridge, so no master here)
 * and `ns-<port[:11]>` inside with the port's MAC and addresses — and one
 * dnsmasq, reloaded by SIGHUP when its hosts/opts files change; on a network
 * with an isolated subnet also the metadata proxy on port 80.
 */
export function dhcpDesired(view: DhcpView, cfg: DhcpDesiredSettings): HostState {
  const namespaces: Namespace[] = [];
  const links: Link[] = [];
  const processes: ManagedProcess[] = [];
  for (const { networkId, port } of servedNetworks(view)) {
    const netns = dhcpNetns(networkId, cfg.netnsPrefix);
    const mtu = view.networks.get(networkId)!.mtu || undefined;
    namespaces.push({ name: netns });
    links.push(...portInNamespace(netns, port, interfaceAddresses(view, networkId, port, cfg), mtu));
    const proc = dnsmasqProcess(dnsmasqNetwork(view, networkId, port, cfg));
    processes.push({ ...proc, argv: [cfg.dnsmasqBin, ...proc.argv.slice(1)] });
    if (cfg.metadataProxy && metadataSubnets(view, networkId, port, cfg).size) {
      processes.push(metadataProxyProcess({ ...cfg.metadataProxy, netns, networkId, listenPort: DHCP_PROXY_PORT }));
    }
  }
  return hostState({ namespaces, links, processes });
}
