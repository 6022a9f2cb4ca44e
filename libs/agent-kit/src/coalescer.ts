/**
 * Runs a job once per burst of triggers: a trigger while the job runs makes
 * exactly one more run afterwards, and a trigger waits `delayMs` first so a
 * burst of events becomes one reconcile.
 */
export class Coalescer {
  private running = false;
  private pending = false;
  private timer?: NodeJS.Timeout;
  private idle: Array<() => void> = [];

  constructor(
    private readonly job: () => Promise<void>,
    private readonly delayMs = 10,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  trigger(): void {
    this.pending = true;
    if (this.running || this.timer) return;
    this.timer = setTimeout(() => void this.run(), this.delayMs);
  }

  /** Resolves when no run is pending or in progress. */
  settled(): Promise<void> {
    if (!this.running && !this.pending && !this.timer) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    while (this.pending) {
      this.pending = false;
      try {
        await this.job();
      } catch (err) {
        this.onError(err);
      }
    }
    this.running = false;
    for (const r of this.idle.splice(0)) r();
  }
}
