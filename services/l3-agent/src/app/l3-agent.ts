import * as path from 'node:path';
import { createAgent, createDriver, type Agent, type AgentDeps, type AgentSources } from '@neutrino/agent-kit';
import type { ReconcileResult } from '@neutrino/dataplane';
import type { EventStore } from '@neutrino/events';
import type { L3Config } from '../config/l3-config';
import { l3Desired, routerPlans, type L3DesiredSettings } from '../desired/l3-desired';
import type { RouterPlan } from '../desired/router-plan';
import { L3_BINARY, L3View } from '../view/l3-view';
import { announceFip, forgetFip } from './fip-actions';
import { fipStatusReports } from './fip-status';
import { HaMonitor, type VipProbe } from './ha-monitor';
import { VpnMonitor, linuxCharonProbe, type CharonProbe } from '../vpn/vpn-status';
import { l3Ownership } from './l3-ownership';
import { fipTransitions, servedFloatingIps, type ServedFip } from './served-fips';

export interface L3AgentDeps extends AgentDeps {
  /** the metadata proxy to run in each router namespace (from the metadata-proxy service); none by default */
  metadataProxy?: L3DesiredSettings['metadataProxy'];
  /** default: `ip addr` in the namespace (linux driver); the memory driver has no keepalived */
  vipProbe?: VipProbe;
  /** what follows a floating IP's change on the host (gratuitous ARP, conntrack); default: the real ones with the linux driver, none otherwise */
  fipActions?: FipActions;
  /** default: swanctl over each router's vici socket (linux driver); the memory driver has no charon: without a probe given nothing is reported */
  charonProbe?: CharonProbe;
}

/** Work on the host that follows floating IPs appearing, moving or going (not state: done once, after the apply). */
export interface FipActions {
  announce(f: ServedFip): Promise<void>;
  forget(f: ServedFip): Promise<void>;
}
const LINUX_FIP_ACTIONS: FipActions = { announce: (f) => announceFip(f), forget: (f) => forgetFip(f) };

export const desiredSettings = (cfg: L3Config, dataDir: string, metadataProxy?: L3DesiredSettings['metadataProxy']): L3DesiredSettings => ({
  netnsPrefix: cfg.netnsPrefix,
  enableMetadataProxy: cfg.enableMetadataProxy,
  // per host: the hosts of a test bed share one data dir
  haConfsDir: path.join(dataDir, 'l3', cfg.host, 'ha_confs'),
  keepalivedBin: cfg.keepalivedBin,
  ipsecDir: path.join(dataDir, 'l3', cfg.host, 'ipsec'),
  starterBin: cfg.strongswanStarterBin,
  ipsecBackend: cfg.strongswanIpsec,
  ...(metadataProxy ? { metadataProxy } : {}),
});

/** The counts the agent shows in GET /v2.0/agents, of the routers planned here. */
export function servedCounts(plans: RouterPlan[]) {
  return {
    routers: plans.length,
    floating_ips: plans.reduce((n, r) => n + r.floatingIps.length, 0),
    ex_gw_ports: plans.filter((r) => r.gateway).length,
    interfaces: plans.reduce((n, r) => n + r.interfaces.length, 0),
  };
}

/** The l3-agent's sources: the HA monitor, its probe of keepalived's outcome (with the memory driver and no probe given it finds nothing). */
export interface L3Sources extends AgentSources {
  ha: HaMonitor;
  /** the VPN status probe: each router's charon, read after each apply and every NEUTRINO_VPN_STATUS_POLL_MS */
  vpn: VpnMonitor;
}
export type L3Agent = Agent<L3View, L3Sources>;

/** The L3 agent of one host (legacy and HA routers, agent_mode legacy), on the agent kit. */
export function createL3Agent(store: EventStore, cfg: L3Config, deps: L3AgentDeps): L3Agent {
  const view = new L3View(cfg.host);
  const settings = desiredSettings(cfg, deps.dataDir, deps.metadataProxy);
  const configurations: Record<string, unknown> = { ...servedCounts(routerPlans(view, settings)), agent_mode: 'legacy' };
  const linux = cfg.driver === 'linux' && !deps.driver;
  const fipActions = deps.fipActions ?? (linux ? LINUX_FIP_ACTIONS : undefined);
  /** floating IPs configured here after the last reconcile (undefined before the first) */
  let served: Map<string, ServedFip> | undefined;
  /** the routers of the desired state the running reconcile applies (the view may move on while it runs) */
  let plans: RouterPlan[] = [];
  const probe = deps.vipProbe ?? (linux ? undefined : async () => undefined);
  // the monitors look at the routers the last reconcile planned (and applied), not at plans of their own
  const ha = new HaMonitor(store, view, () => plans, { logger: deps.logger, binary: L3_BINARY, pollMs: cfg.haStatePollMs, probe });
  const charonProbe = deps.charonProbe ?? (linux ? linuxCharonProbe(cfg.swanctlBin, path.join(path.dirname(cfg.strongswanStarterBin), 'stroke')) : undefined);
  const vpn = new VpnMonitor(store, view, () => plans, {
    logger: deps.logger, binary: L3_BINARY, pollMs: cfg.vpnStatusPollMs, settings: { ipsecDir: settings.ipsecDir, starterBin: settings.starterBin, ipsecBackend: settings.ipsecBackend }, probe: charonProbe,
  });
  return createAgent(
    store,
    {
      agentType: 'L3 agent',
      binary: L3_BINARY,
      topic: 'l3_agent',
      host: cfg.host,
      configurations,
      view,
      desired: (v) => {
        // planned once per reconcile: the desired state, the report, the floating-IP bookkeeping and the monitors use these
        plans = routerPlans(v, settings);
        return l3Desired(v, settings, plans);
      },
      scope: { ownership: l3Ownership(cfg.netnsPrefix) },
      driver: deps.driver ?? createDriver(cfg.driver, { hostNetns: cfg.hostNetns, dataDir: deps.dataDir, agent: 'l3', host: cfg.host }),
      // after the apply: the old mappings' rules are gone (and their flows already dropped by the filter table),
      // so the conntrack entries deleted now cannot be made again with the old NAT
      afterReconcile: async () => {
        // a changed PSK or a new connection: charon reads ipsec.secrets now, before its peer may ask
        await vpn.afterApply();
        const now = servedFloatingIps(plans);
        const { announce, forget } = fipTransitions(served ?? new Map(), now);
        if (fipActions) {
          for (const f of forget) await fipActions.forget(f);
          for (const f of announce) void fipActions.announce(f);
        }
      },
      report: (v, _desired, result: ReconcileResult) => {
        Object.assign(configurations, servedCounts(plans));
        const now = servedFloatingIps(plans);
        const reports = fipStatusReports(v, now, served ?? new Map(), result);
        served = now;
        // the tunnels after what was just applied (a new or changed connection is brought up at once)
        if (plans.some((r) => r.vpn) || v.vpn.size) void vpn.pollOnce();
        return reports;
      },
      sources: { ha, vpn },
    },
    {
      logger: deps.logger, registry: deps.registry, resyncMs: deps.resyncMs, heartbeatTtlMs: deps.heartbeatTtlMs, coalesceMs: deps.coalesceMs,
      // the real host outlives the process: a restart on the same host starts from what it installed (see AgentOptions)
      ...(linux ? { installedStateFile: path.join(deps.dataDir, 'l3', cfg.host, 'installed.json') } : {}),
    },
  );
}
