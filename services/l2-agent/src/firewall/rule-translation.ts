import type { SgRule } from './firewall-model';
import { ipsetOf } from './firewall-model';

const NAMES: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp' };
const ICMP6 = new Set(['icmpv6', 'ipv6-icmp', 'icmp']);

/** The protocol as iptables-save prints it for the family. */
function protocolOf(rule: SgRule): string | null {
  if (rule.protocol === null || rule.protocol === undefined || rule.protocol === 'any') return null;
  const p = NAMES[rule.protocol] ?? rule.protocol.toLowerCase();
  if (rule.ethertype === 'IPv6' && ICMP6.has(p)) return 'ipv6-icmp';
  return p;
}

/** A host address prints with its full prefix (/32, /128); "any" prefixes print nothing. */
function prefixMatch(cidr: string | null, flag: '-s' | '-d'): string[] {
  if (!cidr || cidr === '0.0.0.0/0' || cidr === '::/0') return [];
  const full = cidr.includes('/') ? cidr : `${cidr}/${cidr.includes(':') ? 128 : 32}`;
  return [flag, full];
}

/**
 * One security-group rule as the argument string of `-A <chain>` (spec §7):
 * address, protocol, ports, set match, target — in iptables-save order.
 * Null when the rule matches nothing (a remote group without members, an address group not known).
 * An address group's rule is there as long as the group is, whatever its addresses: they are the
 * members of its set, so adding or removing one changes the set and never a chain.
 */
export function translateRule(rule: SgRule, hasMembers: (groupId: string) => boolean, hasAddressGroup: (id: string) => boolean = () => false): string | null {
  const dir = rule.direction === 'ingress' ? 'src' : 'dst';
  const parts: string[] = [...prefixMatch(rule.remote_ip_prefix, rule.direction === 'ingress' ? '-s' : '-d')];
  const proto = protocolOf(rule);
  if (proto) parts.push('-p', proto);
  const min = rule.port_range_min;
  const max = rule.port_range_max;
  if (proto === 'tcp' || proto === 'udp' || proto === 'sctp') {
    if (min !== null && max !== null && min !== max) parts.push('-m', 'multiport', '--dports', `${min}:${max}`);
    else if (min !== null) parts.push('-m', proto, '--dport', String(min));
  } else if (proto === 'icmp' && min !== null) {
    parts.push('-m', 'icmp', '--icmp-type', max !== null ? `${min}/${max}` : String(min));
  } else if (proto === 'ipv6-icmp' && min !== null) {
    parts.push('-m', 'icmp6', '--icmpv6-type', max !== null ? `${min}/${max}` : String(min));
  }
  if (rule.remote_group_id) {
    if (!hasMembers(rule.remote_group_id)) return null;
    parts.push('-m', 'set', '--match-set', ipsetOf(rule.ethertype, rule.remote_group_id), dir);
  } else if (rule.remote_address_group_id) {
    if (!hasAddressGroup(rule.remote_address_group_id)) return null;
    parts.push('-m', 'set', '--match-set', ipsetOf(rule.ethertype, rule.remote_address_group_id), dir);
  }
  parts.push('-j', 'RETURN');
  return parts.join(' ');
}
