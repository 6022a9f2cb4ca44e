import 'reflect-metadata';
import { dataDir, intSetting, natsServers, setting } from '@neutrino/config';
import { EventStore } from '@neutrino/events';
import { Metrics, createLogger } from '@neutrino/observability';
import { DhcpAgent } from './app/dhcp-agent';
import { dhcpConfigFromEnv } from './config/dhcp-config';

/** dhcp-agent: a qdhcp- namespace and a dnsmasq per network with DHCP, kept equal to the log. */
async function main(): Promise<void> {
  const cfg = dhcpConfigFromEnv();
  const log = createLogger('dhcp-agent').child({ host: cfg.host });
  const metrics = new Metrics('dhcp-agent');
  const store = await EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: `dhcp-agent-${cfg.host}` });
  const agent = new DhcpAgent(store, cfg, { logger: log, registry: metrics.registry, dataDir: dataDir(), heartbeatTtlMs: intSetting('agentDownTimeMs') });
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
  log.info({ id: agent.id, driver: cfg.driver, netns: cfg.hostNetns || '(this machine)', api: cfg.apiUrl }, 'dhcp-agent running');
}

main().catch((err) => {
  createLogger('dhcp-agent').fatal({ err }, 'dhcp-agent failed');
  process.exit(1);
});
