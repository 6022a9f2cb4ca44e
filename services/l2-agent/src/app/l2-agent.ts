import * as path from 'node:path';
import { createAgent, createDriver, type Agent } from '@neutrino/agent-kit';
import { NEUTRON_OWNERSHIP, type Ownership } from '@neutrino/dataplane';
import type { EventStore } from '@neutrino/events';
import type { Logger } from '@neutrino/observability';
import type { Registry } from 'prom-client';
import type { L2Config } from '../config/l2-config';
import { conntrackFlushes, flushConntrack } from '../firewall/conntrack';
import { KeptDesired } from '../desired/kept-desired';
import { portStatusReports } from '../desired/port-status';
import { L2_BINARY, L2View } from '../view/l2-view';

/** What the l2-agent owns on a host: its bridges and VXLAN devices, its chains and sets; never the taps. */
export const L2_OWNERSHIP: Ownership = {
  ...NEUTRON_OWNERSHIP,
  netnsPrefixes: [],
  linkPrefixes: ['brq', 'vxlan-'],
  chainPrefixes: ['neutron-linuxbri-'],
  sharedChains: ['neutron-filter-top'],
};

export interface L2AgentDeps {
  logger: Logger;
  registry?: Registry;
  dataDir: string;
  resyncMs?: number;
  heartbeatTtlMs?: number;
}

/** The l2-agent has no sources: the log's tail and the kernel's link events are all it follows. */
export type L2Agent = Agent<L2View, Record<string, never>>;

/** The LinuxBridge agent of one host, on the agent kit. */
export function createL2Agent(store: EventStore, cfg: L2Config, deps: L2AgentDeps): L2Agent {
  const view = new L2View(cfg.host);
  const kept = new KeptDesired(view, cfg);
  return createAgent(
    store,
    {
      agentType: 'Linux bridge agent',
      binary: L2_BINARY,
      topic: 'N/A',
      host: cfg.host,
      configurations: {
        interface_mappings: cfg.physicalInterfaceMappings,
        tunneling_ip: cfg.localIp || undefined,
        tunnel_types: cfg.localIp ? ['vxlan'] : [],
        l2_population: true,
        devices: 0,
      },
      view,
      // a port's own change recomputes that port's objects only; anything else the whole state
      desired: () => kept.next(),
      scope: { ownership: L2_OWNERSHIP },
      driver: createDriver(cfg.driver, { hostNetns: cfg.hostNetns, dataDir: deps.dataDir, agent: 'l2', host: cfg.host }),
      report: portStatusReports,
      afterReconcile: (result) => (cfg.driver === 'linux' ? flushConntrack(conntrackFlushes(result.changes, view), cfg.hostNetns) : Promise.resolve()),
    },
    {
      logger: deps.logger, registry: deps.registry, resyncMs: deps.resyncMs, heartbeatTtlMs: deps.heartbeatTtlMs,
      // the real host outlives the process: a restart on the same host starts from what it installed (see AgentOptions)
      ...(cfg.driver === 'linux' ? { installedStateFile: path.join(deps.dataDir, 'l2', cfg.host, 'installed.json') } : {}),
    },
  );
}
