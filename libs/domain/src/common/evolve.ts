import type { CoreEventData, CoreEventType } from '../events';
import type { Timestamps } from '../model';

/** A stored event as the read model sees it: type, envelope time, data (a StoredEvent fits). */
export interface EventLike {
  type: string;
  at: string;
  data: unknown;
}

/** The data of an event whose type has been checked. */
export const dataOf = <K extends CoreEventType>(event: EventLike, _type: K): CoreEventData[K] =>
  event.data as CoreEventData[K];

/** *.updated: apply the changed attributes, bump revision_number, set updated_at. */
export function applyChanges<T extends Timestamps>(view: T, changes: Partial<T>, at: string): T {
  return { ...view, ...structuredClone(changes), revision_number: view.revision_number + 1, updated_at: at };
}

/** A change elsewhere that Neutron counts as a change of this resource (e.g. a subnet of a network). */
export const bumpRevision = <T extends Timestamps>(view: T, at: string): T => ({
  ...view,
  revision_number: view.revision_number + 1,
  updated_at: at,
});
