export interface LedgerData {
  seq: number;
  allocations: Array<{ key: string; owner: string; allocation?: { type: string; data: Record<string, unknown>; at: number } }>;
}

/**
 * The allocations recorded on one ipam subject (a subnet's addresses, a
 * network's MACs, a segment range): who holds each key, and the stream
 * sequence of the last event applied, which is the expected sequence of the
 * next append on that subject.
 */
export class Ledger {
  readonly owners = new Map<string, string>();
  /** The allocation event of each key (its data and when it happened), to release it later. */
  readonly allocations = new Map<string, { type: string; data: Record<string, unknown>; at: number }>();
  seq = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private waiters: Array<{ seq: number; resolve: () => void }> = [];

  constructor(readonly subject: string) {}

  /** Runs fn after every earlier exclusive section on this ledger has finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  apply(seq: number, kind: 'allocated' | 'released', key: string, owner: string, allocation?: { type: string; data: Record<string, unknown>; at: number }): void {
    if (seq <= this.seq) return;
    if (kind === 'allocated') {
      this.owners.set(key, owner);
      if (allocation) this.allocations.set(key, allocation);
    } else if (this.owners.get(key) === owner) {
      this.owners.delete(key);
      this.allocations.delete(key);
    }
    this.seq = seq;
    this.waiters = this.waiters.filter((w) => (w.seq <= seq ? (w.resolve(), false) : true));
  }

  /** The ledger as plain data (a snapshot's part). */
  toJSON(): LedgerData {
    return { seq: this.seq, allocations: [...this.owners].map(([key, owner]) => ({ key, owner, allocation: this.allocations.get(key) })) };
  }

  static fromJSON(subject: string, d: LedgerData): Ledger {
    const l = new Ledger(subject);
    for (const a of d.allocations) {
      l.owners.set(a.key, a.owner);
      if (a.allocation) l.allocations.set(a.key, a.allocation);
    }
    l.seq = d.seq;
    return l;
  }

  reset(): void {
    this.owners.clear();
    this.allocations.clear();
    this.seq = 0;
  }

  /** Resolves when the ledger has applied seq, or after timeoutMs (false). */
  reached(seq: number, timeoutMs: number): Promise<boolean> {
    if (seq <= this.seq) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== entry);
        resolve(false);
      }, timeoutMs);
      const entry = { seq, resolve: () => (clearTimeout(timer), resolve(true)) };
      this.waiters.push(entry);
    });
  }
}
