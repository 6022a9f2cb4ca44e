import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { intSetting, setting } from '@neutrino/config';
import { runAsProcess, serveMetrics, type Logger, type Metrics, type RunningService } from '@neutrino/observability';
import type { EventStore } from '@neutrino/events';
import { authStrategy, keystoneConfig, KeystoneSession, TokenValidator } from '@neutrino/identity';
import { Projection, ReadFence, serveRebuild } from '@neutrino/projection';
import { GatewayModule } from './app/gateway.module';
import { EVENT_STORE, LOGGER, METRICS } from './app/tokens';
import { MAX_URL_LENGTH, answerClientError, answerFrameworkError } from './http/edge-limits';
import { installHttpHooks } from './http/hooks';
import { keystoneAuthenticator } from './http/keystone-auth';
import { serveV2Details } from './http/meta.controller';
import { NeutronErrorFilter } from './http/neutron-error.filter';
import { personaGate } from './http/personas';
import { ReadModel } from './read/read-model';
import { RouterScheduler } from './resources/router-scheduler';
import { BulkBatches } from './write/bulk-batches';

/** api-gateway: the Neutron v2.0 REST API. Resolves once it listens, its projection caught up. */
export async function start(): Promise<RunningService> {
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
  const fence = setting('readFence') === 'true' ? new ReadFence(app.get<EventStore>(EVENT_STORE), app.get(Projection)) : undefined;
  const personas = setting('policyNewDefaults') === 'true' ? personaGate(app.get(ReadModel)) : undefined;
  installHttpHooks(app.getHttpAdapter().getInstance(), metrics, log, authenticatorFromSettings(log), fence, personas);
  serveV2Details(app.getHttpAdapter().getInstance());
  app.useGlobalFilters(new NeutronErrorFilter(log));
  await app.init();
  const projection = app.get(Projection);
  await projection.catchUp(120_000);
  const rebuild = serveRebuild(app.get<EventStore>(EVENT_STORE).connection, 'api-gateway', projection);
  const host = setting('apiHost');
  const port = intSetting('apiPort');
  await app.listen(port, host);
  // Bulk creates this gateway left open when it was killed are undone now; others' once past their deadline.
  app.get(BulkBatches).start(intSetting('bulkSettleIntervalMs'));
  const failover = setting('allowAutomaticL3agentFailover') === 'true' ? startL3Failover(app.get(RouterScheduler), log) : undefined;
  // Prometheus is not for the API's clients: its own listener on loopback, as ipam's.
  const metricsPort = intSetting('gatewayMetricsPort');
  const store = app.get<EventStore>(EVENT_STORE);
  // GET /healthz: 200 while connected to NATS, with how far its projection is (the API's own GET / answers once it caught up)
  const health = () => ({ status: store.connected ? 'ok' : 'failing', nats_connected: store.connected, applied_seq: projection.applied });
  const metricsServer = metricsPort > 0 ? serveMetrics(metrics, metricsPort, '127.0.0.1', health) : undefined;
  log.info({ host, port, metricsPort, applied: projection.applied, readFence: !!fence }, 'Neutron API listening');
  return {
    stop: async () => {
      if (failover) clearInterval(failover);
      metricsServer?.close();
      rebuild.unsubscribe();
      await app.close();
    },
  };
}

/** allow_automatic_l3agent_failover: the sweep that moves routers off dead l3-agents, every half agent-down time. */
function startL3Failover(scheduler: RouterScheduler, log: Logger): NodeJS.Timeout {
  const ctx = { actor: { user_id: 'neutrino-l3-failover', project_id: '', roles: ['admin'] }, requestId: 'req-l3-failover', baseUrl: '' };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    scheduler
      .rescheduleFromDeadAgents(ctx)
      .then((moved) => moved && log.info({ moved }, 'routers moved off dead l3-agents'))
      .catch((err) => log.warn({ err }, 'moving routers off dead l3-agents failed'))
      .finally(() => (running = false));
  }, Math.max(1_000, intSetting('agentDownTimeMs') / 2));
  timer.unref();
  return timer;
}

/** keystone: the token check of every /v2.0 request; noauth: none (identity from headers). */
function authenticatorFromSettings(log: Logger) {
  if (authStrategy() !== 'keystone') return undefined;
  const cfg = keystoneConfig();
  log.info({ keystone: cfg.url, user: cfg.username, cacheTtlMs: cfg.cacheTtlMs }, 'auth strategy keystone');
  return keystoneAuthenticator(new TokenValidator(cfg, new KeystoneSession(cfg)), cfg.url, log);
}

runAsProcess('api-gateway', module, start);
