import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { intSetting, natsServers, setting } from '@neutrino/config';
import { EventStore } from '@neutrino/events';
import { AgentRegistry } from './agent-registry';
import { AgentsController } from './agents.controller';
import { AgentsService } from './agents.service';

const AGENTS_STORE = Symbol('AGENTS_STORE');

/** /v2.0/agents, with its own view of the agent events and the heartbeat bucket. */
@Module({
  controllers: [AgentsController],
  providers: [
    {
      provide: AGENTS_STORE,
      useFactory: () => EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: `api-gateway-agents-${process.pid}` }),
    },
    {
      provide: AgentRegistry,
      inject: [AGENTS_STORE],
      useFactory: async (store: EventStore) => {
        const registry = new AgentRegistry(store);
        await registry.start();
        return registry;
      },
    },
    {
      provide: AgentsService,
      inject: [AgentRegistry, AGENTS_STORE],
      useFactory: (registry: AgentRegistry, store: EventStore) => new AgentsService(registry, store, intSetting('agentDownTimeMs')),
    },
  ],
  exports: [AgentsService],
})
export class AgentsModule implements OnApplicationShutdown {
  constructor(
    private readonly registry: AgentRegistry,
    @Inject(AGENTS_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.registry.stop();
    await this.store.close();
  }
}
