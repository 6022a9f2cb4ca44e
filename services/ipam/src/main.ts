import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { natsServers } from '@neutrino/config';
import { createLogger } from '@neutrino/observability';
import { IpamModule } from './app/ipam.module';

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
  log.info('ipam ready');
}

main().catch((err) => {
  createLogger('ipam').fatal({ err }, 'ipam failed to start');
  process.exit(1);
});
