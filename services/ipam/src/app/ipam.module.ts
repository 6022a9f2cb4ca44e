import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { natsServers, setting, intSetting } from '@neutrino/config';
import { EventStore } from '@neutrino/events';
import { Metrics, createLogger } from '@neutrino/observability';
import { LedgerBook } from '../ledger/ledger-book';
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
      inject: [EVENT_STORE],
      useFactory: async (store: EventStore) => {
        const book = new LedgerBook(store);
        await book.start();
        return book;
      },
    },
    { provide: IpamService, inject: [LedgerBook], useFactory: (book: LedgerBook) => new IpamService(book, ipamConfigFromEnv()) },
  ],
})
export class IpamModule implements OnApplicationShutdown {
  constructor(
    private readonly book: LedgerBook,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.book.stop();
    await this.store.close();
  }
}
