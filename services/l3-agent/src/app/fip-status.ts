import type { Report } from '@neutrino/agent-kit';
import type { ReconcileResult } from '@neutrino/dataplane';
import type { L3View } from '../view/l3-view';
import type { ServedFip } from './served-fips';

/**
 * Floating IPs configured on a router here are ACTIVE once the reconcile that
 * configured them went through; one this host served before and no longer
 * does (disassociated, its router gone or moved) is DOWN — unless another
 * router of this host serves it now.
 */
export function fipStatusReports(view: L3View, served: Map<string, ServedFip>, before: Map<string, ServedFip>, result: ReconcileResult): Report[] {
  const reports: Report[] = [];
  const ok = result.applied.failed === 0;
  const activeIds = new Set([...served.values()].map((f) => f.id));
  const report = (id: string, status: string) => {
    const f = view.floatingIps.get(id);
    if (f && f.status !== status) reports.push({ aggregate: { type: 'floatingip', id }, type: 'floatingip.updated', data: { changes: { status } } });
  };
  if (ok) for (const id of [...activeIds].sort()) report(id, 'ACTIVE');
  const gone = new Set<string>();
  for (const f of before.values()) if (!activeIds.has(f.id)) gone.add(f.id);
  for (const f of view.floatingIps.values()) if (!activeIds.has(f.id) && f.router_id && view.isHere(f.router_id) && !f.port_id) gone.add(f.id);
  for (const id of [...gone].sort()) report(id, 'DOWN');
  return reports;
}
