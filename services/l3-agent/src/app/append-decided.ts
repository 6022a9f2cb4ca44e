import { ConcurrencyError, subjectOf, type EventStore, type StoredEvent } from '@neutrino/events';

/**
 * How the l3-agent's probes write through the domain: read the aggregate's
 * subject, let the domain decide on that state, append with the subject's
 * last sequence as the expected one; on a conflict (someone appended in
 * between) read and decide again, a bounded number of times. Returns whether
 * something was appended.
 */
export async function appendDecided(
  store: EventStore,
  actor: { user_id: string; project_id: null; roles: string[] },
  aggregate: { type: string; id: string },
  decide: (events: StoredEvent[]) => Array<{ type: string; data: unknown }> | null,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const events = await store.readSubject(subjectOf(aggregate));
    const decided = decide(events);
    if (!decided?.length) return false;
    try {
      await store.append(decided.map((d) => ({ ...d, aggregate, actor, request_id: null, causation_id: null })), { expectedSubjectSeq: events.at(-1)?.seq ?? 0 });
      return true;
    } catch (err) {
      if (!(err instanceof ConcurrencyError) || attempt >= 5) throw err;
    }
  }
}
