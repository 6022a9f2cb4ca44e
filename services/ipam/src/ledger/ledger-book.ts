import { ConcurrencyError, SnapshottedState, type EventActor, type EventStore, type SnapshotState, type StoredEvent } from '@neutrino/events';
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
        try {
          const [stored] = await this.store.append(
            [{ type: next.type, aggregate: { type: 'ipam', id: token }, actor: next.actor, request_id: next.request_id, causation_id: null, data: next.data }],
            { expectedSubjectSeq: ledger.seq },
          );
          this.applyEvent(stored);
          return next;
        } catch (err) {
          if (!(err instanceof ConcurrencyError)) throw err;
          this.conflicts++;
          await this.catchUp(ledger);
        }
      }
      throw new Error(`ipam ledger ${token}: gave up after ${MAX_ATTEMPTS} concurrent-append conflicts`);
    });
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
