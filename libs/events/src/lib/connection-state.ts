import { Events, type NatsConnection } from 'nats';

/**
 * Tracks whether the connection is up. While the client is reconnecting, the
 * nats.js outbound buffer is discarded on reconnect, so a request sent then
 * is lost and only ends in a timeout; callers wait here for the reconnect
 * instead. Also fans a reconnect out to listeners.
 */
export class ConnectionState {
  private up = true;
  private waiters: Array<() => void> = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly nc: NatsConnection) {
    void this.watch();
  }

  get connected(): boolean {
    return this.up && !this.nc.isClosed();
  }

  onReconnect(fn: () => void): void {
    this.listeners.add(fn);
  }

  /** Resolves when connected (at once if so), or after timeoutMs anyway. */
  whenConnected(timeoutMs: number): Promise<void> {
    if (this.connected || this.nc.isClosed()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  private async watch(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === Events.Disconnect) this.up = false;
      if (s.type === Events.Reconnect) {
        this.up = true;
        for (const w of this.waiters.splice(0)) w();
        for (const fn of this.listeners) fn();
      }
    }
    for (const w of this.waiters.splice(0)) w();
  }
}
