/**
 * Floating IP port forwarding in a router namespace, the way Neutron's l3 agent port_forwarding
 * extension renders it (neutron/agent/l3/extensions/port_forwarding.py): the floating address on
 * the qg- device, `neutron-l3-agent-PREROUTING` → `neutron-l3-agent-fip-pf` → one chain per
 * forwarding with its DNAT. Pure: plan from the view's floating IPs, rules from the plan.
 */
import type { IptChain } from '@neutrino/dataplane';
import type { FloatingIp } from '@neutrino/domain';
import { portRangeBounds } from '@neutrino/domain';
import { PF_DEFAULT_CHAIN, pfChainName } from '@neutrino/naming';

export interface PlannedPortForwarding {
  id: string;
  floatingipId: string;
  floatingIp: string;
  protocol: string;
  internalIp: string;
  /** `--dport`: a port or `start:end` */
  externalPorts: string;
  /** after `--to-destination <ip>:`: a port, or `start-end` with the external start as the N-N offset base */
  internalPorts: string;
}

/** The protocols with ports iptables can match (`-m <proto> --dport`); Neutron's rule for icmp would not load. */
const WITH_PORTS = new Set(['tcp', 'udp', 'sctp', 'dccp']);

/** extract_ports: external `a:b`, internal `c-d` with `/a` when both are ranges (port a+i → c+i). */
export function extractPorts(internalRange: string, externalRange: string): { externalPorts: string; internalPorts: string } {
  const [is, ie] = portRangeBounds(internalRange);
  const [es, ee] = portRangeBounds(externalRange);
  const externalPorts = es === ee ? `${es}` : `${es}:${ee}`;
  const internalPorts = is === ie ? `${is}` : `${is}-${ie}${es === ee ? '' : `/${es}`}`;
  return { externalPorts, internalPorts };
}

/** The forwardings of a router's floating IPs (IPv4 addresses, protocols with ports), by id. */
export function planPortForwardings(fips: FloatingIp[]): PlannedPortForwarding[] {
  const out: PlannedPortForwarding[] = [];
  for (const f of fips) {
    if (f.floating_ip_address.includes(':')) continue;
    for (const pf of f.port_forwardings ?? []) {
      if (!WITH_PORTS.has(pf.protocol)) continue;
      out.push({ id: pf.id, floatingipId: f.id, floatingIp: f.floating_ip_address, protocol: pf.protocol, internalIp: pf.internal_ip_address, ...extractPorts(pf.internal_port_range, pf.external_port_range) });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export const pfRule = (p: PlannedPortForwarding): string =>
  `-d ${p.floatingIp}/32 -p ${p.protocol} -m ${p.protocol} --dport ${p.externalPorts} -j DNAT --to-destination ${p.internalIp}:${p.internalPorts}`;

/** The nat chains of a router's forwardings: none without any (Neutron installs `fip-pf` with the first). */
export function portForwardingNat(pfs: PlannedPortForwarding[]): { prerouting: string[]; chains: IptChain[] } {
  if (!pfs.length) return { prerouting: [], chains: [] };
  return {
    prerouting: [`-j ${PF_DEFAULT_CHAIN}`],
    chains: [{ name: PF_DEFAULT_CHAIN, rules: pfs.map((p) => `-j ${pfChainName(p.id)}`) }, ...pfs.map((p) => ({ name: pfChainName(p.id), rules: [pfRule(p)] }))],
  };
}

/** The floating addresses the forwardings answer on (on the qg- device). */
export const pfAddresses = (pfs: PlannedPortForwarding[]): string[] => [...new Set(pfs.map((p) => p.floatingIp))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));

/** One (floating address, internal address) pair per forwarded mapping: the DNATed flows the FORWARD guard lets pass. */
export function pfMappings(pfs: PlannedPortForwarding[]): Array<{ floatingIp: string; internalIp: string }> {
  const seen = new Map<string, { floatingIp: string; internalIp: string }>();
  for (const p of pfs) seen.set(`${p.floatingIp} ${p.internalIp}`, { floatingIp: p.floatingIp, internalIp: p.internalIp });
  return [...seen.values()];
}
