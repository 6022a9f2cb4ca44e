import * as path from 'node:path';
import type { DhcpHost, DnsmasqNetwork } from '@neutrino/dataplane';
import type { Port } from '@neutrino/domain';
import type { DhcpView } from '../view/dhcp-view';
import { dhcpSubnets } from '../view/scheduling';
import { dhcpNetns, nsDeviceName } from '@neutrino/naming';
import { isIsolated } from './isolation';

/** What the dnsmasq of one network is rendered from. */
export interface DnsmasqSettings {
  netnsPrefix: string;
  /** `<NEUTRINO_DATA_DIR>/dhcp`: each network's files live in `<dir>/<network_id>/` */
  confRoot: string;
  leaseSeconds: number;
  domain: string;
  enableIsolatedMetadata: boolean;
}

/** The DHCP port's address on a subnet. */
export const portIpOn = (port: Port, subnetId: string): string | undefined => port.fixed_ips.find((f) => f.subnet_id === subnetId)?.ip_address;

/** Does the metadata route (and 169.254.169.254 on the interface) apply to this network? */
export function metadataSubnets(view: DhcpView, networkId: string, port: Port, cfg: Pick<DnsmasqSettings, 'enableIsolatedMetadata'>): Set<string> {
  if (!cfg.enableIsolatedMetadata) return new Set();
  const ports = view.portsOf(networkId);
  return new Set(dhcpSubnets(view, networkId).filter((s) => portIpOn(port, s.id) && isIsolated(s, ports)).map((s) => s.id));
}

/**
 * spec/ipam-and-dhcp.md §9: the network's IPv4 subnets in network order (the
 * DHCP-enabled ones get a tag and a range), a static lease per fixed IP of
 * every port on a DHCP subnet (the DHCP port included), the metadata route
 * via the DHCP port on isolated subnets, and option 26 with the network MTU.
 */
export function dnsmasqNetwork(view: DhcpView, networkId: string, port: Port, cfg: DnsmasqSettings): DnsmasqNetwork {
  const network = view.networks.get(networkId)!;
  const v4 = view.subnetsOf(networkId).filter((s) => s.ip_version === 4);
  const dhcp = new Set(dhcpSubnets(view, networkId).map((s) => s.id));
  const metadata = metadataSubnets(view, networkId, port, cfg);
  const hosts: DhcpHost[] = [];
  for (const p of view.portsOf(networkId)) {
    const extraOpts = (p.extra_dhcp_opts ?? [])
      .filter((o) => (o.ip_version ?? 4) === 4)
      .map((o) => ({ name: o.opt_name, value: o.opt_value }));
    for (const f of p.fixed_ips) {
      if (!dhcp.has(f.subnet_id)) continue;
      hosts.push({ mac: p.mac_address, ip: f.ip_address, portId: p.id, ...(extraOpts.length ? { extraOpts } : {}) });
    }
  }
  return {
    networkId,
    subnets: v4.map((s) => ({
      cidr: s.cidr,
      gatewayIp: s.gateway_ip,
      dnsNameservers: [...s.dns_nameservers],
      hostRoutes: s.host_routes.map((r) => ({ ...r })),
      enableDhcp: s.enable_dhcp,
      ...(metadata.has(s.id) ? { metadataNexthop: portIpOn(port, s.id) } : {}),
    })),
    hosts,
    interfaceName: nsDeviceName(port.id),
    netns: dhcpNetns(networkId, cfg.netnsPrefix),
    confDir: path.join(cfg.confRoot, networkId),
    ...(cfg.domain ? { domain: cfg.domain } : {}),
    leaseSeconds: cfg.leaseSeconds,
    ...(network.mtu > 0 ? { mtu: network.mtu } : {}),
  };
}
