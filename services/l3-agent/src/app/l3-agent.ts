import * as path from 'node:path';
import { AgentRunner, createDriver } from '@neutrino/agent-kit';
import type { Driver, ReconcileResult } from '@neutrino/dataplane';
import type { EventStore } from '@neutrino/events';
import type { Logger } from '@neutrino/observability';
import type { Registry } from 'prom-client';
import type { L3Config } from '../config/l3-config';
import { l3Desired, routerPlans, type L3DesiredSettings } from '../desired/l3-desired';
import type { RouterPlan } from '../desired/router-plan';
import { L3_BINARY, L3View } from '../view/l3-view';
import { announceFip, forgetFip } from './fip-actions';
import { fipStatusReports } from './fip-status';
import { HaMonitor, type VipProbe } from './ha-monitor';
import { l3Ownership } from './l3-ownership';
import { fipTransitions, servedFloatingIps, type ServedFip } from './served-fips';

export interface L3AgentDeps {
  logger: Logger;
  registry?: Registry;
  dataDir: string;
  resyncMs?: number;
  heartbeatTtlMs?: number;
  coalesceMs?: number;
  /** default: createDriver(cfg.driver …) */
  driver?: Driver;
  /** the metadata proxy to run in each router namespace (from the metadata-proxy service); none by default */
  metadataProxy?: L3DesiredSettings['metadataProxy'];
  /** default: `ip addr` in the namespace (linux driver); the memory driver has no keepalived */
  vipProbe?: VipProbe;
  /** what follows a floating IP's change on the host (gratuitous ARP, conntrack); default: the real ones with the linux driver, none otherwise */
  fipActions?: FipActions;
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
  ...(metadataProxy ? { metadataProxy } : {}),
});

/** The counts the agent shows in GET /v2.0/agents. */
export function servedCounts(view: L3View, s: Pick<L3DesiredSettings, 'netnsPrefix'>) {
  const plans = routerPlans(view, s);
  return {
    routers: plans.length,
    floating_ips: plans.reduce((n, r) => n + r.floatingIps.length, 0),
    ex_gw_ports: plans.filter((r) => r.gateway).length,
    interfaces: plans.reduce((n, r) => n + r.interfaces.length, 0),
  };
}

/** The L3 agent of one host (legacy and HA routers, agent_mode legacy), on the agent kit. */
export class L3Agent {
  readonly view: L3View;
  readonly runner: AgentRunner<L3View>;
  readonly ha?: HaMonitor;
  private readonly settings: L3DesiredSettings;
  /** floating IPs configured here after the last reconcile (undefined before the first) */
  private served?: Map<string, ServedFip>;
  /** the routers of the desired state the running reconcile applies (the view may move on while it runs) */
  private plans: RouterPlan[] = [];

  constructor(
    store: EventStore,
    private readonly cfg: L3Config,
    private readonly deps: L3AgentDeps,
  ) {
    const view = (this.view = new L3View(cfg.host));
    const settings = (this.settings = desiredSettings(cfg, deps.dataDir, deps.metadataProxy));
    const configurations: Record<string, unknown> = { ...servedCounts(view, settings), agent_mode: 'legacy' };
    const linux = cfg.driver === 'linux' && !deps.driver;
    const fipActions = deps.fipActions ?? (linux ? LINUX_FIP_ACTIONS : undefined);
    this.runner = new AgentRunner(
      store,
      {
        agentType: 'L3 agent',
        binary: L3_BINARY,
        topic: 'l3_agent',
        host: cfg.host,
        configurations,
        view,
        desired: (v) => {
          this.plans = routerPlans(v, settings);
          return l3Desired(v, settings);
        },
        scope: { ownership: l3Ownership(cfg.netnsPrefix) },
        driver: deps.driver ?? createDriver(cfg.driver, { hostNetns: cfg.hostNetns, dataDir: deps.dataDir, agent: 'l3', host: cfg.host }),
        // after the apply: the old mappings' rules are gone (and their flows already dropped by the filter table),
        // so the conntrack entries deleted now cannot be made again with the old NAT
        afterReconcile: async () => {
          const now = servedFloatingIps(this.plans);
          const { announce, forget } = fipTransitions(this.served ?? new Map(), now);
          if (fipActions) {
            for (const f of forget) await fipActions.forget(f);
            for (const f of announce) void fipActions.announce(f);
          }
        },
        report: (v, _desired, result: ReconcileResult) => {
          Object.assign(configurations, servedCounts(v, settings));
          const now = servedFloatingIps(this.plans);
          const reports = fipStatusReports(v, now, this.served ?? new Map(), result);
          this.served = now;
          return reports;
        },
      },
      {
        logger: deps.logger, registry: deps.registry, resyncMs: deps.resyncMs, heartbeatTtlMs: deps.heartbeatTtlMs, coalesceMs: deps.coalesceMs,
        // the real host outlives the process: a restart on the same host starts from what it installed (see AgentOptions)
        ...(linux ? { installedStateFile: path.join(deps.dataDir, 'l3', cfg.host, 'installed.json') } : {}),
      },
    );
    const probe = deps.vipProbe ?? (linux ? undefined : async () => undefined);
    this.ha = new HaMonitor(store, view, () => routerPlans(view, settings), { logger: deps.logger, binary: L3_BINARY, pollMs: cfg.haStatePollMs, probe });
  }

  get id(): string {
    return this.runner.id;
  }

  async start(): Promise<void> {
    await this.runner.start();
    this.ha?.start();
  }

  async stop(): Promise<void> {
    await this.ha?.stop();
    await this.runner.stop();
  }

  settled(): Promise<void> {
    return this.runner.settled();
  }
}
