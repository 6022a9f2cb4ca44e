import { PREFIX, chainOf, ordinal, type FirewalledPort, type SgRule } from './firewall-model';
import { translateRule } from './rule-translation';
import { tapName } from '@neutrino/naming';
import { linkLocalAddress } from '@neutrino/netaddr';

const c = (text: string) => `-m comment --comment "${text}"`;
const FALLBACK = `${c('Send unmatched traffic to the fallback chain.')} -j ${PREFIX}sg-fallback`;
const isV6 = (ip: string) => ip.includes(':');
const host = (ip: string) => (ip.includes('/') ? ip : `${ip}/${isV6(ip) ? 128 : 32}`);

/** IPv6 link-local address of a MAC (EUI-64), allowed by the v6 spoof chain. */
const linkLocal = (mac: string): string => `${linkLocalAddress(mac)}/128`;

export interface PortChains {
  ingress: string[];
  egress: string[];
  spoof: string[];
}

const STATE = ['-m state --state INVALID -j DROP', '-m state --state RELATED,ESTABLISHED -j RETURN'];
const ICMP6_IN = [130, 131, 132, 135, 136].map((t) => `-p ipv6-icmp -m icmp6 --icmpv6-type ${t} -j RETURN`);
const RA_DROP = `-p ipv6-icmp -m icmp6 --icmpv6-type 134 ${c('Drop IPv6 Router Advts from VM Instance.')} -j DROP`;
const DHCP6_OUT = `-p udp -m udp --sport 546 --dport 547 ${c('Allow DHCP client traffic.')} -j RETURN`;
const DHCP6_SPOOF = `-p udp -m udp --sport 547 --dport 546 ${c('Prevent DHCP Spoofing by VM.')} -j DROP`;
const DHCP4_OUT = `-p udp -m udp --sport 68 --dport 67 ${c('Allow DHCP client traffic.')} -j RETURN`;
const DHCP4_SPOOF = `-p udp -m udp --sport 67 --dport 68 ${c('Prevent DHCP Spoofing by VM.')} -j DROP`;
const SPOOF_DROP = `${c('Drop traffic without an IP/MAC allow rule.')} -j DROP`;
const dedupe = (xs: string[]) => [...new Set(xs)];

/** A port's group rules of one family as the argument strings of its ingress and egress chains (the same for every port with those groups). */
export function translatedRules(
  rules: SgRule[], family: 'IPv4' | 'IPv6', hasMembers: (g: string) => boolean, hasAddressGroup: (id: string) => boolean = () => false,
): { ingress: string[]; egress: string[] } {
  const out = { ingress: [] as string[], egress: [] as string[] };
  if (!rules.length) return out;
  const mine = rules.filter((r) => r.ethertype === family).sort((a, b) => ordinal(a.id, b.id));
  for (const r of mine) {
    const t = translateRule(r, hasMembers, hasAddressGroup);
    if (t !== null && (r.direction === 'ingress' || r.direction === 'egress')) out[r.direction].push(t);
  }
  return { ingress: dedupe(out.ingress), egress: dedupe(out.egress) };
}

/** The three chains of one filtered port for one family, in the order of spec §6.2, from its groups' rules translated (translatedRules). */
export function portChainsOf(p: FirewalledPort, family: 'IPv4' | 'IPv6', translated: { ingress: string[]; egress: string[] }): PortChains {
  const v6 = family === 'IPv6';
  const ingress = [...STATE];
  if (v6) ingress.push(...ICMP6_IN);
  else for (const s of p.dhcpServers) if (!isV6(s)) ingress.push(`-s ${host(s)} -p udp -m udp --sport 67 --dport 68 -j RETURN`);
  ingress.push(...translated.ingress, FALLBACK);

  const toSpoof = `-j ${chainOf('s', p.id)}`;
  const egress = v6 ? [RA_DROP, '-p ipv6-icmp -j RETURN', DHCP6_OUT, toSpoof, DHCP6_SPOOF] : [DHCP4_OUT, toSpoof, DHCP4_SPOOF];
  egress.push(...STATE, ...translated.egress, FALLBACK);

  const mac = p.mac.toUpperCase();
  const spoof: string[] = [];
  const allow = (ip: string, m: string) => spoof.push(`-s ${ip} -m mac --mac-source ${m} -j RETURN`);
  for (const ip of p.fixedIps) if (isV6(ip) === v6) allow(host(ip), mac);
  if (v6) allow(linkLocal(p.mac), mac);
  for (const pair of p.allowedPairs) if (isV6(pair.ip_address) === v6) allow(host(pair.ip_address), (pair.mac_address || p.mac).toUpperCase());
  const out = dedupe(spoof);
  out.push(SPOOF_DROP);
  return { ingress, egress, spoof: out };
}

/**
 * A stateless port's raw-table rules of one family (Neutron's "Make <dev> stateless" CT --notrack
 * jumps): what it sends (physdev-in its tap) and what is sent to its addresses on its bridge go
 * untracked, so no RELATED,ESTABLISHED rule lets a reply in — its groups' rules must.
 */
export function notrackRules(p: FirewalledPort, family: 'IPv4' | 'IPv6'): string[] {
  if (!p.stateless || !p.portSecurity || !p.bridge) return [];
  const tap = tapName(p.id);
  const notrack = `${c(`Make ${tap.slice(3)} stateless`)} -j CT --notrack`;
  const v6 = family === 'IPv6';
  const addrs = dedupe([...p.fixedIps, ...p.allowedPairs.map((a) => a.ip_address)].filter((ip) => isV6(ip) === v6).map(host));
  return [`-m physdev --physdev-in ${tap} ${notrack}`, ...addrs.map((a) => `-d ${a} -i ${p.bridge} ${notrack}`)];
}

/** The port's jumps: into sg-chain from FORWARD, into its egress chain from INPUT; or plain accepts without port security. */
export function portHooks(p: FirewalledPort) {
  const tap = tapName(p.id);
  const out = `-m physdev --physdev-out ${tap} --physdev-is-bridged`;
  const inn = `-m physdev --physdev-in ${tap} --physdev-is-bridged`;
  if (!p.portSecurity) {
    const accept = `${c('Accept all packets when port security is disabled.')} -j ACCEPT`;
    return { forward: [`${out} ${accept}`, `${inn} ${accept}`], input: [`${inn} ${accept}`], sgChain: [] as string[] };
  }
  return {
    forward: [`${out} -j ${PREFIX}sg-chain`, `${inn} -j ${PREFIX}sg-chain`],
    input: [`${inn} -j ${chainOf('o', p.id)}`],
    sgChain: [`${out} -j ${chainOf('i', p.id)}`, `${inn} -j ${chainOf('o', p.id)}`],
  };
}
