import 'reflect-metadata';
import { runAgentProcess } from '@neutrino/agent-kit';
import { dataDir } from '@neutrino/config';
import { createDhcpAgent } from './app/dhcp-agent';
import { dhcpConfigFromEnv } from './config/dhcp-config';

/** dhcp-agent: a qdhcp- namespace and a dnsmasq per network with DHCP, kept equal to the log. */
const cfg = dhcpConfigFromEnv();
runAgentProcess(
  'dhcp-agent',
  cfg.host,
  ({ store, logger, metrics }) => createDhcpAgent(store, cfg, { logger, registry: metrics.registry, dataDir: dataDir() }),
  () => ({ driver: cfg.driver, netns: cfg.hostNetns || '(this machine)', api: cfg.apiUrl }),
);
