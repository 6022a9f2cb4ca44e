import type { Decider, Evolvable } from './decider';
import { NeutronError } from './errors';
import type { CoreEvent } from './events';

/** The error a decision is expected to throw: Neutron's status, type and (when given) message. */
export interface ExpectedError {
  status: number;
  type: string;
  message?: string;
}

const AT = '2026-01-01T00:00:00Z';

/**
 * given/when/then for a decider (Emmett's DeciderSpecification):
 * `given(events, facts).when(command).then(events | error)`. The given events
 * are folded with `evolve` from `initialState()`; `facts` are the read-model
 * facts the state carries besides the aggregate (ports on a network, the
 * router's interfaces...). `then` returns what was decided so a spec can look
 * closer; it throws an assertion error with both sides when they differ.
 */
export function deciderSpec<C, S, E extends CoreEvent>(decider: Decider<C, S, E>) {
  return {
    given(events: E[] = [], facts: Partial<S> = {}) {
      let state: S = { ...decider.initialState(), ...facts };
      for (const e of events) state = decider.evolve(state, { ...e, at: AT } as Evolvable<E>);
      return {
        state,
        when(command: C) {
          const run = (): { events?: E[]; error?: unknown } => {
            try {
              return { events: decider.decide(command, state) };
            } catch (error) {
              return { error };
            }
          };
          return {
            then(expected: E[] | ExpectedError): E[] {
              const got = run();
              if (Array.isArray(expected)) {
                if (got.error) throw new Error(`expected events ${JSON.stringify(expected)}, the decision threw ${describe(got.error)}`);
                if (!sameJson(got.events, expected)) throw new Error(`expected events ${JSON.stringify(expected)}\n     got ${JSON.stringify(got.events)}`);
                return got.events!;
              }
              const e = got.error;
              if (!(e instanceof NeutronError)) throw new Error(`expected ${JSON.stringify(expected)}, got ${e ? describe(e) : `events ${JSON.stringify(got.events)}`}`);
              const actual = { status: e.status, type: e.type, ...(expected.message === undefined ? {} : { message: e.message }) };
              if (!sameJson(actual, expected)) throw new Error(`expected ${JSON.stringify(expected)}\n     got ${JSON.stringify(actual)}`);
              return [];
            },
          };
        },
      };
    },
  };
}

const describe = (e: unknown) => (e instanceof NeutronError ? `${e.status} ${e.type}: ${e.message}` : String(e));

/** Structural equality of JSON-like values (key order ignored). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
