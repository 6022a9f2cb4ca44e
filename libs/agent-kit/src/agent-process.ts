import { intSetting, natsServers, setting } from '@neutrino/config';
import { EventStore } from '@neutrino/events';
import { Metrics, createLogger, serveMetrics, type Logger } from '@neutrino/observability';
import type { Agent } from './agent';

/** What the process needs of the agent it runs (every Agent is one). */
type Startable = Pick<Agent, 'id' | 'start' | 'stop' | 'health'>;

/**
 * The process around one agent: connect to the log, build the agent, start
 * it, stop it cleanly on SIGINT/SIGTERM, exit non-zero when it cannot start.
 * With NEUTRINO_METRICS_PORT, GET /metrics (Prometheus) and GET /healthz on it.
 */
export function runAgentProcess(
  name: string,
  host: string,
  build: (deps: { store: EventStore; logger: Logger; metrics: Metrics }) => Startable,
  describe: () => Record<string, unknown> = () => ({}),
): void {
  const logger = createLogger(name).child({ host });
  const main = async () => {
    const metrics = new Metrics(name);
    const store = await EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: `${name}-${host}` });
    const agent = build({ store, logger, metrics });
    const metricsPort = intSetting('metricsPort');
    const metricsServer = metricsPort > 0 ? serveMetrics(metrics, metricsPort, setting('metricsHost'), () => agent.health()) : undefined;
    let stopping = false;
    const stop = async (sig: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ sig }, 'stopping');
      metricsServer?.close();
      await agent.stop();
      await store.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    await agent.start();
    logger.info({ id: agent.id, ...(metricsPort > 0 ? { metricsPort } : {}), ...describe() }, `${name} running`);
  };
  main().catch((err) => {
    logger.fatal({ err }, `${name} failed`);
    process.exit(1);
  });
}
