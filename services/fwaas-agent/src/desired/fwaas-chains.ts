import type { IptChain, IptTable } from '@neutrino/dataplane';
import { FWAAS_DEFAULT_CHAIN, L3_FORWARD_CHAIN, fwaasChainName } from '@neutrino/naming';
import type { FirewallRule } from '@neutrino/domain';

/** One group's part of a router's firewall: what it filters, on which `qr-` devices (`qr-+`: all of the router's). */
export interface GroupPlan {
  id: string;
  /** the qr- devices of its ports in this router, sorted */
  devices: string[];
  adminUp: boolean;
  /** the policies' rules in policy order; null: that direction has no policy and is not filtered */
  ingress: FirewallRule[] | null;
  egress: FirewallRule[] | null;
}

const TARGET: Record<FirewallRule['action'], (v: 4 | 6) => string> = {
  allow: () => '-j ACCEPT',
  deny: () => '-j DROP',
  reject: (v) => `-j REJECT --reject-with ${v === 4 ? 'icmp-port-unreachable' : 'icmp6-port-unreachable'}`,
};
/** An address as iptables-save prints it: a host gets its /32 (/128). */
const addr = (a: string, v: 4 | 6) => (a.includes('/') ? a : `${a}/${v === 4 ? 32 : 128}`);

/**
 * One enabled rule as its iptables line (spec/fwaas.md §5 rule 4): `-s`, `-d`, `-p` with
 * `-m tcp`/`-m udp`, `--sport`, `--dport`, the target; protocol "any" omits `-p` and ports.
 */
export function ruleLine(r: FirewallRule): string {
  const v = r.ip_version;
  const parts: string[] = [];
  if (r.source_ip_address) parts.push(`-s ${addr(r.source_ip_address, v)}`);
  if (r.destination_ip_address) parts.push(`-d ${addr(r.destination_ip_address, v)}`);
  if (r.protocol) {
    const proto = r.protocol === 'icmp' && v === 6 ? 'ipv6-icmp' : r.protocol;
    parts.push(`-p ${proto}`);
    if (r.protocol === 'tcp' || r.protocol === 'udp') {
      parts.push(`-m ${r.protocol}`);
      if (r.source_port) parts.push(`--sport ${r.source_port}`);
      if (r.destination_port) parts.push(`--dport ${r.destination_port}`);
    }
  }
  parts.push(TARGET[r.action](v));
  return parts.join(' ');
}

const STATEFUL = ['-m state --state INVALID -j DROP', '-m state --state RELATED,ESTABLISHED -j ACCEPT'];
const linesOf = (rules: FirewallRule[], v: 4 | 6) => rules.filter((r) => r.enabled && r.ip_version === v).map(ruleLine);

/**
 * The firewall chains of one router namespace for one family (spec/fwaas.md §5): per group an
 * ingress chain (`-o <qr>`, toward the instances) and an egress chain (`-i <qr>`), each opening
 * with the INVALID drop and the RELATED,ESTABLISHED accept and then one line per enabled rule in
 * policy order; after every group's jumps, the jumps of each filtered direction to `fwaas-defau`,
 * the implicit deny. An admin-down group keeps only the default drop, both ways. IPv4 jumps go
 * into the l3-agent's `neutron-l3-agent-FORWARD` (shared by rule); IPv6 ones into ip6tables'
 * FORWARD itself (the l3-agent writes no ip6tables).
 */
export function firewallTable(netns: string, version: 4 | 6, groups: GroupPlan[]): IptTable | undefined {
  const live = groups.filter((g) => g.devices.length).sort((a, b) => a.id.localeCompare(b.id));
  if (!live.length) return undefined;
  const jumps: string[] = [];
  const defaults: string[] = [];
  const chains: IptChain[] = [];
  for (const g of live) {
    const ingress = g.adminUp ? g.ingress : [];
    const egress = g.adminUp ? g.egress : [];
    if (ingress) {
      if (g.adminUp) {
        const name = fwaasChainName('i', version, g.id);
        chains.push({ name, rules: [...STATEFUL, ...linesOf(ingress, version)] });
        for (const d of g.devices) jumps.push(`-o ${d} -j ${name}`);
      }
      for (const d of g.devices) defaults.push(`-o ${d} -j ${FWAAS_DEFAULT_CHAIN}`);
    }
    if (egress) {
      if (g.adminUp) {
        const name = fwaasChainName('o', version, g.id);
        chains.push({ name, rules: [...STATEFUL, ...linesOf(egress, version)] });
        for (const d of g.devices) jumps.push(`-i ${d} -j ${name}`);
      }
      for (const d of g.devices) defaults.push(`-i ${d} -j ${FWAAS_DEFAULT_CHAIN}`);
    }
  }
  // golden order: the group chains' jumps (-o then -i), then the default drops (-o then -i)
  const byDir = (xs: string[]) => [...xs.filter((x) => x.startsWith('-o')), ...xs.filter((x) => x.startsWith('-i'))];
  const hook = [...byDir(jumps), ...byDir(defaults)];
  const head: IptChain = version === 4 ? { name: L3_FORWARD_CHAIN, shared: true, rules: hook } : { name: 'FORWARD', rules: hook };
  return { netns, family: version === 4 ? 'ipv4' : 'ipv6', table: 'filter', chains: [head, { name: FWAAS_DEFAULT_CHAIN, rules: ['-j DROP'] }, ...chains] };
}
