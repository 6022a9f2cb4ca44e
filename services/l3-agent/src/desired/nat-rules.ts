import type { IptChain, IptTable } from '@neutrino/dataplane';
import { FILTER_TOP_CHAIN, L3_CHAIN_PREFIX, L3_FORWARD_CHAIN } from '@neutrino/naming';
import type { RouterPlan } from './router-plan';
import { natExemptions } from '../vpn/strongswan';
import { pfMappings, portForwardingNat } from './port-forwarding';

/** Chain names of spec/l3.md §2.2–§2.3 (the wrap name of Neutron's l3 agent). */
export const L3 = L3_CHAIN_PREFIX;
export const POSTROUTING_BOTTOM = 'neutron-postrouting-bottom';
export const METADATA_PORT = 9697;
const METADATA_IP = '169.254.169.254/32';

export interface NatSettings {
  /** the REDIRECT of 169.254.169.254:80 to the router's metadata proxy, and the filter rules that guard it */
  enableMetadataProxy: boolean;
}

const chain = (name: string, rules: string[]): IptChain => ({ name, rules });

/** The nat table of a router namespace (golden form: spec/l3.md §2.2). */
export function natTable(r: RouterPlan, s: NatSettings): IptTable {
  const gw = r.gateway;
  const pre: string[] = [];
  const out: string[] = [];
  const post: string[] = [];
  const floatSnat: string[] = [];
  const pfChains: IptChain[] = [];
  const snat = [`-j ${L3}float-snat`];
  if (s.enableMetadataProxy) pre.push(`-d ${METADATA_IP} -i qr-+ -p tcp -m tcp --dport 80 -j REDIRECT --to-ports ${METADATA_PORT}`);
  if (gw) {
    for (const f of r.floatingIps) {
      pre.push(`-d ${f.floatingIp}/32 -j DNAT --to-destination ${f.fixedIp}`);
      out.push(`-d ${f.floatingIp}/32 -j DNAT --to-destination ${f.fixedIp}`);
      floatSnat.push(`-s ${f.fixedIp}/32 -j SNAT --to-source ${f.floatingIp}`);
    }
    const forwarding = portForwardingNat(r.portForwardings);
    pre.push(...forwarding.prerouting);
    pfChains.push(...forwarding.chains);
    // VPN: tunnelled traffic is not source-NATed (first, ahead of everything that would SNAT it)
    post.push(...natExemptions(r.vpn));
    if (gw.enableSnat) {
      post.push(`! -i ${gw.dev} ! -o ${gw.dev} -m conntrack ! --ctstate DNAT -j ACCEPT`);
      snat.push(`-o ${gw.dev} -j SNAT --to-source ${gw.address}`);
      snat.push(`-m mark ! --mark 0x2 -m conntrack --ctstate DNAT -j SNAT --to-source ${gw.address}`);
    }
  }
  return {
    netns: r.netns,
    family: 'ipv4',
    table: 'nat',
    chains: [
      chain('PREROUTING', [`-j ${L3}PREROUTING`]),
      chain('OUTPUT', [`-j ${L3}OUTPUT`]),
      chain('POSTROUTING', [`-j ${L3}POSTROUTING`, `-j ${POSTROUTING_BOTTOM}`]),
      chain(`${L3}OUTPUT`, out),
      chain(`${L3}POSTROUTING`, post),
      chain(`${L3}PREROUTING`, pre),
      chain(`${L3}float-snat`, floatSnat),
      chain(`${L3}snat`, snat),
      chain(POSTROUTING_BOTTOM, ['-m comment --comment "Perform source NAT on outgoing traffic." -j neutron-l3-agent-snat']),
      ...pfChains,
    ],
  };
}

/** mangle (spec/l3.md §2.3): mark 0x2 = arrived on the gateway, 0x1 = a metadata request. */
export function mangleTable(r: RouterPlan, s: NatSettings): IptTable {
  const pre = [`-j ${L3}mark`];
  if (s.enableMetadataProxy) pre.push(`-d ${METADATA_IP} -i qr-+ -p tcp -m tcp --dport 80 -j MARK --set-xmark 0x1/0xffffffff`);
  return {
    netns: r.netns,
    family: 'ipv4',
    table: 'mangle',
    chains: [
      chain('PREROUTING', [`-j ${L3}PREROUTING`]),
      chain(`${L3}PREROUTING`, pre),
      chain(`${L3}mark`, r.gateway ? [`-i ${r.gateway.dev} -j MARK --set-xmark 0x2/0xffffffff`] : []),
    ],
  };
}

/**
 * The flows of a router's NAT, kept to the mappings that stand (issue 9; the seeds' OSSN concern about
 * connections that outlive a floating IP): the nat table sees only a connection's first packet, so a
 * connection DNATed to a fixed IP would keep passing after its floating IP moved or went, until
 * conntrack forgets it. In filter FORWARD a DNATed flow passes only while its floating IP still maps
 * to the fixed IP it was sent to, a SNATed one only while its source still leaves by that address
 * (a floating IP's, or the gateway's with SNAT on). The linux driver writes a namespace's filter
 * table before its nat table, so a mapping's flows are cut no later than its rules go; the agent
 * then deletes their conntrack entries. A port forwarding's flows pass while a forwarding of that
 * floating address to that internal address stands.
 */
export function flowGuard(r: RouterPlan): string[] {
  const gw = r.gateway;
  if (!gw) return [];
  const ct = '-m conntrack --ctstate';
  return [
    ...r.floatingIps.map((f) => `${ct} DNAT --ctorigdst ${f.floatingIp} --ctreplsrc ${f.fixedIp} -j RETURN`),
    ...pfMappings(r.portForwardings).map((m) => `${ct} DNAT --ctorigdst ${m.floatingIp} --ctreplsrc ${m.internalIp} -j RETURN`),
    `${ct} DNAT -j DROP`,
    ...r.floatingIps.map((f) => `${ct} SNAT --ctorigsrc ${f.fixedIp} --ctrepldst ${f.floatingIp} -j RETURN`),
    ...(gw.enableSnat ? [`${ct} SNAT --ctrepldst ${gw.address} -j RETURN`] : []),
    `${ct} SNAT -j DROP`,
  ];
}

/**
 * filter (spec/l3.md §2.3, spec/fwaas.md §5): the proxy port is reachable only by redirected
 * (marked) metadata requests; FORWARD passes NATed flows only while their mapping stands
 * (flowGuard, in `neutron-l3-agent-local` behind `neutron-filter-top`, so it sees every packet
 * before a firewall's ACCEPT); `neutron-l3-agent-FORWARD` is made empty, shared by rule with the
 * fwaas-agent, whose jumps to its chains go there (the golden form of spec/fwaas.md §5).
 */
export function filterTable(r: RouterPlan, s: NatSettings): IptTable {
  const guard = flowGuard(r);
  const chains: IptChain[] = [];
  if (s.enableMetadataProxy) chains.push(chain('INPUT', [`-j ${L3}INPUT`]));
  chains.push(chain('FORWARD', [`-j ${FILTER_TOP_CHAIN}`, `-j ${L3_FORWARD_CHAIN}`]));
  chains.push({ name: FILTER_TOP_CHAIN, shared: true, rules: [`-j ${L3}local`] });
  chains.push({ name: L3_FORWARD_CHAIN, shared: true, rules: [] });
  if (s.enableMetadataProxy) chains.push(chain(`${L3}INPUT`, ['-m mark --mark 0x1 -j ACCEPT', `-p tcp -m tcp --dport ${METADATA_PORT} -j DROP`]));
  chains.push(chain(`${L3}local`, guard));
  return { netns: r.netns, family: 'ipv4', table: 'filter', chains };
}
