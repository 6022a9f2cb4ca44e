import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { intSetting, natsServers } from '@neutrino/config';
import { createLogger, runAsProcess, serveMetrics, type Metrics, type RunningService } from '@neutrino/observability';
import { IpamModule } from './app/ipam.module';
import type { EventStore } from '@neutrino/events';
import { EVENT_STORE, METRICS } from './app/tokens';

/** ipam: a NATS request/reply microservice; replicas share the "ipam" queue group. */
export async function start(): Promise<RunningService> {
  const log = createLogger('ipam');
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(IpamModule, {
    transport: Transport.NATS,
    options: { servers: natsServers(), queue: 'ipam', name: `ipam-rpc-${process.pid}` },
    logger: ['error', 'warn'],
  });
  await app.listen();
  const metricsPort = intSetting('ipamMetricsPort');
  const store = app.get<EventStore>(EVENT_STORE);
  // GET /healthz: 200 while its event store is connected to NATS (it answers the gateway over the same servers)
  const health = () => ({ status: store.connected ? 'ok' : 'failing', nats_connected: store.connected });
  const metricsServer = metricsPort > 0 ? serveMetrics(app.get<Metrics>(METRICS), metricsPort, '127.0.0.1', health) : undefined;
  log.info({ metricsPort }, 'ipam ready');
  return {
    stop: async () => {
      metricsServer?.close();
      await app.close();
    },
  };
}

runAsProcess('ipam', module, start);
