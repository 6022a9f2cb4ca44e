import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { intSetting, setting } from '@neutrino/config';
import { createLogger, serveMetrics, type Logger, type Metrics } from '@neutrino/observability';
import type { EventStore } from '@neutrino/events';
import { Projection, serveRebuild } from '@neutrino/projection';
import { GatewayModule } from './app/gateway.module';
import { EVENT_STORE, LOGGER, METRICS } from './app/tokens';
import { MAX_URL_LENGTH, answerClientError, answerFrameworkError } from './http/edge-limits';
import { installHttpHooks } from './http/hooks';
import { NeutronErrorFilter } from './http/neutron-error.filter';
import { BulkBatches } from './write/bulk-batches';

/** api-gateway: the Neutron v2.0 REST API. */
async function main(): Promise<void> {
  const adapter = new FastifyAdapter({
    bodyLimit: intSetting('apiMaxBodySize'),
    // Ids of any length reach the handlers, which answer Neutron's <Resource>NotFound.
    maxParamLength: MAX_URL_LENGTH,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule, adapter, { bodyParser: false, logger: ['error', 'warn'] });
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
  // Bulk creates this gateway left open when it was killed are undone now; others' once past their deadline.
  app.get(BulkBatches).start(intSetting('bulkSettleIntervalMs'));
  // Prometheus is not for the API's clients: its own listener on loopback, as ipam's.
  const metricsPort = intSetting('gatewayMetricsPort');
  if (metricsPort > 0) serveMetrics(metrics, metricsPort);
  log.info({ host, port, metricsPort, applied: projection.applied }, 'Neutron API listening');
}

main().catch((err) => {
  createLogger('api-gateway').fatal({ err }, 'api-gateway failed to start');
  process.exit(1);
});
