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
    default:
      return view;
  }
}
