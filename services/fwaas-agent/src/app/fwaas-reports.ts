import type { Report } from '@neutrino/agent-kit';
import type { ReconcileResult } from '@neutrino/dataplane';
import { FIREWALL_AGGREGATE_ID, firewallDecider } from '@neutrino/domain';
import type { RouterFirewall } from '../desired/fwaas-desired';
import type { FwaasView } from '../view/fwaas-view';

/**
 * After a reconcile, through the domain's decider: each group whose chains this host
 * rendered is applied at the version it was planned from, unless a change for its router
 * namespace failed. Appended at the firewall subject's sequence the view knows (a report
 * decided on a stale state loses the race and is decided again after the newer event).
 */
export function fwaasReports(view: FwaasView, routers: RouterFirewall[], result: ReconcileResult): Report[] {
  const failed = new Set(result.applied.errors.flatMap((e) => routers.filter((r) => JSON.stringify(e.changes).includes(r.netns)).map((r) => r.routerId)));
  const versions = new Map<string, number>();
  for (const r of routers) {
    if (failed.has(r.routerId)) continue;
    for (const g of r.groups) versions.set(g.id, g.version);
  }
  for (const r of routers) if (failed.has(r.routerId)) for (const g of r.groups) versions.delete(g.id);
  const out: Report[] = [];
  for (const [groupId, version] of [...versions].sort()) {
    for (const e of firewallDecider.decide({ type: 'ReportApplied', group_id: groupId, host: view.host, version }, view.firewall)) {
      out.push({ aggregate: { type: 'firewall', id: FIREWALL_AGGREGATE_ID }, type: e.type, data: e.data, expectedSubjectSeq: view.lastSeq });
    }
  }
  return out;
}
