import 'reflect-metadata';
import { dataDir, intSetting, natsServers, setting } from '@neutrino/config';
import { EventStore } from '@neutrino/events';
import { metadataSharedSecret } from '@neutrino/metadata';
import { createLogger } from '@neutrino/observability';
import { createMetadataApp } from './app/create-app';

/** metadata-service: a minimal Nova-compatible metadata API fed by instance records from the log. */
async function main(): Promise<void> {
  const log = createLogger('metadata-service');
  const store = await EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: `metadata-service-${process.pid}` });
  const app = await createMetadataApp({ store, secret: metadataSharedSecret(dataDir(), setting('metadataProxySharedSecret')), logger: log });
  const host = setting('metadataHost');
  const port = intSetting('metadataPort');
  await app.listen(port, host);
  log.info({ host, port }, 'metadata service listening');
  const stop = async () => {
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err) => {
  createLogger('metadata-service').fatal({ err }, 'metadata-service failed to start');
  process.exit(1);
});
