import { hostState, type HostState, type IpSet, type IptChain, type IptTable } from '@neutrino/dataplane';
import { PREFIX, addressGroupMembers, chainOf, ipsetOf, ordinal, type FirewallInput, type SgRule } from './firewall-model';
import { notrackRules, portChainsOf, portHooks, translatedRules } from './port-chains';

const FAMILIES = [
  ['IPv4', 'ipv4', 'inet'],
  ['IPv6', 'ipv6', 'inet6'],
] as const;

/** The remote groups that the rules of one ethertype match and that have members (their sets are used). */
export const remotesWithMembers = (rules: SgRule[], ethertype: 'IPv4' | 'IPv6', hasMembers: (g: string) => boolean) =>
  [...new Set(rules.filter((r) => r.ethertype === ethertype && r.remote_group_id).map((r) => r.remote_group_id!))].sort().filter(hasMembers);

/** The known address groups that the rules of one ethertype name (their sets are used, empty or not). */
export const addressGroupsNamed = (rules: SgRule[], ethertype: 'IPv4' | 'IPv6', hasAddressGroup: (id: string) => boolean) =>
  [...new Set(rules.filter((r) => r.ethertype === ethertype && r.remote_address_group_id).map((r) => r.remote_address_group_id!))].sort().filter(hasAddressGroup);

/** What every port with the same groups shares, for one ethertype: its rules translated and the sets they match. */
export interface GroupsPart {
  translated: { ingress: string[]; egress: string[] };
  /** remote security groups */
  referenced: string[];
  /** address groups */
  addressGroups: string[];
}

export const groupsPart = (rules: SgRule[], ethertype: 'IPv4' | 'IPv6', hasMembers: (g: string) => boolean, hasAddressGroup: (id: string) => boolean = () => false): GroupsPart => ({
  translated: translatedRules(rules, ethertype, hasMembers, hasAddressGroup),
  referenced: remotesWithMembers(rules, ethertype, hasMembers),
  addressGroups: addressGroupsNamed(rules, ethertype, hasAddressGroup),
});

/** A filtered port's three chains of one family, and the remote groups and address groups whose sets they match. */
export function portChainObjects(
  p: FirewallInput['ports'][number], ethertype: 'IPv4' | 'IPv6', part: GroupsPart,
): { chains: IptChain[]; referenced: string[]; addressGroups: string[] } {
  const pc = portChainsOf(p, ethertype, part.translated);
  return {
    chains: [{ name: chainOf('i', p.id), rules: pc.ingress }, { name: chainOf('o', p.id), rules: pc.egress }, { name: chainOf('s', p.id), rules: pc.spoof }],
    referenced: part.referenced,
    addressGroups: part.addressGroups,
  };
}

/** The chains of a host's filter table that do not depend on its ports (there are none without ports). */
export const fixedChains = (): IptChain[] => [
  { name: 'INPUT', rules: [`-j ${PREFIX}INPUT`] },
  { name: 'FORWARD', rules: ['-j neutron-filter-top', `-j ${PREFIX}FORWARD`] },
  { name: 'OUTPUT', rules: ['-j neutron-filter-top', `-j ${PREFIX}OUTPUT`] },
  { name: 'neutron-filter-top', shared: true, rules: [`-j ${PREFIX}local`] },
  { name: `${PREFIX}local`, rules: [] },
  { name: `${PREFIX}OUTPUT`, rules: [] },
];

/** The chains that carry every filtered port's jumps (the ports' portHooks, in port order), sg-chain's accept and sg-fallback's drop. */
export const hookChains = (forward: string[], input: string[], sgChain: string[]): IptChain[] => [
  { name: `${PREFIX}FORWARD`, rules: forward },
  { name: `${PREFIX}INPUT`, rules: input },
  { name: `${PREFIX}sg-chain`, rules: [...sgChain, '-j ACCEPT'] },
  { name: `${PREFIX}sg-fallback`, rules: [`-m comment --comment "Default drop rule for unmatched traffic." -j DROP`] },
];

/** The raw table of one family while stateless ports are here: PREROUTING's jump and the wrapped chain of their CT --notrack rules. */
export const rawTable = (family: 'ipv4' | 'ipv6', rules: string[]): IptTable | undefined =>
  rules.length ? { family, table: 'raw', chains: [{ name: 'PREROUTING', rules: [`-j ${PREFIX}PREROUTING`] }, { name: `${PREFIX}PREROUTING`, rules }] } : undefined;

/**
 * The security-group firewall of one host (spec/security-groups.md §5–§8):
 * the hooks into INPUT/FORWARD/OUTPUT via the wrapped chains, per filtered
 * port its i/o/s chains and jumps, sg-chain ending in ACCEPT, sg-fallback's
 * drop, and one ipset per (remote group, ethertype) and per (address group, ethertype) that rules refer to.
 * Nothing at all when the host has no ports.
 */
export function firewallDesired(input: FirewallInput): HostState {
  if (!input.ports.length) return hostState();
  const ports = [...input.ports].sort((a, b) => ordinal(a.id, b.id));
  const iptables: IptTable[] = [];
  const ipsets: IpSet[] = [];
  for (const [ethertype, family, setFamily] of FAMILIES) {
    const referenced = new Set<string>();
    const named = new Set<string>();
    const hasMembers = (g: string) => input.membersOf(g, ethertype).length > 0;
    const hasAddressGroup = (id: string) => input.addressesOf?.(id, ethertype) !== undefined;
    const chains: IptChain[] = fixedChains();
    const forward: string[] = [];
    const inputRules: string[] = [];
    const sgChain: string[] = [];
    for (const p of ports) {
      const hooks = portHooks(p);
      forward.push(...hooks.forward);
      inputRules.push(...hooks.input);
      sgChain.push(...hooks.sgChain);
      if (!p.portSecurity) continue;
      const rules = p.groups.flatMap((g) => input.rulesOf(g));
      const pc = portChainObjects(p, ethertype, groupsPart(rules, ethertype, hasMembers, hasAddressGroup));
      for (const g of pc.referenced) referenced.add(g);
      for (const a of pc.addressGroups) named.add(a);
      chains.push(...pc.chains);
    }
    chains.push(...hookChains(forward, inputRules, sgChain));
    iptables.push({ family, table: 'filter', chains });
    const raw = rawTable(family, ports.flatMap((p) => notrackRules(p, ethertype)));
    if (raw) iptables.push(raw);
    for (const g of [...referenced].sort()) {
      ipsets.push({ name: ipsetOf(ethertype, g), type: 'hash:net', family: setFamily, members: [...new Set(input.membersOf(g, ethertype))].sort() });
    }
    for (const a of [...named].sort()) {
      ipsets.push({ name: ipsetOf(ethertype, a), type: 'hash:net', family: setFamily, members: addressGroupMembers(input.addressesOf!(a, ethertype)!, ethertype) });
    }
  }
  return hostState({ iptables, ipsets });
}
