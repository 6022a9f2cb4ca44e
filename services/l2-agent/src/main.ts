import 'reflect-metadata';
import { runAgentProcess } from '@neutrino/agent-kit';
import { dataDir } from '@neutrino/config';
import { createL2Agent } from './app/l2-agent';
import { l2ConfigFromEnv } from './config/l2-config';

/** l2-agent: the LinuxBridge (with security groups) or Open vSwitch wiring of one host, kept equal to the log. */
const cfg = l2ConfigFromEnv();
runAgentProcess(
  'l2-agent',
  cfg.host,
  ({ store, logger, metrics }) => createL2Agent(store, cfg, { logger, registry: metrics.registry, dataDir: dataDir() }),
  () => ({ driver: cfg.driver, mechanism: cfg.mechanism, netns: cfg.hostNetns || '(this machine)' }),
);
