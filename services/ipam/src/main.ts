import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { intSetting, natsServers } from '@neutrino/config';
import { createLogger, serveMetrics, type Metrics } from '@neutrino/observability';
import { IpamModule } from './app/ipam.module';
import { METRICS } from './app/tokens';

/** ipam: a NATS request/reply microservice; replicas share the "ipam" queue group. */
async function main(): Promise<void> {
  const log = createLogger('ipam');
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(IpamModule, {
    transport: Transport.NATS,
    options: { servers: natsServers(), queue: 'ipam', name: `ipam-rpc-${process.pid}` },
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks();
  await app.listen();
  const metricsPort = intSetting('ipamMetricsPort');
  if (metricsPort > 0) serveMetrics(app.get<Metrics>(METRICS), metricsPort);
  log.info({ metricsPort }, 'ipam ready');
}

main().catch((err) => {
  createLogger('ipam').fatal({ err }, 'ipam failed to start');
  process.exit(1);
});
