import type { Report } from '@neutrino/agent-kit';
import { isDesiredObjects, linkKey, type Change, type DesiredObjects, type HostState, type ReconcileResult } from '@neutrino/dataplane';
import type { Network } from '@neutrino/domain';
import type { L2View } from '../view/l2-view';
import { tapName } from '@neutrino/naming';

/** The binding a port wired here reports, per mechanism (Neutron's ML2 mechanism drivers: linuxbridge, openvswitch with the hybrid plug). */
export const VIF_BINDINGS = {
  linuxbridge: { vifType: 'bridge', vifDetails: { port_filter: true } },
  openvswitch: { vifType: 'ovs', vifDetails: { ovs_hybrid_plug: true, port_filter: true } },
} as const;

/** The binding of a port on a network the host's mechanism cannot wire (ML2: no mechanism driver could bind it). */
export const BINDING_FAILED = 'binding_failed';

/**
 * A port bound here is ACTIVE once its tap is really wired into its bridge
 * (the tap exists and no change for it failed), DOWN otherwise — reported as
 * a port.updated fact carrying the new status and the binding details. A
 * port on a network this host's mechanism cannot wire (`canWire` false: a
 * VLAN network on LinuxBridge, a physical network without a mapping) is
 * refused: DOWN with `binding:vif_type=binding_failed`, as ML2 leaves it.
 */
export function portStatusReports(
  view: L2View, desired: HostState | DesiredObjects, result: ReconcileResult, vif: (typeof VIF_BINDINGS)[keyof typeof VIF_BINDINGS] = VIF_BINDINGS.linuxbridge,
  canWire: (n: Network) => boolean = () => true,
): Report[] {
  const links = isDesiredObjects(desired) ? undefined : new Set(desired.links.map((l) => linkKey(l)));
  const wanted = { has: (key: string) => (links ? links.has(key) : isDesiredObjects(desired) && desired.objects.has(`link:${key}`)) };
  const broken = new Set(result.unresolved.map((u) => u.key));
  for (const err of result.applied.errors) for (const c of err.changes) broken.add(changeKey(c));
  const reports: Report[] = [];
  for (const p of view.localPorts()) {
    const n = view.networks.get(p.network_id);
    if (n && !canWire(n)) {
      if (p.status === 'DOWN' && p['binding:vif_type'] === BINDING_FAILED) continue;
      reports.push({ aggregate: { type: 'port', id: p.id }, type: 'port.updated', data: { changes: { status: 'DOWN', 'binding:vif_type': BINDING_FAILED, 'binding:vif_details': {} } } });
      continue;
    }
    const key = linkKey({ name: tapName(p.id) });
    const wired = wanted.has(key) && !broken.has(key);
    const status = wired && p.admin_state_up ? 'ACTIVE' : 'DOWN';
    const changes: Record<string, unknown> = { status };
    if (wired && p['binding:vif_type'] !== vif.vifType) {
      changes['binding:vif_type'] = vif.vifType;
      changes['binding:vif_details'] = { ...vif.vifDetails };
    }
    if (p.status === status && Object.keys(changes).length === 1) continue;
    reports.push({ aggregate: { type: 'port', id: p.id }, type: 'port.updated', data: { changes } });
  }
  return reports;
}

/** The link a failed change was about (link.add carries the link, link.set its name). */
function changeKey(c: Change): string {
  if (c.kind === 'link.add') return linkKey(c.link);
  if (c.kind === 'link.set' || c.kind === 'link.del') return linkKey({ netns: c.netns || undefined, name: c.name });
  return '';
}
