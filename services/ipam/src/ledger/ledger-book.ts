import { randomUUID } from 'node:crypto';
import { ConcurrencyError, SnapshottedState, type EventActor, type EventStore, type NewEvent, type SnapshotState, type StoredEvent } from '@neutrino/events';
import { Ledger, type LedgerData } from './ledger';

/** What an ipam event says, whatever it allocates. */
interface LedgerFact {
  kind: 'allocated' | 'released';
  key: string;
  owner: string;
}

/** Reads the key and owner out of ip.*, mac.* and segment.* events. */
export function factOf(e: StoredEvent): LedgerFact | null {
  const d = e.data as Record<string, any>;
  const kind = e.type.endsWith('.allocated') ? 'allocated' : e.type.endsWith('.released') ? 'released' : null;
  if (!kind) return null;
  if (e.type.startsWith('ip.')) return { kind, key: d.ip_address, owner: d.port_id };
  if (e.type.startsWith('mac.')) return { kind, key: d.mac_address, owner: d.port_id };
  if (e.type.startsWith('segment.')) return { kind, key: String(d.segmentation_id ?? 'flat'), owner: d.network_id };
  return null;
}

export interface LedgerAppend {
  type: string;
  data: Record<string, unknown>;
  actor: EventActor;
  request_id: string | null;
}

const MAX_ATTEMPTS = 25;

/**
 * Every ipam ledger of the log, kept current by following evt.ipam.>. An
 * allocation is an append with the ledger's sequence as the expected last
 * subject sequence: when another replica got there first the append fails,
 * the ledger catches up and the choice is made again.
 */
export class LedgerBook implements SnapshotState<Record<string, LedgerData>> {
  readonly snapshotName = 'ipam.ledgers';
  readonly filter = 'evt.ipam.>';
  private readonly ledgers = new Map<string, Ledger>();
  private readonly kept: SnapshottedState<Record<string, LedgerData>>;
  conflicts = 0;
  /** Appends that failed without an answer and had to be settled. */
  unknownOutcomes = 0;
  /** How long an append with an unknown outcome is retried (within the stream's 2-minute duplicate window). */
  settleDeadlineMs = 90_000;

  constructor(
    private readonly store: EventStore,
    snapshotEveryMs = 0,
  ) {
    this.kept = new SnapshottedState(store, this, { everyMs: snapshotEveryMs });
  }

  /** Every ledger with its token (the subject's last part). */
  entries(): Array<[string, Ledger]> {
    return [...this.ledgers.entries()].map(([subject, l]) => [subject.slice('evt.ipam.'.length), l]);
  }

  ledger(token: string): Ledger {
    const subject = `evt.ipam.${token}`;
    let l = this.ledgers.get(subject);
    if (!l) this.ledgers.set(subject, (l = new Ledger(subject)));
    return l;
  }

  /** Restores the latest snapshot, replays the ipam events after it, then follows the tail; resolves to the events replayed. */
  async start(): Promise<number> {
    return (await this.kept.start()).replayed;
  }

  saveSnapshot(): Promise<number> {
    return this.kept.saveSnapshot();
  }

  async stop(): Promise<void> {
    await this.kept.stop();
  }

  snapshot(): Record<string, LedgerData> {
    const out: Record<string, LedgerData> = {};
    for (const [subject, l] of this.ledgers) out[subject] = l.toJSON();
    return out;
  }

  restore(state: Record<string, LedgerData>): void {
    this.ledgers.clear();
    for (const [subject, d] of Object.entries(state)) this.ledgers.set(subject, Ledger.fromJSON(subject, d));
  }

  /** Applies one ipam event (an event at or below its ledger's sequence is ignored, so a replay after a snapshot is safe). */
  apply(e: StoredEvent): void {
    this.applyEvent(e);
  }

  private applyEvent(e: StoredEvent): void {
    const fact = factOf(e);
    if (!fact) return;
    const token = e.subject.slice('evt.ipam.'.length);
    this.ledger(token).apply(e.seq, fact.kind, fact.key, fact.owner, { type: e.type, data: e.data as Record<string, unknown>, at: Date.parse(e.at) });
  }

  /**
   * Appends the event choose() returns for the ledger's current state, retrying
   * on concurrent appends. choose returns null when nothing can be handed out:
   * the ledger is then brought up to date once before exhaustion is reported.
   */
  async record(token: string, choose: (l: Ledger) => LedgerAppend | null): Promise<LedgerAppend | null> {
    const ledger = this.ledger(token);
    return ledger.exclusive(async () => {
      let refreshed = false;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const next = choose(ledger);
        if (!next) {
          if (refreshed || !(await this.catchUp(ledger))) return null;
          refreshed = true;
          continue;
        }
        // One id per decision: a retry of the same append is deduplicated by the server (Nats-Msg-Id).
        const event: NewEvent = { id: randomUUID(), type: next.type, aggregate: { type: 'ipam', id: token }, actor: next.actor, request_id: next.request_id, causation_id: null, data: next.data };
        const expected = ledger.seq;
        let stored: StoredEvent | null;
        try {
          [stored] = await this.store.append([event], { expectedSubjectSeq: expected });
        } catch (err) {
          // A conflict may be our own earlier attempt (a retry inside append after a lost ack): then it is stored.
          if (err instanceof ConcurrencyError) stored = await this.ownNext(ledger, event, expected);
          else stored = await this.settle(ledger, event, expected, err);
        }
        if (stored) {
          this.applyEvent(stored);
          return next;
        }
        this.conflicts++;
        await this.catchUp(ledger);
      }
      throw new Error(`ipam ledger ${token}: gave up after ${MAX_ATTEMPTS} concurrent-append conflicts`);
    });
  }

  /**
   * An append that failed without an answer (a timeout, a lost connection) may
   * still be stored, or be stored later. Until that is known the choice stays
   * taken: the same append (same id, same expected sequence) is sent again
   * until the server answers — stored (a duplicate ack carries the original's
   * sequence), or a sequence conflict, after which the event that follows the
   * expected sequence tells whether it is ours. Resolves to the stored event,
   * or null when it provably is not stored (and never will be: its expected
   * sequence has passed). Past the deadline the outcome is still unknown and the
   * error is thrown: nothing is released, and the reaper settles an allocation
   * that landed for a port that does not exist.
   */
  private async settle(ledger: Ledger, event: NewEvent, expected: number, first: unknown): Promise<StoredEvent | null> {
    this.unknownOutcomes++;
    const deadline = Date.now() + this.settleDeadlineMs;
    let lastErr = first;
    for (let attempt = 1; Date.now() < deadline; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * 2 ** attempt)));
      try {
        const [stored] = await this.store.append([event], { expectedSubjectSeq: expected });
        return stored;
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) {
          lastErr = err;
          continue;
        }
        try {
          return await this.ownNext(ledger, event, expected);
        } catch (e) {
          lastErr = e;
        }
      }
    }
    throw new Error(`ipam ledger ${ledger.subject}: outcome of ${event.type} ${event.id} still unknown: ${(lastErr as Error)?.message ?? lastErr}`);
  }

  /** The event that follows `expected` on the ledger's subject if it is `event`, else null. */
  private async ownNext(ledger: Ledger, event: NewEvent, expected: number): Promise<StoredEvent | null> {
    const after = await this.store.nextOnSubject(ledger.subject, expected);
    return after && after.id === event.id ? after : null;
  }

  /** Waits until the ledger has applied the subject's last event; true if it was behind. */
  private async catchUp(ledger: Ledger): Promise<boolean> {
    const last = await this.store.subjectLastSeq(ledger.subject);
    if (last <= ledger.seq) return false;
    if (!(await ledger.reached(last, 2000))) {
      // Read what the follower has not delivered yet, from the ledger's own sequence on (the older part may be trimmed).
      await this.store.replay({ filter: ledger.subject, fromSeq: ledger.seq + 1, untilSeq: last }, (e) => this.applyEvent(e));
    }
    return true;
  }
}
