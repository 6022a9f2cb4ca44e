import type { EventStore, Follower, StoredEvent } from '@neutrino/events';
import { evolveInstance, type InstanceRecord } from '@neutrino/metadata';

export const INSTANCE_FILTER = 'evt.instance.>';

/** The instance records, folded from evt.instance.<id> (replayed at start, then followed). */
export class InstanceBook {
  readonly instances = new Map<string, InstanceRecord>();
  private applied = 0;
  private follower?: Follower;

  constructor(private readonly store: EventStore) {}

  get appliedSeq(): number {
    return this.applied;
  }

  apply(e: Pick<StoredEvent, 'type' | 'data' | 'aggregate' | 'seq'>): void {
    const next = evolveInstance(this.instances.get(e.aggregate.id), e);
    if (next) this.instances.set(e.aggregate.id, next);
    else this.instances.delete(e.aggregate.id);
    this.applied = Math.max(this.applied, e.seq);
  }

  async start(): Promise<void> {
    const head = await this.store.lastSeq();
    await this.store.replay({ fromSeq: 1, filter: INSTANCE_FILTER, untilSeq: head }, (e) => this.apply(e));
    this.applied = Math.max(this.applied, head);
    this.follower = this.store.follow({ fromSeq: this.applied + 1, filter: INSTANCE_FILTER }, (batch) => {
      for (const e of batch) this.apply(e);
    });
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
  }

  /** Read-your-writes: resolves once the book has applied `seq`. */
  async caughtUp(seq: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.applied < seq) {
      if (Date.now() > deadline) throw new Error(`instance records did not reach seq ${seq} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  get(id: string): InstanceRecord | undefined {
    return this.instances.get(id);
  }
}
