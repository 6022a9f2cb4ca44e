import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { natsServers, parseList, setting, intSetting } from '@neutrino/config';
import { EventStore } from '@neutrino/events';
import { Metrics, createLogger, type Logger } from '@neutrino/observability';
import { LedgerBook } from '../ledger/ledger-book';
import { OwnerRegistry } from '../ledger/owner-registry';
import { reapOrphans } from '../ledger/reaper';
import { IpamController } from './ipam.controller';
import { ipamConfigFromEnv } from './ipam-config';
import { IpamService } from './ipam.service';
import { EVENT_STORE, LOGGER, METRICS } from './tokens';

@Module({
  controllers: [IpamController],
  providers: [
    { provide: LOGGER, useFactory: () => createLogger('ipam') },
    { provide: METRICS, useFactory: () => new Metrics('ipam') },
    {
      provide: EVENT_STORE,
      useFactory: () =>
        EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: `ipam-${process.pid}` }),
    },
    {
      provide: LedgerBook,
      inject: [EVENT_STORE, LOGGER],
      useFactory: async (store: EventStore, log: Logger) => {
        const t0 = Date.now();
        const book = new LedgerBook(store, intSetting('snapshotIntervalMs'));
        const replayed = await book.start();
        log.info({ replayed, ms: Date.now() - t0 }, 'ledgers restored from their snapshot and the log after it');
        return book;
      },
    },
    {
      provide: OwnerRegistry,
      inject: [EVENT_STORE, LOGGER],
      useFactory: async (store: EventStore, log: Logger) => {
        const t0 = Date.now();
        const owners = new OwnerRegistry(store, intSetting('snapshotIntervalMs'));
        const replayed = await owners.start();
        log.info({ replayed, ms: Date.now() - t0 }, 'ports and networks restored from their snapshots and the log after them');
        return owners;
      },
    },
    { provide: IpamService, inject: [LedgerBook], useFactory: (book: LedgerBook) => new IpamService(book, ipamConfigFromEnv()) },
  ],
})
export class IpamModule implements OnApplicationShutdown {
  private readonly reaper?: NodeJS.Timeout;
  private readonly compactor?: NodeJS.Timeout;
  /** The compactor's own connection, made at its first run. */
  private compaction?: Promise<EventStore>;

  constructor(
    private readonly book: LedgerBook,
    private readonly owners: OwnerRegistry,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) log: Logger,
  ) {
    const every = intSetting('ipamReapIntervalMs');
    const grace = intSetting('ipamOrphanGraceMs');
    if (every > 0) {
      this.reaper = setInterval(() => {
        reapOrphans(book, owners, grace)
          .then((n) => n && log.warn({ released: n }, 'gave back allocations whose owner does not exist'))
          .catch((err) => log.error({ err }, 'orphan sweep failed'));
      }, every);
      this.reaper.unref();
    }
    const compactEvery = intSetting('logCompactIntervalMs');
    if (compactEvery > 0) {
      const opts = { keepEvents: intSetting('logKeepEvents'), requiredSnapshots: parseList(setting('logRequiredSnapshots')), finalTypes: parseList(setting('logFinalEvents')) };
      let running = false;
      this.compactor = setInterval(() => {
        if (running) return;
        running = true;
        // On a connection of its own: its thousands of deletes would otherwise queue ahead of ipam's
        // appends and replies on one socket (the 60-minute churn saw ipam requests time out at each compaction).
        this.compaction ??= EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: `ipam-compaction-${process.pid}` }).catch((err) => {
          this.compaction = undefined;
          throw err;
        });
        this.compaction
          .then((s) => s.compact(opts))
          .then((r) => r.archived && log.info(r, 'log compacted: archived, then trimmed'))
          .catch((err) => log.error({ err }, 'log compaction failed'))
          .finally(() => (running = false));
      }, compactEvery);
      this.compactor.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.reaper);
    clearInterval(this.compactor);
    await this.compaction?.then((s) => s.close()).catch(() => undefined);
    await this.owners.stop();
    await this.book.stop();
    await this.store.close();
  }
}
