import { hostState, type HostState, type IptTable } from '@neutrino/dataplane';
import { isV1Firewall, type FirewallGroup, type FirewallRule, type FirewallState } from '@neutrino/domain';
import { L3_FORWARD_CHAIN, qrName, routerNetns } from '@neutrino/naming';
import type { FwaasView } from '../view/fwaas-view';
import { firewallTable, type GroupPlan } from './fwaas-chains';

/** The rules of a policy in order (null: no policy, that direction is not filtered). */
const rulesOf = (s: FirewallState, policyId: string | null): FirewallRule[] | null =>
  policyId ? (s.policies[policyId]?.firewall_rules ?? []).map((id) => s.rules[id]).filter((r): r is FirewallRule => !!r) : null;

/** What a router's firewall is made of: each group with ports in it, at the version it was planned from. */
export interface RouterFirewall {
  routerId: string;
  netns: string;
  groups: Array<GroupPlan & { version: number }>;
}

export function routerFirewalls(view: FwaasView, netnsPrefix: string): RouterFirewall[] {
  const s = view.firewall;
  const groups = Object.values(s.groups);
  return view.routers().map((routerId) => {
    const ports = new Set(view.portsOf(routerId));
    const plans = groups
      .map((g: FirewallGroup) => ({
        id: g.id,
        version: g.config_version,
        // a v1 firewall filters every interface of its routers (`qr-+`, the seed's golden form); a v2 group its ports'
        devices: isV1Firewall(g) ? (g.router_ids.includes(routerId) ? ['qr-+'] : []) : g.ports.filter((p) => ports.has(p)).map(qrName).sort(),
        adminUp: g.admin_state_up,
        ingress: rulesOf(s, g.ingress_firewall_policy_id),
        egress: rulesOf(s, g.egress_firewall_policy_id),
      }))
      .filter((g) => g.devices.length);
    return { routerId, netns: routerNetns(routerId, netnsPrefix), groups: plans };
  });
}

/**
 * The fwaas-agent's desired dataplane: in every router namespace on this host the filter
 * tables of its firewall groups (IPv4 and IPv6), nothing else. The namespaces are named so
 * they are observed (a router without a firewall any more gets its old chains removed);
 * they are the l3-agent's (ownership: the fwaas-agent owns no namespace).
 */
export function fwaasDesired(routers: RouterFirewall[]): HostState {
  const iptables: IptTable[] = [];
  for (const r of routers) {
    // FORWARD's jump to the shared chain counts as a rule of each agent sharing it: both want it, always
    // (were it left out while a router has no firewall, this agent would remove the l3-agent's jump)
    const v4 = firewallTable(r.netns, 4, r.groups) ?? { netns: r.netns, family: 'ipv4', table: 'filter', chains: [{ name: L3_FORWARD_CHAIN, shared: true, rules: [] }] };
    iptables.push({ ...v4, chains: [{ name: 'FORWARD', rules: [`-j ${L3_FORWARD_CHAIN}`] }, ...v4.chains] });
    const v6 = firewallTable(r.netns, 6, r.groups);
    if (v6) iptables.push(v6);
  }
  return hostState({ namespaces: routers.map((r) => ({ name: r.netns })), iptables });
}
