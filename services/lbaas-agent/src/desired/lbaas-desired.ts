import * as path from 'node:path';
import { hostState, portInNamespace, type HostState, type Link, type ManagedProcess, type Namespace, type Route } from '@neutrino/dataplane';
import type { LoadBalancerTree } from '@neutrino/domain';
import { lbaasNetns, nsDeviceName } from '@neutrino/naming';
import { prefixLength } from '@neutrino/netaddr';
import type { LbaasView } from '../view/lbaas-view';
import { renderHaproxyConfig, servedListeners } from './haproxy-config';

export interface LbaasDesiredSettings {
  netnsPrefix: string;
  /** `<dataDir>/lbaas/v2`: one directory per load balancer under it */
  confRoot: string;
  haproxyBin: string;
  userGroup: string;
}

/** HAProxy's verdict on a config: null when it accepts it, else its message. */
export type ConfigCheck = (config: string, dir: string) => string | null;

export const haproxyProcessId = (lbId: string): string => `haproxy-${lbId}`;
export const lbDir = (cfg: Pick<LbaasDesiredSettings, 'confRoot'>, lbId: string): string => path.join(cfg.confRoot, lbId);

/** A hosted load balancer as this reconcile renders it: the version, and the config HAProxy refused (if it did). */
export interface LbPlan {
  id: string;
  version: number;
  netns: string;
  /** why it is not (fully) in the desired state: VIP port or subnet not known yet */
  waiting?: string;
  /** HAProxy refused the config of this version (the last accepted one, if any, stays) */
  refused?: string;
}

/** The rendered config HAProxy last accepted per load balancer, and the checks' verdicts by content. */
export class CheckedConfigs {
  private readonly verdicts = new Map<string, string | null>();
  readonly accepted = new Map<string, string>();
  constructor(private readonly check: ConfigCheck) {}

  /** The config to run for `lbId`: `config` when HAProxy accepts it, else the last accepted one (refused: its message). */
  pick(lbId: string, config: string, dir: string): { config?: string; refused?: string } {
    let verdict = this.verdicts.get(config);
    if (verdict === undefined) {
      verdict = this.check(config, dir);
      if (this.verdicts.size > 1000) this.verdicts.clear();
      this.verdicts.set(config, verdict);
    }
    if (verdict === null) {
      this.accepted.set(lbId, config);
      return { config };
    }
    return { config: this.accepted.get(lbId), refused: verdict };
  }

  forget(lbId: string): void {
    this.accepted.delete(lbId);
  }
}

function haproxyProcess(lbId: string, netns: string, config: string, cfg: LbaasDesiredSettings): ManagedProcess {
  const dir = lbDir(cfg, lbId);
  const conf = path.join(dir, 'haproxy.conf');
  const pidFile = path.join(dir, 'pid');
  return {
    id: haproxyProcessId(lbId),
    netns,
    // master-worker: the master (whose pid the pid file holds) re-reads the config on SIGUSR2 and starts new workers; the old ones finish their connections
    argv: [cfg.haproxyBin, '-W', '-D', '-f', conf, '-p', pidFile],
    pidFile,
    files: [{ path: conf, content: config }],
    reloadSignal: 'SIGUSR2',
    // the reload is done when the new workers run: a second SIGUSR2 before that could be lost
    reloadReplacesChildren: true,
    daemonizes: true,
  };
}

/**
 * The lbaas side of one host (spec/lbaas.md §3, §10): per load balancer
 * scheduled here and not being deleted, a `qlbaas-<lb_id>` namespace with lo
 * up, a veth — `tap<port[:11]>` on the host (the l2-agent puts it in the
 * network's bridge) and `ns-<port[:11]>` inside with the VIP port's MAC and
 * `<vip>/<prefix>` — a default route via the VIP subnet's gateway, and, once
 * it has a listener, one HAProxy in master-worker mode.
 */
export function lbaasDesired(view: LbaasView, cfg: LbaasDesiredSettings, checked: CheckedConfigs): { state: HostState; plans: LbPlan[] } {
  const namespaces: Namespace[] = [];
  const links: Link[] = [];
  const routes: Route[] = [];
  const processes: ManagedProcess[] = [];
  const plans: LbPlan[] = [];
  for (const tree of view.hosted()) {
    const lb = tree.loadbalancer;
    if (lb.provisioning_status === 'PENDING_DELETE') {
      checked.forget(lb.id);
      continue;
    }
    const netns = lbaasNetns(lb.id, cfg.netnsPrefix);
    const plan: LbPlan = { id: lb.id, version: lb.config_version, netns };
    plans.push(plan);
    // a v1 pool without its VIP yet: nothing to run, and that is applied (its members and monitor turn ACTIVE)
    if (!lb.vip_port_id) {
      checked.forget(lb.id);
      continue;
    }
    const port = view.ports.get(lb.vip_port_id);
    const subnet = view.subnets.get(lb.vip_subnet_id);
    if (!port || !subnet) {
      plan.waiting = !port ? `VIP port ${lb.vip_port_id} not known` : `VIP subnet ${lb.vip_subnet_id} not known`;
      continue;
    }
    const mtu = view.networks.get(lb.vip_network_id)?.mtu || undefined;
    namespaces.push({ name: netns });
    links.push(...portInNamespace(netns, port, [`${lb.vip_address}/${prefixLength(subnet.cidr)}`], mtu));
    if (subnet.gateway_ip) routes.push({ netns, dst: subnet.ip_version === 6 ? '::/0' : '0.0.0.0/0', via: subnet.gateway_ip, dev: nsDeviceName(port.id) });
    const proc = haproxyFor(tree, netns, cfg, checked, plan);
    if (proc) processes.push(proc);
  }
  return { state: hostState({ namespaces, links, routes, processes }), plans };
}

function haproxyFor(tree: LoadBalancerTree, netns: string, cfg: LbaasDesiredSettings, checked: CheckedConfigs, plan: LbPlan): ManagedProcess | undefined {
  const id = tree.loadbalancer.id;
  // a load balancer without listeners is ACTIVE with its namespace and device only (as Octavia's)
  if (!servedListeners(tree).length) {
    checked.forget(id);
    return undefined;
  }
  const dir = lbDir(cfg, id);
  const { config, refused } = checked.pick(id, renderHaproxyConfig(tree, { dir, userGroup: cfg.userGroup }), dir);
  if (refused) plan.refused = refused;
  return config ? haproxyProcess(id, netns, config, cfg) : undefined;
}
