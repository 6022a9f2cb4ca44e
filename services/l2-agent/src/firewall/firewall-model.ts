import type { SecurityGroupRule } from '@neutrino/domain';

/** The attributes of the domain's security group rule that the firewall renders. */
export type SgRule = Pick<SecurityGroupRule, 'id' | 'direction' | 'ethertype' | 'protocol' | 'port_range_min' | 'port_range_max' | 'remote_ip_prefix' | 'remote_group_id' | 'remote_address_group_id'>;

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
  /** The CIDRs of an address group of one family (its set's members); undefined while the group is unknown (its rules match nothing). */
  addressesOf?(addressGroupId: string, ethertype: 'IPv4' | 'IPv6'): string[] | undefined;
}

/** An address group's set, the same for every port whose rules name the group. */
export interface AddressGroupSet {
  name: string;
  members: string[];
}

/**
 * Code-point order of ids (what localeCompare gives for the lowercase UUIDs ids are, at a fraction of the
 * cost: a host's 2,000 ports are sorted whenever one comes or goes).
 */
export const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The agent's chain prefix and a port's chain name live in @neutrino/naming. */
export { L2_CHAIN_PREFIX as PREFIX, portChainName as chainOf } from '@neutrino/naming';
/**
 * ipset of a remote group: N + ethertype + the group id, cut to 29 characters (spec §8). An
 * address group's set is named the same way after the address group's id (ids never collide),
 * so it falls under the same ownership prefixes (NIPv4, NIPv6).
 */
export const ipsetOf = (ethertype: 'IPv4' | 'IPv6', groupId: string) => `N${ethertype}${groupId}`.slice(0, 29);

/**
 * An address group's CIDRs of one family as hash:net members: a hash:net set cannot hold a /0,
 * so "everything" is its two halves.
 */
export function addressGroupMembers(addresses: string[], ethertype: 'IPv4' | 'IPv6'): string[] {
  const v6 = ethertype === 'IPv6';
  const out = addresses.filter((a) => a.includes(':') === v6).flatMap((a) => (a === '0.0.0.0/0' ? ['0.0.0.0/1', '128.0.0.0/1'] : a === '::/0' ? ['::/1', '8000::/1'] : [a]));
  return [...new Set(out)].sort();
}
