import 'reflect-metadata';
import { runAgentProcess } from '@neutrino/agent-kit';
import { dataDir } from '@neutrino/config';
import { L3Agent } from './app/l3-agent';
import { l3ConfigFromEnv } from './config/l3-config';

/** l3-agent: a qrouter- namespace per router scheduled here (NAT, floating IPs, keepalived for HA routers), kept equal to the log. */
const cfg = l3ConfigFromEnv();
runAgentProcess(
  'l3-agent',
  cfg.host,
  ({ store, logger, metrics }) => new L3Agent(store, cfg, { logger, registry: metrics.registry, dataDir: dataDir() }),
  () => ({ driver: cfg.driver, netns: cfg.hostNetns || '(this machine)' }),
);
