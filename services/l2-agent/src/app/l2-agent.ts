import * as path from 'node:path';
import { createAgent, createDriver, type Agent } from '@neutrino/agent-kit';
import { NEUTRON_OWNERSHIP, OvsDriver, type Ownership } from '@neutrino/dataplane';
import { LINUXBRIDGE_AGENT_TYPE, OPENVSWITCH_AGENT_BINARY, OPENVSWITCH_AGENT_TYPE, OVS_CHAIN_PREFIX } from '@neutrino/naming';
import type { EventStore } from '@neutrino/events';
import type { Logger } from '@neutrino/observability';
import type { Registry } from 'prom-client';
import type { L2Config } from '../config/l2-config';
import { conntrackFlushes, flushConntrack } from '../firewall/conntrack';
import { KeptDesired } from '../desired/kept-desired';
import { OVS_COOKIE, OVS_OWNER, ovsDesired, type OvsHostDesired } from '../desired/ovs-desired';
import { VIF_BINDINGS, portStatusReports } from '../desired/port-status';
import { L2_BINARY, L2View } from '../view/l2-view';

/** What the l2-agent owns on a host: its bridges and VXLAN devices, its chains and sets; never the taps. */
export const L2_OWNERSHIP: Ownership = {
  ...NEUTRON_OWNERSHIP,
  netnsPrefixes: [],
  linkPrefixes: ['brq', 'vxlan-'],
  chainPrefixes: ['neutron-linuxbri-'],
  sharedChains: ['neutron-filter-top'],
};

/**
 * What the openvswitch mechanism owns in the kernel: the hybrid plug's bridges and veths, its
 * firewall's chains and sets (OVS's own objects carry its external_ids owner); never the taps.
 */
export const OVS_OWNERSHIP: Ownership = {
  ...NEUTRON_OWNERSHIP,
  netnsPrefixes: [],
  linkPrefixes: ['qbr', 'qvb', 'qvo'],
  chainPrefixes: [OVS_CHAIN_PREFIX],
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

/** The l2-agent of one host, on the agent kit: the LinuxBridge mechanism or the openvswitch one (cfg.mechanism). */
export function createL2Agent(store: EventStore, cfg: L2Config, deps: L2AgentDeps): L2Agent {
  return cfg.mechanism === 'openvswitch' ? createOvsAgent(store, cfg, deps) : createLinuxBridgeAgent(store, cfg, deps);
}

const agentOptions = (cfg: L2Config, deps: L2AgentDeps) => ({
  logger: deps.logger, registry: deps.registry, resyncMs: deps.resyncMs, heartbeatTtlMs: deps.heartbeatTtlMs,
  // the real host outlives the process: a restart on the same host starts from what it installed (see AgentOptions)
  ...(cfg.driver === 'linux' ? { installedStateFile: path.join(deps.dataDir, 'l2', cfg.host, 'installed.json') } : {}),
});

function createLinuxBridgeAgent(store: EventStore, cfg: L2Config, deps: L2AgentDeps): L2Agent {
  const view = new L2View(cfg.host);
  const kept = new KeptDesired(view, cfg);
  return createAgent(
    store,
    {
      agentType: LINUXBRIDGE_AGENT_TYPE,
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
    agentOptions(cfg, deps),
  );
}

/**
 * The openvswitch mechanism: the kernel half (qbr/qvb/qvo, the tap in qbr) through the agent kit's
 * driver, the OVS half (br-int, br-tun, their ports and flows) as the sideplane, each reconciled by
 * diff against what the host has. Security groups are the LinuxBridge agent's iptables firewall on
 * the qbr side (hybridFirewall).
 */
function createOvsAgent(store: EventStore, cfg: L2Config, deps: L2AgentDeps): L2Agent {
  const view = new L2View(cfg.host);
  const ovs = new OvsDriver({ runDir: cfg.ovsRunDir, owner: OVS_OWNER, cookie: OVS_COOKIE });
  let last: OvsHostDesired | undefined;
  return createAgent(
    store,
    {
      agentType: OPENVSWITCH_AGENT_TYPE,
      binary: OPENVSWITCH_AGENT_BINARY,
      topic: 'N/A',
      host: cfg.host,
      configurations: {
        bridge_mappings: {},
        integration_bridge: 'br-int',
        tunnel_bridge: 'br-tun',
        datapath_type: cfg.ovsDatapathType,
        ovs_hybrid_plug: true,
        tunneling_ip: cfg.localIp || undefined,
        tunnel_types: cfg.localIp ? ['vxlan'] : [],
        l2_population: true,
        devices: 0,
      },
      view,
      desired: (v) => (last = ovsDesired(v, cfg)).kernel,
      scope: { ownership: OVS_OWNERSHIP },
      driver: createDriver(cfg.driver, { hostNetns: cfg.hostNetns, dataDir: deps.dataDir, agent: 'l2', host: cfg.host }),
      report: (v, desired, result) => portStatusReports(v, desired, result, VIF_BINDINGS.openvswitch),
      afterReconcile: (result) => (cfg.driver === 'linux' ? flushConntrack(conntrackFlushes(result.changes, view, OVS_CHAIN_PREFIX), cfg.hostNetns) : Promise.resolve()),
      // the memory driver is the model of a host without OVS: nothing to drive
      ...(cfg.driver === 'linux'
        ? {
            sideplane: async (v: L2View) => {
              const d = last ?? ovsDesired(v, cfg);
              return (await ovs.reconcile(d.ovs.bridges, d.ovs.flows)).applied;
            },
          }
        : {}),
    },
    agentOptions(cfg, deps),
  );
}
