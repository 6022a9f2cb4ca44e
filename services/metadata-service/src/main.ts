import 'reflect-metadata';
import { dataDir, intSetting, natsServers, setting } from '@neutrino/config';
import { EventStore } from '@neutrino/events';
import { metadataSharedSecret } from '@neutrino/metadata';
import { createLogger, runAsProcess, type RunningService } from '@neutrino/observability';
import { createMetadataApp } from './app/create-app';

/** metadata-service: a minimal Nova-compatible metadata API fed by instance records from the log. */
export async function start(): Promise<RunningService> {
  const log = createLogger('metadata-service');
  const store = await EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: `metadata-service-${process.pid}` });
  const app = await createMetadataApp({ store, secret: metadataSharedSecret(dataDir(), setting('metadataProxySharedSecret')), logger: log });
  const host = setting('metadataHost');
  const port = intSetting('metadataPort');
  await app.listen(port, host);
  log.info({ host, port }, 'metadata service listening');
  return {
    stop: async () => {
      await app.close();
      await store.close();
    },
  };
}

runAsProcess('metadata-service', module, start);
