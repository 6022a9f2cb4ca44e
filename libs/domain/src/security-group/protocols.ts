/** IP protocols as Zed's security groups know them (neutron_lib.constants). */

/** IP_PROTOCOL_MAP, in its order. */
export const IP_PROTOCOL_MAP: ReadonlyArray<[string, number]> = [
  ['ah', 51], ['dccp', 33], ['egp', 8], ['esp', 50], ['gre', 47], ['hopopt', 0], ['icmp', 1], ['igmp', 2], ['ip', 0],
  ['ipip', 4], ['ipv6-encap', 41], ['ipv6-frag', 44], ['ipv6-icmp', 58], ['icmpv6', 58], ['ipv6-nonxt', 59],
  ['ipv6-opts', 60], ['ipv6-route', 43], ['ospf', 89], ['pgm', 113], ['rsvp', 46], ['sctp', 132], ['tcp', 6], ['udp', 17],
  ['udplite', 136], ['vrrp', 112],
];
const NUMBER_OF = new Map(IP_PROTOCOL_MAP);
/** IP_PROTOCOL_NUM_TO_NAME_MAP (later names win, as in the Python dict: 0 → ip, 58 → ipv6-icmp). */
const NAME_OF = new Map<string, string>(
  IP_PROTOCOL_MAP.filter(([name]) => name !== 'icmpv6').map(([name, num]) => [String(num), name] as [string, string]),
);

/** sg_supported_protocols: None, then the map's names. */
export const SUPPORTED_PROTOCOLS: ReadonlyArray<string | null> = [null, ...IP_PROTOCOL_MAP.map(([n]) => n)];

/** Protocols whose rules may carry a port range. */
export const PORT_PROTOCOL_NUMBERS: ReadonlySet<number> = new Set([33, 132, 6, 17, 136]);
export const ICMP_NUMBERS: ReadonlySet<number> = new Set([1, 58]);
/** Names and numbers that only make sense with IPv6. */
export const IPV6_ONLY_PROTOCOLS: ReadonlySet<string> = new Set([
  'ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'icmpv6', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', '41', '44', '58', '59', '60', '43',
]);
/** IPV6_ICMP_LEGACY_PROTO_LIST: with IPv6 these become ipv6-icmp (and 1 becomes 58). */
const IPV6_ICMP_LEGACY = new Set(['icmp', 'icmpv6']);

/** The protocol's number (names through the map, icmpv6 through its alias); undefined for none. */
export function protocolNumber(protocol: string | null): number | undefined {
  if (protocol === null) return undefined;
  return NUMBER_OF.get(protocol) ?? Number(protocol);
}

/** _make_canonical_ipv6_icmp_protocol: legacy ICMP names/numbers on IPv6 rules. */
export function canonicalIpv6Icmp(protocol: string | null, ethertype: string): string | null {
  if (ethertype !== 'IPv6' || protocol === null) return protocol;
  if (IPV6_ICMP_LEGACY.has(protocol)) return 'ipv6-icmp';
  if (protocol === '1') return '58';
  return protocol;
}

/** _get_ip_proto_name_and_num, rendered as Python prints the list (for duplicate keys). */
export function protocolKey(protocol: string | null, ethertype: string): string {
  if (protocol === null) return '+';
  const p = canonicalIpv6Icmp(protocol, ethertype)!;
  const pair = NUMBER_OF.has(p) ? [p, String(NUMBER_OF.get(p))] : NAME_OF.has(p) ? [NAME_OF.get(p)!, p] : [p, p];
  return `['${pair[0]}', '${pair[1]}']`;
}
