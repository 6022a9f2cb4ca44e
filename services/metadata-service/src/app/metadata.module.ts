import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '@neutrino/events';
import type { Logger } from '@neutrino/observability';
import { InstancesController } from '../http/instances.controller';
import { MetadataController } from '../http/metadata.controller';
import { InstanceBook } from '../instances/instance-book';
import { EVENT_STORE, LOGGER, SHARED_SECRET } from './tokens';

export interface MetadataServiceDeps {
  store: EventStore;
  secret: string;
  logger: Logger;
}

@Module({})
export class MetadataModule implements OnApplicationShutdown {
  constructor(@Inject(InstanceBook) private readonly book: InstanceBook) {}

  static register(deps: MetadataServiceDeps): DynamicModule {
    return {
      module: MetadataModule,
      controllers: [InstancesController, MetadataController],
      providers: [
        { provide: EVENT_STORE, useValue: deps.store },
        { provide: SHARED_SECRET, useValue: deps.secret },
        { provide: LOGGER, useValue: deps.logger },
        {
          provide: InstanceBook,
          useFactory: async () => {
            const book = new InstanceBook(deps.store);
            await book.start();
            return book;
          },
        },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.book.stop();
  }
}
