import { applyChanges, dataOf, type EventLike } from '../common/evolve';
import type { AddressScope } from './model';

/** The address scope after one event of evt.address_scope.<id>. */
export function evolveAddressScope(view: AddressScope | undefined, e: EventLike): AddressScope | undefined {
  switch (e.type) {
    case 'address_scope.created':
      return structuredClone(dataOf(e, 'address_scope.created').address_scope);
    case 'address_scope.updated':
      return view && applyChanges(view, dataOf(e, 'address_scope.updated').changes, e.at);
    case 'address_scope.deleted':
      return undefined;
    case 'address_scope.rbac_added':
      return view && { ...view, rbac: [...(view.rbac ?? []), dataOf(e, 'address_scope.rbac_added').entry] };
    case 'address_scope.rbac_updated': {
      const d = dataOf(e, 'address_scope.rbac_updated');
      return view && { ...view, rbac: (view.rbac ?? []).map((r) => (r.id === d.policy_id ? { ...r, target_tenant: d.target_tenant } : r)) };
    }
    case 'address_scope.rbac_removed':
      return view && { ...view, rbac: (view.rbac ?? []).filter((r) => r.id !== dataOf(e, 'address_scope.rbac_removed').policy_id) };
    case 'address_scope.pool_joined': {
      const d = dataOf(e, 'address_scope.pool_joined');
      return view && { ...view, pools: { ...(view.pools ?? {}), [d.subnetpool_id]: [...d.prefixes] } };
    }
    case 'address_scope.pool_left': {
      if (!view) return view;
      const pools = { ...(view.pools ?? {}) };
      delete pools[dataOf(e, 'address_scope.pool_left').subnetpool_id];
      return { ...view, pools };
    }
    default:
      return view;
  }
}
