import 'reflect-metadata';
import { runAgentProcess } from '@neutrino/agent-kit';
import { dataDir } from '@neutrino/config';
import { createFwaasAgent } from './app/fwaas-agent';
import { fwaasConfigFromEnv } from './config/fwaas-config';

/** fwaas-agent: the firewall groups' chains in the router namespaces of this host, kept equal to the log. */
const cfg = fwaasConfigFromEnv();
runAgentProcess(
  'fwaas-agent',
  cfg.host,
  ({ store, logger, metrics }) => createFwaasAgent(store, cfg, { logger, registry: metrics.registry, dataDir: dataDir() }),
  () => ({ driver: cfg.driver, netns: cfg.hostNetns || '(this machine)' }),
);
