import type { Route } from './types';
import type { Ownership } from './ownership';
import { ownsLink } from './ownership';

/** A route is ours when it is in a namespace we own or goes through a device we own. */
export const ownsRoute = (o: Ownership, r: Route, netnsOwned: boolean): boolean =>
  netnsOwned || (r.dev !== undefined && ownsLink(o, r.dev));
