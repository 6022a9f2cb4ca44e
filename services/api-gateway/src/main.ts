import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { intSetting, setting } from '@neutrino/config';
import { createLogger, type Logger, type Metrics } from '@neutrino/observability';
import type { EventStore } from '@neutrino/events';
import { Projection, serveRebuild } from '@neutrino/projection';
import { GatewayModule } from './app/gateway.module';
import { EVENT_STORE, LOGGER, METRICS } from './app/tokens';
import { installHttpHooks } from './http/hooks';
import { NeutronErrorFilter } from './http/neutron-error.filter';

/** api-gateway: the Neutron v2.0 REST API. */
async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule, new FastifyAdapter({ bodyLimit: 16 * 1024 * 1024 }), {
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  const log = app.get<Logger>(LOGGER);
  const metrics = app.get<Metrics>(METRICS);
  installHttpHooks(app.getHttpAdapter().getInstance(), metrics, log);
  app.useGlobalFilters(new NeutronErrorFilter(log));
  app.enableShutdownHooks();
  await app.init();
  const projection = app.get(Projection);
  await projection.catchUp(120_000);
  serveRebuild(app.get<EventStore>(EVENT_STORE).connection, 'api-gateway', projection);
  const host = setting('apiHost');
  const port = intSetting('apiPort');
  await app.listen(port, host);
  log.info({ host, port, applied: projection.applied }, 'Neutron API listening');
}

main().catch((err) => {
  createLogger('api-gateway').fatal({ err }, 'api-gateway failed to start');
  process.exit(1);
});
