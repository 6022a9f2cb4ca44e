import * as path from 'node:path';
import { createAgent, createDriver, type Agent, type AgentDeps, type AgentSources } from '@neutrino/agent-kit';
import { setting } from '@neutrino/config';
import { apiAuthFromEnv } from '@neutrino/identity';
import { metadataSocketPath } from '@neutrino/metadata';
import type { EventStore } from '@neutrino/events';
import type { DhcpConfig } from '../config/dhcp-config';
import { dhcpDesired, type DhcpDesiredSettings } from '../desired/dhcp-desired';
import { NeutronClient, type PortsApi } from '../ports/neutron-client';
import { DhcpPortSync } from '../ports/port-sync';
import { DHCP_BINARY, DhcpView } from '../view/dhcp-view';
import { dhcpSubnets, servedNetworks } from '../view/scheduling';
import { dnsmasqConfRoot, type ConfRoot } from './conf-dir';
import { dhcpOwnership } from './dhcp-ownership';

export interface DhcpAgentDeps extends AgentDeps {
  /** default: the Neutron API at cfg.apiUrl */
  api?: PortsApi;
}

export const desiredSettings = (cfg: DhcpConfig, dataDir: string, confRoot = path.join(dataDir, 'dhcp')): DhcpDesiredSettings => ({
  netnsPrefix: cfg.netnsPrefix,
  confRoot,
  leaseSeconds: cfg.leaseSeconds,
  domain: cfg.domain,
  enableIsolatedMetadata: cfg.enableIsolatedMetadata,
  dnsmasqBin: cfg.dnsmasqBin,
  metadataProxy: { socketPath: metadataSocketPath(dataDir, cfg.host, setting('metadataProxySocket')), stateDir: path.join(dataDir, 'metadata', cfg.host) },
});

/** The counts the agent shows in GET /v2.0/agents (refreshed after each reconcile, sent with the heartbeat). */
export function servedCounts(view: DhcpView): { networks: number; subnets: number; ports: number } {
  const served = servedNetworks(view);
  return {
    networks: served.length,
    subnets: served.reduce((n, s) => n + dhcpSubnets(view, s.networkId).length, 0),
    ports: served.reduce((n, s) => n + view.portsOf(s.networkId).length, 0),
  };
}

/** The dhcp-agent's sources: its DHCP ports, kept through the API. */
export interface DhcpSources extends AgentSources {
  ports: DhcpPortSync;
}
export type DhcpAgent = Agent<DhcpView, DhcpSources>;

/** The DHCP agent of one host: its DHCP ports through the API, its namespaces, veths and dnsmasqs through the agent kit. */
export function createDhcpAgent(store: EventStore, cfg: DhcpConfig, deps: DhcpAgentDeps): DhcpAgent {
  const view = new DhcpView(cfg.host);
  // Only a real dnsmasq drops privileges: the memory driver keeps its files in the data dir.
  const confRoot: ConfRoot = cfg.driver === 'linux' ? dnsmasqConfRoot(deps.dataDir) : { dir: path.join(deps.dataDir, 'dhcp') };
  const { dir, closed, unreadable } = confRoot;
  if (unreadable) deps.logger.error({ dir: closed }, `dnsmasq (which drops to an unprivileged user) cannot read its files under ${closed}: make it searchable by others (chmod o+x) or move NEUTRINO_DATA_DIR`);
  else if (closed) deps.logger.warn({ closed, dir }, `${closed} is closed to dnsmasq's unprivileged user: its files are in ${dir}`);
  const settings = desiredSettings(cfg, deps.dataDir, dir);
  const configurations: Record<string, unknown> = {
    ...servedCounts(view),
    dhcp_driver: 'dnsmasq',
    dhcp_lease_duration: cfg.leaseSeconds,
  };
  // planned only once the runner starts it (after the first reconcile: the view knows which ports exist), then on every change and every resync
  const ports = new DhcpPortSync(view, deps.api ?? new NeutronClient(cfg.apiUrl, 10_000, apiAuthFromEnv()), { logger: deps.logger, resyncMs: deps.resyncMs ?? 30_000 });
  view.onChange = () => ports.trigger();
  return createAgent(
    store,
    {
      agentType: 'DHCP agent',
      binary: DHCP_BINARY,
      topic: 'dhcp_agent',
      host: cfg.host,
      configurations,
      view,
      desired: (v) => dhcpDesired(v, settings),
      scope: { ownership: dhcpOwnership(cfg.netnsPrefix) },
      driver: deps.driver ?? createDriver(cfg.driver, { hostNetns: cfg.hostNetns, dataDir: deps.dataDir, agent: 'dhcp', host: cfg.host }),
      // DHCP ports' status is the l2-agent's to report (it wires their taps); here only the counts move.
      report: (v) => {
        Object.assign(configurations, servedCounts(v));
        return [];
      },
      sources: { ports },
    },
    { logger: deps.logger, registry: deps.registry, resyncMs: deps.resyncMs, heartbeatTtlMs: deps.heartbeatTtlMs, coalesceMs: deps.coalesceMs },
  );
}
