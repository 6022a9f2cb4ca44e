import type { EventStore, Follower, StoredEvent } from '@neutrino/events';

/**
 * Which ports and networks exist, from the log: the owners of allocations.
 * An allocation whose owner does not exist (the gateway died between asking
 * ipam and appending the port, or between deleting the port and releasing)
 * is an orphan the reaper gives back.
 */
export class OwnerRegistry {
  readonly ports = new Set<string>();
  readonly networks = new Set<string>();
  private followers: Follower[] = [];

  constructor(private readonly store: EventStore) {}

  async start(): Promise<void> {
    for (const kind of ['port', 'network'] as const) {
      const last = await this.store.replay({ filter: `evt.${kind}.>` }, (e) => this.apply(e));
      this.followers.push(this.store.follow({ fromSeq: last + 1, filter: `evt.${kind}.>` }, (batch) => batch.forEach((e) => this.apply(e))));
    }
  }

  async stop(): Promise<void> {
    for (const f of this.followers) await f.stop();
  }

  private apply(e: StoredEvent): void {
    const set = e.aggregate.type === 'port' ? this.ports : this.networks;
    if (e.type.endsWith('.created')) set.add(e.aggregate.id);
    else if (e.type.endsWith('.deleted')) set.delete(e.aggregate.id);
  }
}
