/**
 * Read-your-writes across several gateways. A gateway answers a write once its
 * own projection holds it; another gateway's projection may not hold it yet.
 * Before a read, the fence asks the stream for its last sequence — a question
 * sent after the read arrived, so every write answered before that is at or
 * below it — and waits until the projection has applied that far.
 *
 * Reads that arrive together share one question: a read that comes while one
 * is on its way waits for the next, which is sent as soon as that one returns
 * (the one on its way may have been answered before the read's write was
 * stored). So a burst of reads costs about two stream round trips, not one each.
 */
export interface FenceSource {
  /** The stream's last sequence, asked now. */
  lastSeq(): Promise<number>;
}

export interface FenceTarget {
  /** Resolves once everything up to seq is applied. */
  waitFor(seq: number, timeoutMs?: number): Promise<void>;
}

export class ReadFence {
  private inFlight: Promise<number> | null = null;
  private next: Promise<number> | null = null;
  /** Questions sent to the stream (for the benchmark and metrics). */
  asked = 0;

  /**
   * `timeoutMs`: how long the projection may take to reach the head; `retryWindowMs`: how long a
   * question the stream does not answer (a cluster electing a leader) is asked again before pass() fails.
   */
  constructor(
    private readonly source: FenceSource,
    private readonly target: FenceTarget,
    private readonly timeoutMs = 10_000,
    private readonly retryWindowMs = 10_000,
  ) {}

  /** Resolves once the projection holds every event stored before this call; rejects when the stream cannot say. */
  async pass(): Promise<void> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      let head: number;
      try {
        head = await this.head();
      } catch (err) {
        if (Date.now() - started >= this.retryWindowMs) throw err;
        await new Promise((r) => setTimeout(r, Math.min(1_000, 100 * 2 ** attempt)));
        continue;
      }
      return this.target.waitFor(head, this.timeoutMs);
    }
  }

  /** A last sequence asked after this call began. */
  private head(): Promise<number> {
    if (!this.inFlight) return this.ask();
    if (!this.next) {
      const after = this.inFlight.then(
        () => undefined,
        () => undefined,
      );
      this.next = after.then(() => {
        this.next = null;
        return this.ask();
      });
    }
    return this.next;
  }

  private ask(): Promise<number> {
    this.asked++;
    const q = this.source.lastSeq().finally(() => {
      if (this.inFlight === q) this.inFlight = null;
    });
    this.inFlight = q;
    return q;
  }
}
