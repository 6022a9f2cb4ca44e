import type * as http from 'node:http';
import { createAgent, type Agent, type AgentSource, type AgentSources } from '@neutrino/agent-kit';
import { MemoryDriver, hostState } from '@neutrino/dataplane';
import type { EventStore } from '@neutrino/events';
import type { Logger } from '@neutrino/observability';
import type { Registry } from 'prom-client';
import type { MetadataAgentConfig } from '../config/agent-config';
import { METADATA_BINARY, MetadataView } from '../view/metadata-view';
import { createSocketServer, listenOnSocket } from './socket-server';

export interface MetadataAgentDeps {
  logger: Logger;
  registry?: Registry;
  heartbeatTtlMs?: number;
}

/** Owns nothing on the host: its only dataplane is the unix socket. */
const NOTHING = { ownership: { netnsPrefixes: [], linkPrefixes: [], chainPrefixes: [], ipsetPrefixes: [] } };

/** The unix socket the host's namespace proxies ask: opened once the view has caught up with the log, closed first. */
export class MetadataSocket implements AgentSource {
  private server?: http.Server;

  constructor(
    private readonly view: MetadataView,
    private readonly cfg: MetadataAgentConfig,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.server = createSocketServer(this.view, { socketPath: this.cfg.socketPath, metadataUrl: this.cfg.metadataUrl, secret: this.cfg.secret, logger: this.logger });
    await listenOnSocket(this.server, this.cfg.socketPath);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }
}

export interface MetadataSources extends AgentSources {
  socket: MetadataSocket;
}
export type MetadataAgent = Agent<MetadataView, MetadataSources>;

/**
 * The metadata agent of one host (`Metadata agent` / `neutrino-metadata-agent`):
 * it follows the log on the agent kit (registration, heartbeats, replay) for
 * its port index, and answers the host's namespace proxies on the unix socket
 * (its source) once the index has caught up.
 */
export function createMetadataAgent(store: EventStore, cfg: MetadataAgentConfig, deps: MetadataAgentDeps): MetadataAgent {
  const url = new URL(cfg.metadataUrl);
  const view = new MetadataView();
  return createAgent(
    store,
    {
      agentType: 'Metadata agent',
      binary: METADATA_BINARY,
      topic: 'N/A',
      host: cfg.host,
      configurations: { metadata_proxy_socket: cfg.socketPath, nova_metadata_host: url.hostname, nova_metadata_port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80), nova_metadata_protocol: url.protocol.replace(':', '') },
      view,
      desired: () => hostState(),
      scope: NOTHING,
      driver: new MemoryDriver(),
      filter: 'evt.>',
      sources: { socket: new MetadataSocket(view, cfg, deps.logger) },
    },
    { logger: deps.logger, registry: deps.registry, heartbeatTtlMs: deps.heartbeatTtlMs, resyncMs: 0 },
  );
}
