import 'reflect-metadata';
import { runAgentProcess } from '@neutrino/agent-kit';
import { createMetadataAgent } from './agent/metadata-agent';
import { agentConfigFromEnv } from './config/agent-config';

/** metadata agent: the host end of the namespace metadata proxies (spec/metadata.md §5). */
const cfg = agentConfigFromEnv();
runAgentProcess(
  'metadata-agent',
  cfg.host,
  ({ store, logger, metrics }) => createMetadataAgent(store, cfg, { logger, registry: metrics.registry }),
  () => ({ socket: cfg.socketPath, metadataUrl: cfg.metadataUrl }),
);
