import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { createAgent, createDriver, type Agent, type AgentDeps, type AgentSources } from '@neutrino/agent-kit';
import type { HostState, ReconcileResult } from '@neutrino/dataplane';
import type { EventStore } from '@neutrino/events';
import { LBAAS_AGENT_BINARY, LBAAS_AGENT_TYPE } from '@neutrino/naming';
import type { LbaasConfig } from '../config/lbaas-config';
import { CheckedConfigs, haproxyProcessId, lbaasDesired, type ConfigCheck, type LbaasDesiredSettings, type LbPlan } from '../desired/lbaas-desired';
import { LbaasView } from '../view/lbaas-view';
import { haproxyCheck } from './haproxy-check';
import { LbHealthMonitor, type StatsSink } from './health-monitor';
import { lbaasOwnership } from './lbaas-ownership';
import { lbaasReports } from './lbaas-reports';

export interface LbaasAgentDeps extends AgentDeps {
  /** default: `haproxy -c` with the linux driver, every config accepted with the memory one */
  check?: ConfigCheck;
  /** default: the `neutrino_lbaas_stats` bucket */
  stats?: () => Promise<StatsSink>;
  /** default: `show stat` on the socket */
  readStats?: (socketPath: string) => Promise<string>;
}

export interface LbaasSources extends AgentSources {
  health: LbHealthMonitor;
}
export type LbaasAgent = Agent<LbaasView, LbaasSources>;

export const lbaasConfRoot = (dataDir: string): string => path.join(dataDir, 'lbaas', 'v2');

/** The lbaas-agent of one host: per load balancer scheduled here a qlbaas- namespace with the VIP and one HAProxy (spec/lbaas.md §10). */
export function createLbaasAgent(store: EventStore, cfg: LbaasConfig, deps: LbaasAgentDeps): LbaasAgent {
  const view = new LbaasView(cfg.host);
  const settings: LbaasDesiredSettings = { netnsPrefix: cfg.netnsPrefix, confRoot: lbaasConfRoot(deps.dataDir), haproxyBin: cfg.haproxyBin, userGroup: cfg.userGroup };
  const checked = new CheckedConfigs(deps.check ?? (cfg.driver === 'linux' ? haproxyCheck(cfg.haproxyBin) : () => null));
  const configurations: Record<string, unknown> = { device_drivers: ['haproxy_ns'], instances: 0 };
  let plans: LbPlan[] = [];
  const health = new LbHealthMonitor(view, {
    logger: deps.logger,
    pollMs: cfg.healthPollMs,
    confRoot: settings.confRoot,
    stats: deps.stats ?? (() => store.lbaasStats()),
    read: deps.readStats,
  });
  return createAgent(
    store,
    {
      agentType: LBAAS_AGENT_TYPE,
      binary: LBAAS_AGENT_BINARY,
      topic: 'n-lbaasv2_agent',
      host: cfg.host,
      configurations,
      view,
      desired: (v): HostState => {
        const out = lbaasDesired(v, settings, checked);
        plans = out.plans;
        for (const p of plans) if (p.refused) deps.logger.warn({ loadbalancer: p.id, version: p.version, reason: p.refused }, 'HAProxy refused the configuration: the last accepted one stays');
        return out.state;
      },
      scope: { ownership: lbaasOwnership(cfg.netnsPrefix) },
      driver: deps.driver ?? createDriver(cfg.driver, { hostNetns: cfg.hostNetns, dataDir: deps.dataDir, agent: 'lbaas', host: cfg.host }),
      report: (v, _desired, result) => {
        configurations.instances = plans.length;
        return lbaasReports(v, plans, result);
      },
      // a stopped HAProxy leaves its directory (and the socket a SIGKILLed one could not remove): gone with it
      afterReconcile: (result: ReconcileResult) => removeStoppedDirs(result, settings.confRoot),
      sources: { health },
    },
    { logger: deps.logger, registry: deps.registry, resyncMs: deps.resyncMs, heartbeatTtlMs: deps.heartbeatTtlMs, coalesceMs: deps.coalesceMs },
  );
}

const UUIDISH = /^[A-Za-z0-9-]+$/;

export async function removeStoppedDirs(result: ReconcileResult, confRoot: string): Promise<void> {
  for (const c of result.changes) {
    if (c.kind !== 'process.stop') continue;
    const lbId = c.process.id.startsWith('haproxy-') ? c.process.id.slice('haproxy-'.length) : '';
    if (!lbId || !UUIDISH.test(lbId) || haproxyProcessId(lbId) !== c.process.id) continue;
    await rm(path.join(confRoot, lbId), { recursive: true, force: true });
  }
}
