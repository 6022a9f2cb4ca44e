import * as path from 'node:path';
import { createAgent, createDriver, type Agent, type Report } from '@neutrino/agent-kit';
import type { Network } from '@neutrino/domain';
import { NEUTRON_OWNERSHIP, OvsDriver, type Ownership } from '@neutrino/dataplane';
import { LINUXBRIDGE_AGENT_TYPE, OPENVSWITCH_AGENT_BINARY, OPENVSWITCH_AGENT_TYPE, OVS_CHAIN_PREFIX } from '@neutrino/naming';
import type { EventStore } from '@neutrino/events';
import type { Logger } from '@neutrino/observability';
import type { Registry } from 'prom-client';
import type { L2Config } from '../config/l2-config';
import { conntrackFlushes, flushConntrack } from '../firewall/conntrack';
import { KeptDesired } from '../desired/kept-desired';
import { OVS_COOKIE, OVS_OWNER, ovsDesired, ovsWireable, type OvsHostDesired } from '../desired/ovs-desired';
import { wireable } from '../desired/l2-desired';
import { BINDING_FAILED, VIF_BINDINGS, portStatusReports } from '../desired/port-status';
import { L2_BINARY, L2View } from '../view/l2-view';
import { TxChecksums } from './tx-checksums';

/** What the l2-agent owns on a host: its bridges and VXLAN devices, its QoS ifbs, its chains and sets; never the taps. */
export const L2_OWNERSHIP: Ownership = {
  ...NEUTRON_OWNERSHIP,
  netnsPrefixes: [],
  linkPrefixes: ['brq', 'vxlan-', 'qfb'],
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

/** Why the LinuxBridge mechanism refuses VLAN networks here, in its configurations and its log. */
export const LINUXBRIDGE_NO_VLAN =
  'VLAN networks are not served by the LinuxBridge mechanism on this host: it would need 8021q VLAN devices, which this kernel does not have. Ports on VLAN networks are refused (binding:vif_type=binding_failed); put the host on NEUTRINO_L2_MECHANISM=openvswitch for VLAN.';

/** Why the LinuxBridge mechanism refuses GRE networks (Neutron's LinuxBridge agent has no GRE either). */
export const LINUXBRIDGE_NO_GRE =
  'GRE networks are not served by the LinuxBridge mechanism: it has no GRE tunnels (only VXLAN). Ports on GRE networks are refused (binding:vif_type=binding_failed); put the host on NEUTRINO_L2_MECHANISM=openvswitch for GRE.';

/** The port.updated reports that refuse a binding, logged once each (a refusal is reported once). */
function logRefusals(logger: Logger, view: L2View, reports: Report[], why: (n: Network) => string): Report[] {
  for (const r of reports) {
    const changes = (r.data as { changes: Record<string, unknown> }).changes;
    if (changes['binding:vif_type'] !== BINDING_FAILED) continue;
    const p = view.ports.get(r.aggregate.id);
    const n = p && view.networks.get(p.network_id);
    if (n) logger.warn({ port_id: p.id, network_id: n.id, network_type: n['provider:network_type'] }, `port ${p.id} not bound: ${why(n)}`);
  }
  return reports;
}

/** What a mechanism says about a network it cannot wire. */
const refusal = (cfg: L2Config) => (n: Network): string => {
  const type = n['provider:network_type'];
  const physnet = n['provider:physical_network'];
  if (type === 'vlan' && cfg.mechanism === 'linuxbridge') return LINUXBRIDGE_NO_VLAN;
  if (type === 'gre' && cfg.mechanism === 'linuxbridge') return LINUXBRIDGE_NO_GRE;
  if (type === 'vxlan' || type === 'gre') return `${type === 'vxlan' ? 'VXLAN' : 'GRE'} networks need a tunnel endpoint address, and NEUTRINO_LOCAL_IP is empty`;
  if (type === 'flat' || type === 'vlan')
    return `physical network ${physnet} has no ${cfg.mechanism === 'openvswitch' ? 'bridge mapping (NEUTRINO_BRIDGE_MAPPINGS)' : 'interface mapping (NEUTRINO_PHYSICAL_INTERFACE_MAPPINGS)'} on this host`;
  return `${type} networks are not served by the ${cfg.mechanism} mechanism`;
};

function createLinuxBridgeAgent(store: EventStore, cfg: L2Config, deps: L2AgentDeps): L2Agent {
  const view = new L2View(cfg.host);
  const kept = new KeptDesired(view, cfg);
  deps.logger.info(LINUXBRIDGE_NO_VLAN);
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
        unsupported_network_types: { vlan: LINUXBRIDGE_NO_VLAN, gre: LINUXBRIDGE_NO_GRE },
      },
      view,
      // a port's own change recomputes that port's objects only; anything else the whole state
      desired: () => kept.next(),
      scope: { ownership: L2_OWNERSHIP },
      driver: createDriver(cfg.driver, { hostNetns: cfg.hostNetns, dataDir: deps.dataDir, agent: 'l2', host: cfg.host }),
      report: (v, desired, result) => logRefusals(deps.logger, v, portStatusReports(v, desired, result, VIF_BINDINGS.linuxbridge, (n) => wireable(n, cfg)), refusal(cfg)),
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
  const checksums = cfg.ovsDatapathType === 'netdev' ? new TxChecksums(cfg.hostNetns) : null;
  return createAgent(
    store,
    {
      agentType: OPENVSWITCH_AGENT_TYPE,
      binary: OPENVSWITCH_AGENT_BINARY,
      topic: 'N/A',
      host: cfg.host,
      configurations: {
        bridge_mappings: cfg.bridgeMappings,
        integration_bridge: 'br-int',
        tunnel_bridge: 'br-tun',
        datapath_type: cfg.ovsDatapathType,
        ovs_hybrid_plug: true,
        tunneling_ip: cfg.localIp || undefined,
        tunnel_types: cfg.localIp ? ['vxlan', 'gre'] : [],
        l2_population: true,
        devices: 0,
      },
      view,
      desired: (v) => (last = ovsDesired(v, cfg)).kernel,
      scope: { ownership: OVS_OWNERSHIP },
      driver: createDriver(cfg.driver, { hostNetns: cfg.hostNetns, dataDir: deps.dataDir, agent: 'l2', host: cfg.host }),
      report: (v, desired, result) => logRefusals(deps.logger, v, portStatusReports(v, desired, result, VIF_BINDINGS.openvswitch, (n) => ovsWireable(n, cfg)), refusal(cfg)),
      afterReconcile: (result) => (cfg.driver === 'linux' ? flushConntrack(conntrackFlushes(result.changes, view, OVS_CHAIN_PREFIX), cfg.hostNetns) : Promise.resolve()),
      // the memory driver is the model of a host without OVS: nothing to drive
      ...(cfg.driver === 'linux'
        ? {
            sideplane: async (v: L2View) => {
              const d = last ?? ovsDesired(v, cfg);
              const applied = (await ovs.reconcile(d.ovs.bridges, d.ovs.flows)).applied;
              // the userspace datapath reads its ports by AF_PACKET: checksums must be finished by the sender (TxChecksums)
              return applied + (checksums ? await checksums.reconcile(d.finishedChecksums) : 0);
            },
          }
        : {}),
    },
    agentOptions(cfg, deps),
  );
}
