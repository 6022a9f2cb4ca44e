interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Promises that resolve when a monotonically growing sequence reaches a value. */
export class SeqWaiters {
  private waiters: Waiter[] = [];

  wait(seq: number, timeoutMs: number, describe: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        seq,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(new Error(describe()));
        }, timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  release(reached: number): void {
    if (!this.waiters.length) return;
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.seq <= reached) {
        clearTimeout(w.timer);
        w.resolve();
      } else keep.push(w);
    }
    this.waiters = keep;
  }

  rejectAll(err: Error): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.waiters = [];
  }
}
