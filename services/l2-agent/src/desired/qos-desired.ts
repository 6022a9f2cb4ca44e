import { chainObjectKey, linkKey, restrictState, tcKey, type DeviceTc, type HostState, type IptChain, type IptTable, type Link, type ObjectKey, type TcTbf } from '@neutrino/dataplane';
import { effectiveQosPolicyId, type Network, type Port, type QosPolicy } from '@neutrino/domain';
import { L2_CHAIN_PREFIX, qosDscpChainName, qosIfbName, tapName } from '@neutrino/naming';
import type { L2Config } from '../config/l2-config';
import { ordinal } from '../firewall/firewall-model';
import type { L2View } from '../view/l2-view';
import { wireable } from './l2-desired';

/** Neutron's [QOS] options: kernel_hz (the tbf's smallest bucket is rate/HZ) and tbf_latency (ms). */
export const KERNEL_HZ = 250;
export const TBF_LATENCY_MS = 50;
/** qos_consts.DEFAULT_BURST_RATE: a rule's burst when it gives none, of max_kbps. */
export const DEFAULT_BURST_RATE = 0.8;
/** The mangle chain the ports' DSCP jumps hang off (iptables_manager's wrapped POSTROUTING). */
export const QOS_POSTROUTING = `${L2_CHAIN_PREFIX}POSTROUTING`;

/** What one port's QoS policy puts on the host: its tap's (and ifb's) traffic control, its DSCP chain and jump. */
export interface PortQos {
  links: Link[];
  tc: DeviceTc[];
  /** the port's mangle chain (both families) */
  dscpChain?: IptChain;
  /** its jump in QOS_POSTROUTING */
  dscpHook?: string;
}

const burstKbit = (maxKbps: number, maxBurstKbps: number) => (maxBurstKbps ? maxBurstKbps : maxKbps * DEFAULT_BURST_RATE);

/**
 * A rule's shaper. Neutron's linuxbridge driver polices traffic from the VM
 * (`tc filter … basic police rate <max_kbps>kbit burst <burst>kbit`) and
 * shapes traffic to it with a root tbf (rate max_kbps·1024/8 B/s, burst
 * max(rate/HZ, burst)). This kernel has no police action, so traffic from the
 * VM is redirected to an ifb and shaped there with the police's rate and
 * burst; a tbf's bucket is never below the default burst (a bucket smaller
 * than a packet would pass nothing).
 */
export function tbfFor(direction: 'egress' | 'ingress', maxKbps: number, maxBurstKbps: number): TcTbf {
  const burst = burstKbit(maxKbps, maxBurstKbps);
  if (direction === 'egress') return { rate: Math.round((maxKbps * 1000) / 8), burst: Math.round((burst * 1000) / 8), latencyMs: TBF_LATENCY_MS };
  const kbit = Math.max(maxKbps / KERNEL_HZ, burst);
  return { rate: Math.round((maxKbps * 1024) / 8), burst: Math.round((kbit * 1024) / 8), latencyMs: TBF_LATENCY_MS };
}

const hex = (mark: number) => `0x${mark.toString(16).padStart(2, '0')}`;

/** The port's QoS objects from its effective policy (its own, else its network's unless the network owns the port). */
export function portQos(p: Port, network: Network | undefined, policies: ReadonlyMap<string, QosPolicy>): PortQos {
  const tap = tapName(p.id);
  const id = effectiveQosPolicyId(p, network);
  const rules = (id && policies.get(id)?.rules) || [];
  const out: PortQos = { links: [], tc: [] };
  const tapTc: DeviceTc = { dev: tap, root: null, redirectIngressTo: null };
  for (const r of rules) {
    if (r.type === 'bandwidth_limit' && r.direction === 'ingress') tapTc.root = tbfFor('ingress', r.max_kbps, r.max_burst_kbps);
    if (r.type === 'bandwidth_limit' && r.direction === 'egress') {
      const ifb = qosIfbName(p.id);
      out.links.push({ name: ifb, kind: 'ifb', up: true });
      out.tc.push({ dev: ifb, root: tbfFor('egress', r.max_kbps, r.max_burst_kbps), redirectIngressTo: null });
      tapTc.redirectIngressTo = ifb;
    }
    if (r.type === 'dscp_marking') {
      const chain = qosDscpChainName(p.id);
      out.dscpChain = { name: chain, rules: [`-j DSCP --set-dscp ${hex(r.dscp_mark)}`] };
      out.dscpHook = `-m physdev --physdev-in ${tap} --physdev-is-bridged -j ${chain}`;
    }
  }
  // always desired, so a limit that goes is removed (a tap with none is observed as none)
  out.tc.push(tapTc);
  return out;
}

const MANGLE: Record<'ipv4' | 'ipv6', IptTable> = { ipv4: { family: 'ipv4', table: 'mangle', chains: [] }, ipv6: { family: 'ipv6', table: 'mangle', chains: [] } };

/** A port's QoS objects by key (its ifb, tc entries and DSCP chain of both families). */
export function portQosObjects(q: PortQos): Array<[ObjectKey, unknown]> {
  const out: Array<[ObjectKey, unknown]> = [];
  for (const l of q.links) out.push([`link:${linkKey(l)}`, l]);
  for (const t of q.tc) out.push([`tc:${tcKey(t)}`, t]);
  if (q.dscpChain) for (const t of Object.values(MANGLE)) out.push([chainObjectKey(t, q.dscpChain.name), { table: t, chain: q.dscpChain }]);
  return out;
}

/** The host's mangle hooks: POSTROUTING → QOS_POSTROUTING → each marking port's chain (in port order), while any port marks. */
export function qosHookObjects(hooks: string[]): Array<[ObjectKey, unknown]> {
  if (!hooks.length) return [];
  const out: Array<[ObjectKey, unknown]> = [];
  for (const t of Object.values(MANGLE)) {
    out.push([chainObjectKey(t, 'POSTROUTING'), { table: t, chain: { name: 'POSTROUTING', rules: [`-j ${QOS_POSTROUTING}`] } }]);
    out.push([chainObjectKey(t, QOS_POSTROUTING), { table: t, chain: { name: QOS_POSTROUTING, rules: [...hooks] } }]);
  }
  return out;
}

/** The whole QoS part of the host's desired state (what the kept objects' QoS part always equals). */
export function qosDesired(view: L2View, cfg: L2Config): HostState {
  const objects: Array<[ObjectKey, unknown]> = [];
  const hooks: string[] = [];
  for (const p of view.wiredPorts().sort((a, b) => ordinal(a.id, b.id))) {
    const n = view.networks.get(p.network_id);
    if (!n || !wireable(n, cfg)) continue;
    const q = portQos(p, n, view.qosPolicies);
    objects.push(...portQosObjects(q));
    if (q.dscpHook) hooks.push(q.dscpHook);
  }
  objects.push(...qosHookObjects(hooks));
  const m = new Map(objects);
  return restrictState(m, new Set(m.keys()));
}
