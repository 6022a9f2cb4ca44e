import type { Report } from '@neutrino/agent-kit';
import type { ReconcileResult } from '@neutrino/dataplane';
import { decideProvisioned, decideProvisioningFailed, decideTornDown, type CoreEvent } from '@neutrino/domain';
import type { LbPlan } from '../desired/lbaas-desired';
import type { LbaasView } from '../view/lbaas-view';

/** A decided event as the runner's report, at the load balancer subject's last sequence the view knows. */
export const asReport = (view: LbaasView, lbId: string, e: CoreEvent | null): Report[] =>
  e ? [{ aggregate: { type: 'loadbalancer', id: lbId }, type: e.type, data: e.data, expectedSubjectSeq: view.lastSeq.get(lbId) ?? 0 }] : [];

/**
 * After a reconcile, through the domain's deciders: each load balancer whose
 * objects it applied without error is provisioned at the version it rendered;
 * one HAProxy refused (or whose changes failed) is provisioning_failed; one
 * being deleted is torn down once the host converged without it.
 */
export function lbaasReports(view: LbaasView, plans: LbPlan[], result: ReconcileResult): Report[] {
  const out: Report[] = [];
  const failedFor = (id: string) => result.applied.errors.filter((e) => JSON.stringify(e.changes).includes(id)).map((e) => e.message);
  for (const plan of plans) {
    if (plan.waiting) continue;
    const tree = view.trees.get(plan.id);
    const errors = failedFor(plan.id);
    if (plan.refused) out.push(...asReport(view, plan.id, decideProvisioningFailed(tree, view.host, plan.version, plan.refused)));
    else if (errors.length) out.push(...asReport(view, plan.id, decideProvisioningFailed(tree, view.host, plan.version, errors.join('; '))));
    else out.push(...asReport(view, plan.id, decideProvisioned(tree, view.host, plan.version)));
  }
  if (!result.applied.failed) {
    for (const tree of view.hosted()) {
      if (tree.loadbalancer.provisioning_status === 'PENDING_DELETE') out.push(...asReport(view, tree.loadbalancer.id, decideTornDown(tree, view.host)));
    }
  }
  return out;
}
