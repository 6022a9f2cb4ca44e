import 'reflect-metadata';
import { runAgentProcess } from '@neutrino/agent-kit';
import { dataDir } from '@neutrino/config';
import { createLbaasAgent } from './app/lbaas-agent';
import { lbaasConfigFromEnv } from './config/lbaas-config';

/** lbaas-agent: a qlbaas- namespace and an HAProxy per load balancer scheduled here, kept equal to the log. */
const cfg = lbaasConfigFromEnv();
runAgentProcess(
  'lbaas-agent',
  cfg.host,
  ({ store, logger, metrics }) => createLbaasAgent(store, cfg, { logger, registry: metrics.registry, dataDir: dataDir() }),
  () => ({ driver: cfg.driver, netns: cfg.hostNetns || '(this machine)', haproxy: cfg.haproxyBin }),
);
