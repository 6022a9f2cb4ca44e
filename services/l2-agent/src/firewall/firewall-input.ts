import type { Port } from '@neutrino/domain';
import { DHCP_OWNER, bridgeName, isTrustedOwner } from '@neutrino/naming';
import type { L2View } from '../view/l2-view';
import type { FirewallInput, FirewalledPort } from './firewall-model';

/** A filtered port none of whose groups tracks connections (the API refuses a mix). */
export const isStateless = (view: Pick<L2View, 'groups'>, p: Port): boolean =>
  p.port_security_enabled && (p.security_groups ?? []).length > 0 && p.security_groups.every((g) => !view.groups.isStateful(g));

/** Ports owned by the network (DHCP, routers) are trusted: no firewall, as in Neutron. */
const trusted = (p: Port) => isTrustedOwner(p.device_owner);
const isV6 = (ip: string) => ip.includes(':');

/** The firewall's view of this host: its filtered ports, their groups' rules and every group's members. */
export function firewallInput(view: L2View): FirewallInput {
  const all = [...view.ports.values()];
  const dhcpBySubnet = new Map<string, string[]>();
  for (const p of all) {
    if (p.device_owner !== DHCP_OWNER) continue;
    for (const f of p.fixed_ips) dhcpBySubnet.set(f.subnet_id, [...(dhcpBySubnet.get(f.subnet_id) ?? []), f.ip_address]);
  }
  const members = new Map<string, string[]>();
  for (const p of all) {
    if (!p.port_security_enabled) continue;
    const addrs = [...p.fixed_ips.map((f) => f.ip_address), ...p.allowed_address_pairs.map((a) => a.ip_address)];
    for (const g of p.security_groups) members.set(g, [...(members.get(g) ?? []), ...addrs]);
  }
  const ports: FirewalledPort[] = view
    .wiredPorts()
    .filter((p) => !trusted(p) && view.networks.has(p.network_id))
    .map((p) => ({
      id: p.id,
      mac: p.mac_address,
      fixedIps: p.fixed_ips.map((f) => f.ip_address),
      allowedPairs: p.allowed_address_pairs,
      portSecurity: p.port_security_enabled,
      groups: p.security_groups,
      stateless: isStateless(view, p),
      bridge: bridgeName(p.network_id),
      // sorted: the servers' order is the order their ports were created in, which agents need not agree on
      dhcpServers: [...new Set(p.fixed_ips.flatMap((f) => dhcpBySubnet.get(f.subnet_id) ?? []))].sort(),
    }));
  return {
    ports,
    rulesOf: (g) => view.groups.rulesOf(g),
    membersOf: (g, ethertype) => (members.get(g) ?? []).filter((ip) => isV6(ip) === (ethertype === 'IPv6')),
    addressesOf: (id, ethertype) => view.addressGroups.get(id)?.addresses.filter((a) => isV6(a) === (ethertype === 'IPv6')),
  };
}
