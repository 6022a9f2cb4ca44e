import type { AgentRecord } from '@neutrino/domain';
import type { EventStore, Follower, StoredEvent } from '@neutrino/events';
import { SeqWaiters } from '@neutrino/projection';

export interface RegisteredAgent {
  record: AgentRecord;
  /** stream sequence of the last event on evt.agent.<id> */
  seq: number;
}

/** The agents the log knows (agent.registered / agent.updated / agent.deleted), kept in memory: they are few. */
export class AgentRegistry {
  readonly agents = new Map<string, RegisteredAgent>();
  private follower?: Follower;
  private applied = 0;
  private readonly waiters = new SeqWaiters();

  constructor(private readonly store: EventStore) {}

  async start(): Promise<void> {
    this.applied = await this.store.replay({ filter: 'evt.agent.>' }, (e) => this.apply(e));
    this.follower = this.store.follow({ fromSeq: this.applied + 1, filter: 'evt.agent.>' }, (batch) => {
      for (const e of batch) this.apply(e);
    });
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
    this.waiters.rejectAll(new Error('agent registry stopped'));
  }

  waitFor(seq: number): Promise<void> {
    return seq <= this.applied ? Promise.resolve() : this.waiters.wait(seq, 10_000, () => `agent registry did not reach ${seq}`);
  }

  private apply(e: StoredEvent): void {
    const id = e.aggregate.id;
    const d = e.data as { agent?: AgentRecord; changes?: Partial<AgentRecord> };
    if (e.type === 'agent.registered' && d.agent) this.agents.set(id, { record: d.agent, seq: e.seq });
    else if (e.type === 'agent.updated' && this.agents.has(id)) this.agents.set(id, { record: { ...this.agents.get(id)!.record, ...d.changes }, seq: e.seq });
    else if (e.type === 'agent.deleted') this.agents.delete(id);
    this.applied = e.seq;
    this.waiters.release(e.seq);
  }
}
