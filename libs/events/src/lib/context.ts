import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import type { ConnectionState } from './connection-state';
import type { UpcasterRegistry } from './upcasters';

/** Something that must re-establish its server-side state after a reconnect. */
export interface Resettable {
  reset(): void;
}

/** What the EventStore shares with its readers, followers and helpers. */
export interface StoreContext {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly stream: string;
  /** The stream is replicated (a cluster): single messages are read from its leader (direct-get.ts). */
  readonly leaderReads: boolean;
  readonly upcasters: UpcasterRegistry;
  /** Live readers; each is reset when the connection comes back after a drop. */
  readonly resettables: Set<Resettable>;
  /** Whether the connection is up; lets requests wait out a reconnect. */
  readonly conn: ConnectionState;
  /** Reports a non-fatal background problem (default: console.warn). */
  warn(message: string, err?: unknown): void;
}
