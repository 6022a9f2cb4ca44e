import { hostState, type HostState, type IpSet, type IptChain, type IptTable } from '@neutrino/dataplane';
import { PREFIX, chainOf, ipsetOf, type FirewallInput, type SgRule } from './firewall-model';
import { portChains, portHooks } from './port-chains';

const FAMILIES = [
  ['IPv4', 'ipv4', 'inet'],
  ['IPv6', 'ipv6', 'inet6'],
] as const;

/** A port's chains of one family, kept while what they are made of is the same (port, rules, which remote groups have members). */
export type PortChainCache = Map<string, { key: string; chains: IptChain[]; referenced: string[] }>;

export function cachedPortChains(cache: PortChainCache | undefined, p: FirewallInput['ports'][number], rules: SgRule[], ethertype: 'IPv4' | 'IPv6', hasMembers: (g: string) => boolean) {
  const remotes = [...new Set(rules.filter((r) => r.ethertype === ethertype && r.remote_group_id).map((r) => r.remote_group_id!))].sort();
  const withMembers = remotes.filter(hasMembers);
  // rules are immutable but for their description (not rendered): their ids stand for them
  const pairs = p.allowedPairs.map((a) => `${a.ip_address}=${a.mac_address ?? ''}`).join(',');
  const key = [p.mac, p.fixedIps.join(','), pairs, p.portSecurity, p.groups.join(','), p.dhcpServers.join(','), rules.map((r) => r.id).join(','), withMembers.join(',')].join('|');
  const id = `${ethertype}/${p.id}`;
  const hit = cache?.get(id);
  if (hit && hit.key === key) return hit;
  const pc = portChains(p, rules, ethertype, hasMembers);
  const entry = {
    key,
    chains: [{ name: chainOf('i', p.id), rules: pc.ingress }, { name: chainOf('o', p.id), rules: pc.egress }, { name: chainOf('s', p.id), rules: pc.spoof }],
    referenced: withMembers,
  };
  cache?.set(id, entry);
  return entry;
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

/**
 * The security-group firewall of one host (spec/security-groups.md §5–§8):
 * the hooks into INPUT/FORWARD/OUTPUT via the wrapped chains, per filtered
 * port its i/o/s chains and jumps, sg-chain ending in ACCEPT, sg-fallback's
 * drop, and one ipset per (remote group, ethertype) that rules refer to.
 * Nothing at all when the host has no ports.
 */
export function firewallDesired(input: FirewallInput, cache?: PortChainCache): HostState {
  if (cache) {
    const here = new Set(input.ports.map((p) => p.id));
    for (const id of cache.keys()) if (!here.has(id.slice(id.indexOf('/') + 1))) cache.delete(id);
  }
  if (!input.ports.length) return hostState();
  const ports = [...input.ports].sort((a, b) => a.id.localeCompare(b.id));
  const iptables: IptTable[] = [];
  const ipsets: IpSet[] = [];
  for (const [ethertype, family, setFamily] of FAMILIES) {
    const referenced = new Set<string>();
    const hasMembers = (g: string) => input.membersOf(g, ethertype).length > 0;
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
      const pc = cachedPortChains(cache, p, rules, ethertype, hasMembers);
      for (const g of pc.referenced) referenced.add(g);
      chains.push(...pc.chains);
    }
    chains.push(...hookChains(forward, inputRules, sgChain));
    iptables.push({ family, table: 'filter', chains });
    for (const g of [...referenced].sort()) {
      ipsets.push({ name: ipsetOf(ethertype, g), type: 'hash:net', family: setFamily, members: [...new Set(input.membersOf(g, ethertype))].sort() });
    }
  }
  return hostState({ iptables, ipsets });
}
