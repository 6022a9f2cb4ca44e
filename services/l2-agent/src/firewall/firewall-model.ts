import type { SecurityGroupRule } from '@neutrino/domain';

/** The attributes of the domain's security group rule that the firewall renders. */
export type SgRule = Pick<SecurityGroupRule, 'id' | 'direction' | 'ethertype' | 'protocol' | 'port_range_min' | 'port_range_max' | 'remote_ip_prefix' | 'remote_group_id'>;

/** What the firewall of one host needs to know, independent of where it came from. */
export interface FirewalledPort {
  id: string;
  mac: string;
  fixedIps: string[];
  allowedPairs: Array<{ ip_address: string; mac_address: string }>;
  portSecurity: boolean;
  groups: string[];
  /** DHCP server addresses on the port's subnets (their replies are let in). */
  dhcpServers: string[];
  /** stateful-security-group: every group of the port is stateless — its traffic is not tracked (raw table, CT --notrack) */
  stateless?: boolean;
  /** the bridge its instance's traffic arrives on (brq<network>, or qbr<port> with the hybrid plug) */
  bridge?: string;
}

export interface FirewallInput {
  ports: FirewalledPort[];
  rulesOf(groupId: string): SgRule[];
  /** Addresses of every port in the group (any host), of one family. */
  membersOf(groupId: string, ethertype: 'IPv4' | 'IPv6'): string[];
}

/**
 * Code-point order of ids (what localeCompare gives for the lowercase UUIDs ids are, at a fraction of the
 * cost: a host's 2,000 ports are sorted whenever one comes or goes).
 */
export const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The agent's chain prefix and a port's chain name live in @neutrino/naming. */
export { L2_CHAIN_PREFIX as PREFIX, portChainName as chainOf } from '@neutrino/naming';
/** ipset of a remote group: N + ethertype + the group id, cut to 29 characters (spec §8). */
export const ipsetOf = (ethertype: 'IPv4' | 'IPv6', groupId: string) => `N${ethertype}${groupId}`.slice(0, 29);
