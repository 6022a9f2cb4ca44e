import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { MetadataModule, type MetadataServiceDeps } from './metadata.module';

/** The metadata service as a Nest application (not yet listening). */
export async function createMetadataApp(deps: MetadataServiceDeps): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(MetadataModule.register(deps), new FastifyAdapter({ bodyLimit: 1024 * 1024 }), { logger: ['error', 'warn'] });
  await app.init();
  return app;
}
