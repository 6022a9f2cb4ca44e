import 'reflect-metadata';
import { dataDir, intSetting, natsServers, setting } from '@neutrino/config';
import { EventStore } from '@neutrino/events';
import { Metrics, createLogger } from '@neutrino/observability';
import { createL2Agent } from './app/l2-agent';
import { l2ConfigFromEnv } from './config/l2-config';

/** l2-agent: LinuxBridge wiring and security groups of one host, kept equal to the log. */
async function main(): Promise<void> {
  const cfg = l2ConfigFromEnv();
  const log = createLogger('l2-agent').child({ host: cfg.host });
  const metrics = new Metrics('l2-agent');
  const store = await EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: `l2-agent-${cfg.host}` });
  const agent = createL2Agent(store, cfg, { logger: log, registry: metrics.registry, dataDir: dataDir(), heartbeatTtlMs: intSetting('agentDownTimeMs') });
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ sig }, 'stopping');
    await agent.stop();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await agent.start();
  log.info({ id: agent.id, driver: cfg.driver, netns: cfg.hostNetns || '(this machine)' }, 'l2-agent running');
}

main().catch((err) => {
  createLogger('l2-agent').fatal({ err }, 'l2-agent failed');
  process.exit(1);
});
