import 'reflect-metadata';
import * as path from 'node:path';
import { runAgentProcess } from '@neutrino/agent-kit';
import { dataDir, setting } from '@neutrino/config';
import { ROUTER_PROXY_PORT, metadataProxyProcess, metadataSocketPath } from '@neutrino/metadata';
import { createL3Agent } from './app/l3-agent';
import { l3ConfigFromEnv } from './config/l3-config';

/** l3-agent: a qrouter- namespace per router scheduled here (NAT, floating IPs, keepalived for HA routers, the metadata proxy), kept equal to the log. */
const cfg = l3ConfigFromEnv();
const metadataProxy = cfg.enableMetadataProxy
  ? (r: { netns: string; id: string }) =>
      metadataProxyProcess({
        netns: r.netns,
        routerId: r.id,
        listenPort: ROUTER_PROXY_PORT,
        socketPath: metadataSocketPath(dataDir(), cfg.host, setting('metadataProxySocket')),
        stateDir: path.join(dataDir(), 'metadata', cfg.host),
      })
  : undefined;
runAgentProcess(
  'l3-agent',
  cfg.host,
  ({ store, logger, metrics }) => createL3Agent(store, cfg, { logger, registry: metrics.registry, dataDir: dataDir(), metadataProxy }),
  () => ({ driver: cfg.driver, netns: cfg.hostNetns || '(this machine)', metadata_proxy: !!metadataProxy }),
);
