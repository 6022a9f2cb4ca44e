import type { EventLike } from './common/evolve';
import type { CoreEvent } from './events';

/**
 * An aggregate's whole contract (Emmett's Decider): `decide` turns a command
 * and the current state into events or throws a NeutronError (policy,
 * invariants); `evolve` folds an event into the state; `initialState` is the
 * state before any event. Pure — the state a decider gets is data: the
 * aggregate's value plus the facts of other aggregates its invariants are
 * checked against, loaded by the caller.
 */
export interface Decider<Command, State, Event extends CoreEvent = CoreEvent> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event & Pick<EventLike, 'at'>): State;
  initialState(): State;
}

/** The `at` of the events a decider's evolve sees (the envelope's time). */
export type Evolvable<E extends CoreEvent> = E & Pick<EventLike, 'at'>;
