import { pfAddresses } from './port-forwarding';
import * as path from 'node:path';
import type { ManagedProcess } from '@neutrino/dataplane';
import type { RouterPlan } from './router-plan';

/** VRRP settings of Neutron's HA routers (spec/l3.md §3.1.3). */
export const HA_PRIORITY = 50;
export const ADVERT_INT = 2;
/**
 * Deviation from the golden form of spec/l3.md §3.3 (which has no garp line; later Neutron writes
 * `garp_master_delay 60` there): the new master repeats its gratuitous ARPs 1 s after the transition
 * instead of keepalived's default 5 s. Most likely (inferred, not traced) the first burst goes out while the l2-agent is still wiring the
 * router's taps on the new master's host (it does so once the ports are rebound there), so the
 * external bridge only learns the new location from the second one: 5.5 s of lost traffic with the
 * default, ~1.7 s with 1 s (e2e/agents/src/l3-ha-api.e2e.spec.ts).
 */
export const GARP_MASTER_DELAY = 1;

/** The virtual IP: 169.254.0.<VRID>/24 on the member's ha- device (§3.2.5). */
export const haVip = (vrid: number): string => `169.254.0.${vrid}/24`;

/** Every address keepalived adds on becoming master (virtual_ipaddress_excluded), per device. */
export function excludedAddresses(r: RouterPlan): Array<{ cidr: string; dev: string }> {
  const out: Array<{ cidr: string; dev: string }> = [];
  for (const i of r.interfaces) for (const c of i.cidrs) out.push({ cidr: c, dev: i.dev });
  if (r.gateway) {
    for (const c of r.gateway.cidrs) out.push({ cidr: c, dev: r.gateway.dev });
    for (const f of r.floatingIps) out.push({ cidr: `${f.floatingIp}/32`, dev: r.gateway.dev });
    for (const a of pfAddresses(r.portForwardings)) out.push({ cidr: `${a}/32`, dev: r.gateway.dev });
  }
  return out;
}

/** keepalived.conf of one member (golden form: spec/l3.md §3.3); entries sorted as strings. */
export function renderKeepalivedConf(r: RouterPlan): string {
  const ha = r.ha!;
  const dev = ha.port.dev;
  const excluded = excludedAddresses(r).map((a) => `${a.cidr} dev ${a.dev}`).sort();
  const routes: string[] = [];
  if (r.gateway?.gatewayIp) routes.push(`0.0.0.0/0 via ${r.gateway.gatewayIp} dev ${r.gateway.dev}`);
  for (const x of r.routes) routes.push(`${x.destination} via ${x.nexthop}`);
  const block = (name: string, lines: string[]) => (lines.length ? [`    ${name} {`, ...lines.map((l) => `        ${l}`), '    }'] : []);
  return [
    `vrrp_instance VR_${ha.vrid} {`,
    '    state BACKUP',
    `    interface ${dev}`,
    `    virtual_router_id ${ha.vrid}`,
    `    priority ${HA_PRIORITY}`,
    `    garp_master_delay ${GARP_MASTER_DELAY}`,
    '    nopreempt',
    `    advert_int ${ADVERT_INT}`,
    ...block('track_interface', [dev]),
    ...block('virtual_ipaddress', [`${haVip(ha.vrid)} dev ${dev}`]),
    ...block('virtual_ipaddress_excluded', excluded),
    ...block('virtual_routes', routes),
    '}',
    '',
  ].join('\n');
}

export interface KeepalivedSettings {
  /** `<data dir>/l3/ha_confs`: a router's files live in `<dir>/<router_id>/` */
  haConfsDir: string;
  keepalivedBin: string;
}

/** The directory of one router's keepalived files. */
export const haConfDir = (s: KeepalivedSettings, routerId: string): string => path.join(s.haConfsDir, routerId);

/** keepalived (VRRP only) in the router's namespace: the file rewritten and SIGHUP on change, never a restart. */
export function keepalivedProcess(r: RouterPlan, s: KeepalivedSettings): ManagedProcess {
  const dir = haConfDir(s, r.id);
  const conf = path.join(dir, 'keepalived.conf');
  const pidFile = path.join(dir, 'keepalived.pid');
  return {
    id: `keepalived-${r.id}`,
    netns: r.netns,
    argv: [s.keepalivedBin, '-P', '-f', conf, '-p', pidFile, '-r', path.join(dir, 'keepalived-vrrp.pid')],
    pidFile,
    files: [{ path: conf, content: renderKeepalivedConf(r) }],
    reloadSignal: 'SIGHUP',
    daemonizes: true,
  };
}
