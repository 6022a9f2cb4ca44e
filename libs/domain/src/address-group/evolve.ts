import { applyChanges, dataOf, type EventLike } from '../common/evolve';
import type { AddressGroup } from './model';

/** Zed bumps the revision once per address row added or removed. */
const withAddresses = (g: AddressGroup, addresses: string[], changed: number, at: string): AddressGroup => ({
  ...g, addresses, revision_number: g.revision_number + changed, updated_at: at,
});

/** The address group after one event of evt.address_group.<id>. */
export function evolveAddressGroup(view: AddressGroup | undefined, e: EventLike): AddressGroup | undefined {
  switch (e.type) {
    case 'address_group.created':
      return structuredClone(dataOf(e, 'address_group.created').address_group);
    case 'address_group.updated':
      return view && applyChanges(view, dataOf(e, 'address_group.updated').changes, e.at);
    case 'address_group.deleted':
      return undefined;
    case 'address_group.addresses_added': {
      const added = dataOf(e, 'address_group.addresses_added').addresses;
      return view && withAddresses(view, [...view.addresses, ...added.filter((a) => !view.addresses.includes(a))], added.length, e.at);
    }
    case 'address_group.addresses_removed': {
      const gone = new Set(dataOf(e, 'address_group.addresses_removed').addresses);
      return view && withAddresses(view, view.addresses.filter((a) => !gone.has(a)), gone.size, e.at);
    }
    case 'address_group.rule_joined': {
      const d = dataOf(e, 'address_group.rule_joined');
      return view && { ...view, rules: { ...(view.rules ?? {}), [d.rule_id]: d.project_id } };
    }
    case 'address_group.rule_left': {
      if (!view) return view;
      const rules = { ...(view.rules ?? {}) };
      delete rules[dataOf(e, 'address_group.rule_left').rule_id];
      return { ...view, rules };
    }
    case 'address_group.rbac_added':
      return view && { ...view, rbac: [...(view.rbac ?? []), dataOf(e, 'address_group.rbac_added').entry] };
    case 'address_group.rbac_updated': {
      const d = dataOf(e, 'address_group.rbac_updated');
      return view && { ...view, rbac: (view.rbac ?? []).map((r) => (r.id === d.policy_id ? { ...r, target_tenant: d.target_tenant } : r)) };
    }
    case 'address_group.rbac_removed':
      return view && { ...view, rbac: (view.rbac ?? []).filter((r) => r.id !== dataOf(e, 'address_group.rbac_removed').policy_id) };
    default:
      return view;
  }
}
