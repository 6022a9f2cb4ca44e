import { SnapshottedState, type EventStore, type SnapshotState, type StoredEvent } from '@neutrino/events';

type Kind = 'port' | 'network';

/** The ids of one aggregate type that exist, from the log (a snapshot state of its own). */
class LiveIds implements SnapshotState<string[]> {
  readonly ids = new Set<string>();
  readonly snapshotName: string;
  readonly filter: string;

  constructor(kind: Kind) {
    this.snapshotName = `ipam.${kind}s`;
    this.filter = `evt.${kind}.>`;
  }

  apply(e: StoredEvent): void {
    if (e.type.endsWith('.created')) this.ids.add(e.aggregate.id);
    else if (e.type.endsWith('.deleted')) this.ids.delete(e.aggregate.id);
  }

  snapshot(): string[] {
    return [...this.ids];
  }

  restore(ids: string[]): void {
    this.ids.clear();
    for (const id of ids) this.ids.add(id);
  }
}

/**
 * Which ports and networks exist, from the log: the owners of allocations.
 * An allocation whose owner does not exist (the gateway died between asking
 * ipam and appending the port, or between deleting the port and releasing)
 * is an orphan the reaper gives back.
 */
export class OwnerRegistry {
  private readonly portIds = new LiveIds('port');
  private readonly networkIds = new LiveIds('network');
  private readonly states: Array<SnapshottedState<string[]>>;

  constructor(store: EventStore, snapshotEveryMs = 0) {
    this.states = [this.portIds, this.networkIds].map((s) => new SnapshottedState(store, s, { everyMs: snapshotEveryMs }));
  }

  get ports(): ReadonlySet<string> {
    return this.portIds.ids;
  }

  get networks(): ReadonlySet<string> {
    return this.networkIds.ids;
  }

  /** Restores the latest snapshots and replays the tail; resolves to the events replayed. */
  async start(): Promise<number> {
    let replayed = 0;
    for (const s of this.states) replayed += (await s.start()).replayed;
    return replayed;
  }

  async saveSnapshot(): Promise<void> {
    for (const s of this.states) await s.saveSnapshot();
  }

  async stop(): Promise<void> {
    for (const s of this.states) await s.stop();
  }
}
