import type { IptChain } from './types';
import { isBuiltinChain, ruleComment, ruleTarget } from './rules';
import type { IptTableName } from './types';

/**
 * What an agent owns on a host. Only owned objects are ever changed or deleted;
 * everything else (other programs' devices, chains, rules, sets) is left alone.
 */
export interface Ownership {
  /** namespaces we create (`qdhcp-`, `qrouter-` …) */
  netnsPrefixes: string[];
  /** devices we create (`brq`, `vxlan-`, `ns-` …); `lo` is never owned */
  linkPrefixes: string[];
  /** chains we own and rewrite whole (`neutron-linuxbri-`) */
  chainPrefixes: string[];
  /** chains matching chainPrefixes that belong to another agent all the same (the fwaas-agent's in a router namespace) */
  excludedChainPrefixes?: string[];
  /** chains shared with other agents: jumps to them are ours, their own rules are managed one by one */
  sharedChains?: string[];
  /** ipsets we own (`NIPv4`, `NIPv6`) */
  ipsetPrefixes: string[];
  /** a rule in a foreign chain whose comment starts with this is ours (besides jumps to our chains) */
  ruleComment?: string;
}

/** Neutron's names (spec/l2.md §8, security-groups.md §4/§8): for one agent per host. */
export const NEUTRON_OWNERSHIP: Ownership = {
  netnsPrefixes: ['qdhcp-', 'qrouter-', 'qlbaas-', 'snat-', 'fip-'],
  linkPrefixes: ['brq', 'tap', 'vxlan-', 'ns-', 'qr-', 'qg-', 'ha-', 'sg-', 'fg-', 'rfp-', 'fpr-', 'qfb'],
  chainPrefixes: ['neutron-'],
  ipsetPrefixes: ['NIPv4', 'NIPv6'],
};

const hasPrefix = (name: string, prefixes: string[]) => prefixes.some((p) => name.startsWith(p));

export const ownsNetns = (o: Ownership, name: string): boolean => hasPrefix(name, o.netnsPrefixes);
export const ownsLink = (o: Ownership, name: string): boolean => name !== 'lo' && hasPrefix(name, o.linkPrefixes);
export const ownsIpset = (o: Ownership, name: string): boolean => hasPrefix(name, o.ipsetPrefixes);
export const isSharedChain = (o: Ownership, name: string): boolean => (o.sharedChains ?? []).includes(name);

/** A chain we rewrite whole. */
export const ownsChain = (o: Ownership, name: string, table: IptTableName): boolean =>
  !isBuiltinChain(table, name) && !isSharedChain(o, name) && hasPrefix(name, o.chainPrefixes) && !hasPrefix(name, o.excludedChainPrefixes ?? []);

/** A rule in a chain we don't own is ours when it jumps to one of our (or shared) chains, or carries our comment. */
export function ownsRule(o: Ownership, rule: string, table: IptTableName): boolean {
  const target = ruleTarget(rule);
  if (target && (ownsChain(o, target, table) || isSharedChain(o, target))) return true;
  const comment = ruleComment(rule);
  return !!o.ruleComment && comment !== undefined && comment.startsWith(o.ruleComment);
}

/** What observe reports for a chain: all rules of ours, only our rules of others'. */
export function projectChain(o: Ownership, table: IptTableName, chain: IptChain): IptChain {
  if (ownsChain(o, chain.name, table)) return { name: chain.name, rules: [...chain.rules], owned: true };
  return { name: chain.name, rules: chain.rules.filter((r) => ownsRule(o, r, table)), owned: false };
}
