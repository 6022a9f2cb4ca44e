import { applyChanges, dataOf, type EventLike } from '../common/evolve';
import type { SubnetPool } from './model';

/** The subnet pool after one event of evt.subnetpool.<id>. Allocations and prefix removals leave the revision alone (as in Zed). */
export function evolveSubnetPool(view: SubnetPool | undefined, e: EventLike): SubnetPool | undefined {
  switch (e.type) {
    case 'subnetpool.created':
      return structuredClone(dataOf(e, 'subnetpool.created').subnetpool);
    case 'subnetpool.updated':
      return view && applyChanges(view, dataOf(e, 'subnetpool.updated').changes, e.at);
    case 'subnetpool.prefixes_removed':
      return view && { ...view, prefixes: [...dataOf(e, 'subnetpool.prefixes_removed').prefixes] };
    case 'subnetpool.prefix_allocated': {
      const d = dataOf(e, 'subnetpool.prefix_allocated');
      return view && { ...view, allocations: { ...view.allocations, [d.subnet_id]: { cidr: d.cidr, project_id: d.project_id, at: d.at } } };
    }
    case 'subnetpool.prefix_released': {
      if (!view) return view;
      const allocations = { ...view.allocations };
      delete allocations[dataOf(e, 'subnetpool.prefix_released').subnet_id];
      return { ...view, allocations };
    }
    case 'subnetpool.deleted':
      return undefined;
    case 'subnetpool.rbac_added':
      return view && { ...view, rbac: [...(view.rbac ?? []), dataOf(e, 'subnetpool.rbac_added').entry] };
    case 'subnetpool.rbac_updated': {
      const d = dataOf(e, 'subnetpool.rbac_updated');
      return view && { ...view, rbac: (view.rbac ?? []).map((r) => (r.id === d.policy_id ? { ...r, target_tenant: d.target_tenant } : r)) };
    }
    case 'subnetpool.rbac_removed':
      return view && { ...view, rbac: (view.rbac ?? []).filter((r) => r.id !== dataOf(e, 'subnetpool.rbac_removed').policy_id) };
    default:
      return view;
  }
}
