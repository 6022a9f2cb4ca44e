/**
 * "One default subnet pool per IP version" (default-subnetpools), decided on
 * one subject per version: evt.subnetpool.<defaultPoolSubject(version)> holds
 * which pool is the default. A pool becoming the default claims it there
 * first (refused while another pool holds it and is still the default), then
 * records is_default on its own subject; a pool that stops being the default
 * (update, delete, or a refused change) gives the claim back.
 */
import { uuid5 } from '../common/name-uuid';
import type { Decider } from '../decider';
import { invalidInput } from '../errors';
import type { CoreEvent } from '../events';

const NAMESPACE = '8a0e7c1d-5f3b-4e2a-9c6d-1b7f4a2e9d30';
export const defaultPoolSubject = (version: 4 | 6): string => uuid5(NAMESPACE, `default-subnetpool-ipv${version}`);
export const isDefaultPoolSubject = (id: string): 4 | 6 | undefined =>
  id === defaultPoolSubject(4) ? 4 : id === defaultPoolSubject(6) ? 6 : undefined;

export type DefaultPoolEvent = CoreEvent<'subnetpool.default_claimed' | 'subnetpool.default_released'>;

export type DefaultPoolCommand =
  | { type: 'ClaimDefaultPool'; ip_version: 4 | 6; subnetpool_id: string }
  | { type: 'ReleaseDefaultPool'; ip_version: 4 | 6; subnetpool_id: string };

export interface DefaultPoolState {
  /** The pool holding the claim (null: none). */
  holder: string | null;
  /** Is that pool still the default (a claim left by a crash, or by a pool since deleted, is free). */
  stillDefault: (poolId: string) => boolean;
}

export const defaultExists = () =>
  invalidInput('A default subnetpool for this IP family has already been set. Only one default may exist per IP family');

function decide(command: DefaultPoolCommand, s: DefaultPoolState): DefaultPoolEvent[] {
  switch (command.type) {
    case 'ClaimDefaultPool':
      if (s.holder === command.subnetpool_id) return [];
      if (s.holder && s.stillDefault(s.holder)) throw defaultExists();
      return [{ type: 'subnetpool.default_claimed', data: { ip_version: command.ip_version, subnetpool_id: command.subnetpool_id } }];
    case 'ReleaseDefaultPool':
      if (s.holder !== command.subnetpool_id) return [];
      return [{ type: 'subnetpool.default_released', data: { ip_version: command.ip_version, subnetpool_id: command.subnetpool_id } }];
  }
}

/** The holder after one event of the subject. */
export function evolveDefaultPool(holder: string | null, e: { type: string; data: unknown }): string | null {
  const d = e.data as { subnetpool_id: string };
  if (e.type === 'subnetpool.default_claimed') return d.subnetpool_id;
  if (e.type === 'subnetpool.default_released') return holder === d.subnetpool_id ? null : holder;
  return holder;
}

export const defaultPoolDecider: Decider<DefaultPoolCommand, DefaultPoolState, DefaultPoolEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, holder: evolveDefaultPool(state.holder, event) }),
  initialState: () => ({ holder: null, stillDefault: () => false }),
};
