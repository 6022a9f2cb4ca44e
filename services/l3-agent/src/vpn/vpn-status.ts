import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import type { AgentSource } from '@neutrino/agent-kit';
import { evolveVpnProject, vpnDecider, type VpnProject, type VpnStatus, type VpnStatusReport } from '@neutrino/domain';
import type { EventStore } from '@neutrino/events';
import type { Logger } from '@neutrino/observability';
import { appendDecided } from '../app/append-decided';
import type { RouterPlan } from '../desired/router-plan';
import type { L3View } from '../view/l3-view';
import { strongswanPaths, type StrongswanPaths, type StrongswanSettings } from './strongswan';

const run = promisify(execFile);

/** The SAs of one charon by connection name: IKE SA states and CHILD SA states (`swanctl --list-sas`). */
export type CharonSas = Map<string, { ike: string[]; child: string[] }>;

/** What one look at a router's charon found. */
export interface CharonState {
  /** charon's pid (from its pid file) when that process lives */
  pid?: number;
  /** undefined: charon is not running or its vici socket did not answer */
  sas?: CharonSas;
  /** why sas is undefined */
  error?: string;
  /** the tail of its log (the reasons of failed negotiations) */
  log: string;
}

/** Reads one router's charon; the linux one asks it over the router's own vici socket. */
export interface CharonProbe {
  look(paths: StrongswanPaths): Promise<CharonState>;
  /**
   * Bring a connection up now (neutron-vpnaas's `ipsec stroke up-nb`): its tunnel does not wait for the
   * first packet. Resolves false when charon does not know the connection yet (starter has not loaded it).
   */
  initiate(paths: StrongswanPaths, connection: string): Promise<boolean>;
  /** End a tunnel whose connection is gone (starter's reload drops the config, not the SAs): its IKE SA and CHILD SAs, the peer told. */
  terminate(paths: StrongswanPaths, connection: string): Promise<void>;
  /** charon's pid when it runs (its pid file in the router's run/), without asking it anything */
  pid(paths: StrongswanPaths): number | undefined;
  /** Make charon load ipsec.secrets again (neutron-vpnaas's `ipsec rereadsecrets`): starter's SIGHUP reloads only ipsec.conf. */
  rereadSecrets(paths: StrongswanPaths): Promise<void>;
}

/**
 * `swanctl --list-sas` as strongSwan 5.9 prints it: an IKE SA line
 * `<name>: #<n>, <STATE>, IKEv<v>, …` and, indented under it, a CHILD SA line
 * `  <name>: #<n>, reqid <r>, <STATE>, <MODE>, …`.
 */
export function parseListSas(text: string): CharonSas {
  const out: CharonSas = new Map();
  const entry = (name: string) => out.get(name) ?? (out.set(name, { ike: [], child: [] }), out.get(name)!);
  for (const line of text.split('\n')) {
    const ike = /^(\S+): #\d+, ([A-Z_]+), IKEv\d/.exec(line);
    if (ike) {
      entry(ike[1]).ike.push(ike[2]);
      continue;
    }
    const child = /^\s+(\S+): #\d+, reqid \d+, ([A-Z_]+),/.exec(line);
    if (child) entry(child[1]).child.push(child[2]);
  }
  return out;
}

const FAILURE = /fail|error|mismatch|invalid|giving up|no shared key|no PSK|no matching|unable|not acceptable|NO_PROPOSAL|retransmit/i;

/** The last line of charon's log about this connection that says what went wrong (timestamp and thread stripped). */
export function failureOf(log: string, connection: string): string | undefined {
  const lines = log.split('\n').filter((l) => l.includes(`<${connection}|`) && FAILURE.test(l));
  const last = lines.at(-1);
  return last?.replace(/^.*?\[[A-Z]+\] <[^>]*> /, '').trim();
}

/** A connection's status from its router's charon: ACTIVE once a CHILD SA is installed (neutron-vpnaas's INSTALLED), DOWN otherwise with why. */
export function connectionStatus(id: string, charon: CharonState): { status: VpnStatus; reason?: string } {
  if (!charon.sas) return { status: 'DOWN', reason: charon.error ?? 'charon is not running' };
  const sa = charon.sas.get(id);
  if (sa?.child.includes('INSTALLED')) return { status: 'ACTIVE' };
  const failure = failureOf(charon.log, id);
  if (failure) return { status: 'DOWN', reason: failure };
  if (sa?.ike.length) return { status: 'DOWN', reason: `IKE SA ${sa.ike.join(', ')}, no CHILD SA installed yet` };
  return { status: 'DOWN', reason: 'no IKE SA established with the peer yet' };
}

/**
 * The status reports of this host's routers (HA ones where this member is active), one per project and router: a
 * service is ACTIVE while its router's charon runs, DOWN otherwise (admin
 * down, no gateway, charon gone); a connection as its router's charon says
 * (admin-down ones and those of a service that is not running: DOWN).
 */
export function vpnStatusReports(view: L3View, plans: RouterPlan[], charons: Map<string, CharonState>): VpnStatusReport[] {
  const out: VpnStatusReport[] = [];
  const byId = new Map(plans.map((p) => [p.id, p]));
  for (const project of [...view.vpn.values()].sort((a, b) => a.project_id.localeCompare(b.project_id))) {
    const reports = new Map<string, VpnStatusReport>();
    for (const s of Object.values(project.vpnservice).sort((a, b) => a.id.localeCompare(b.id))) {
      if (!view.isHere(s.router_id)) continue;
      // an HA router's VPN is reported by its active member only (the standby's charon has no tunnel to tell of)
      if (byId.get(s.router_id)?.ha && view.haStates.get(s.router_id)?.get(view.host) !== 'active') continue;
      const plan = byId.get(s.router_id)?.vpn;
      const charon = charons.get(s.router_id);
      const r = reports.get(s.router_id) ?? (reports.set(s.router_id, { router_id: s.router_id, host: view.host, vpnservices: {}, connections: {} }), reports.get(s.router_id)!);
      const running = !!plan?.serviceIds.includes(s.id) && !!charon?.sas;
      r.vpnservices[s.id] = running ? 'ACTIVE' : 'DOWN';
      for (const c of Object.values(project.ipsec_site_connection).filter((x) => x.vpnservice_id === s.id).sort((a, b) => a.id.localeCompare(b.id))) {
        if (!c.admin_state_up) r.connections[c.id] = { status: 'DOWN', reason: 'admin_state_up is false' };
        else if (!s.admin_state_up) r.connections[c.id] = { status: 'DOWN', reason: `its VPN service ${s.id} is admin down` };
        else if (!plan) r.connections[c.id] = { status: 'DOWN', reason: `router ${s.router_id} has no external gateway here` };
        else if (!plan.connections.some((p) => p.id === c.id)) r.connections[c.id] = { status: 'DOWN', reason: 'not configured: its policies or endpoints are unknown here' };
        else r.connections[c.id] = connectionStatus(c.id, charon ?? { log: '', error: 'charon has not been looked at yet' });
      }
    }
    out.push(...reports.values());
  }
  return out;
}

/**
 * How soon a connection without any SA is initiated again (a failed negotiation is not retried by
 * charon: keyingtries=1): 2 s after the first try, doubling up to 30 s; a new config (or charon) starts over.
 * The peer's side is often configured a moment later than ours, so the first retry comes soon.
 */
const INITIATE_FIRST_RETRY_MS = 1_000;
const INITIATE_MAX_RETRY_MS = 30_000;

const tail = (file: string, bytes = 64 * 1024): string => {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const start = Math.max(0, size - bytes);
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The real charon: its pid file in the router's run/ (bound over /run in its mount namespace), swanctl over its vici socket. */
export function linuxCharonProbe(swanctlBin: string, strokeBin: string): CharonProbe {
  const uri = (p: StrongswanPaths) => `unix://${p.vici}`;
  return {
    pid(p) {
      const pid = Number(tail(`${p.run}/charon.pid`, 64).trim()) || undefined;
      return pid && alive(pid) ? pid : undefined;
    },
    async look(p) {
      const log = tail(p.log);
      const pid = this.pid(p);
      if (!pid) return { log, error: 'charon is not running' };
      try {
        const { stdout } = await run(swanctlBin, ['--list-sas', '--uri', uri(p)], { timeout: 5000 });
        return { pid, sas: parseListSas(stdout), log };
      } catch (err) {
        return { pid, log, error: `charon's vici socket did not answer: ${(err as Error).message.split('\n')[0]}` };
      }
    },
    async initiate(p, connection) {
      // --timeout: detach after that long, the negotiation goes on in charon
      try {
        await run(swanctlBin, ['--initiate', '--child', connection, '--timeout', '3', '--uri', uri(p)], { timeout: 10_000 });
        return true;
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        return !/no config named/.test(`${e.stdout ?? ''}${e.stderr ?? ''}`);
      }
    },
    async terminate(p, connection) {
      await run(swanctlBin, ['--terminate', '--ike', connection, '--timeout', '3', '--uri', uri(p)], { timeout: 10_000 }).catch(() => undefined);
    },
    async rereadSecrets(p) {
      await run(strokeBin, ['rereadsecrets'], { timeout: 5000, env: { ...process.env, STRONGSWAN_CONF: p.strongswanConf } });
    },
  };
}

/**
 * The l3-agent's VPN status probe: after each apply and every `pollMs` it
 * looks at the charon of each router here with VPN services, brings up the
 * connections that have no SA (bi-directional ones), and reports what
 * changed as vpn.status_reported, decided by the domain on the project's
 * VPN subject at its sequence. What it finds wrong is logged with the reason.
 */
export class VpnMonitor implements AgentSource {
  private running?: Promise<void>;
  private again = false;
  /** connection → (charon pid + its config) it was last initiated for, when, and how many times for that key */
  private readonly initiated = new Map<string, { key: string; at: number; tries: number }>();
  private readonly initiating = new Set<Promise<void>>();
  /** router → the charon pid and ipsec.secrets it was last told to read */
  private readonly secretsRead = new Map<string, string>();
  /** connection/service → what was last logged */
  private readonly logged = new Map<string, string>();
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly view: L3View,
    private readonly plans: () => RouterPlan[],
    private readonly opts: { logger: Logger; binary: string; pollMs: number; settings: StrongswanSettings; probe?: CharonProbe },
  ) {}

  get pollMs(): number {
    return this.opts.pollMs;
  }

  poll(): Promise<void> {
    return this.pollOnce();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await Promise.all(this.initiating);
  }

  async settled(): Promise<void> {
    await this.running;
  }

  /** One look (serialised; one asked for while one runs follows it). */
  pollOnce(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.look().catch((err) => this.opts.logger.warn({ err }, 'VPN status poll failed'));
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async look(): Promise<void> {
    const probe = this.opts.probe;
    if (!probe) return;
    const plans = this.plans();
    const charons = new Map<string, CharonState>();
    for (const r of plans) {
      if (!r.vpn) continue;
      const paths = strongswanPaths(this.opts.settings, r.id);
      const state = await probe.look(paths);
      charons.set(r.id, state);
      if (state.sas && state.pid) {
        await this.rereadSecrets(probe, paths, state.pid, r.id);
        await this.terminateStale(probe, paths, state, r);
        this.initiate(probe, paths, state, r);
      }
    }
    const actor = { user_id: `agent:${this.opts.binary}@${this.view.host}`, project_id: null, roles: ['service'] };
    for (const report of vpnStatusReports(this.view, plans, charons)) {
      this.log(report);
      const projectId = this.projectOf(report);
      if (!projectId) continue;
      // only what changed: decided on the view first (nothing to say: no read of the log)
      const known = this.view.vpn.get(projectId);
      if (!known || !this.decide(known, report).length) continue;
      await appendDecided(this.store, actor, { type: 'vpn', id: projectId }, (events) => {
        let project: VpnProject | undefined;
        for (const e of events) project = evolveVpnProject(project, e);
        return project ? this.decide(project, report) : null;
      });
    }
  }

  private decide(project: VpnProject, report: VpnStatusReport) {
    return vpnDecider.decide({ type: 'ReportVpnStatus', report }, { project, router: () => undefined, subnet: () => undefined });
  }

  private projectOf(report: VpnStatusReport): string | undefined {
    const sid = Object.keys(report.vpnservices)[0];
    for (const p of this.view.vpn.values()) if (p.vpnservice[sid]) return p.project_id;
    return undefined;
  }

  /**
   * Right after an apply (before the status look): each running charon whose ipsec.secrets changed
   * reads them again at once — a peer that initiates a moment after our connection was made must
   * find the key here.
   */
  async afterApply(): Promise<void> {
    const probe = this.opts.probe;
    if (!probe || this.stopped) return;
    for (const r of this.plans()) {
      if (!r.vpn) continue;
      const paths = strongswanPaths(this.opts.settings, r.id);
      const pid = probe.pid(paths);
      if (pid) await this.rereadSecrets(probe, paths, pid, r.id);
    }
  }

  /** The tunnels of connections no longer configured (deleted, admin down) are ended: what runs is what is planned. */
  private async terminateStale(probe: CharonProbe, paths: StrongswanPaths, charon: CharonState, r: RouterPlan): Promise<void> {
    const planned = new Set(r.vpn!.connections.map((c) => c.id));
    for (const [name, sa] of charon.sas!) {
      if (planned.has(name) || !(sa.ike.length || sa.child.length)) continue;
      this.opts.logger.info({ router: r.id, ipsec_site_connection: name }, `ending the tunnel of ${name}: it is no longer configured`);
      await probe.terminate(paths, name);
    }
  }

  /** A charon whose ipsec.secrets changed since it read them (a new connection, a new PSK) reads them again. */
  private async rereadSecrets(probe: CharonProbe, paths: StrongswanPaths, pid: number, routerId: string): Promise<void> {
    let content = '';
    try {
      content = fs.readFileSync(paths.secrets, 'utf8');
    } catch {
      return;
    }
    const key = `${pid}:${content}`;
    if (this.secretsRead.get(routerId) === key) return;
    try {
      await probe.rereadSecrets(paths);
      this.secretsRead.set(routerId, key);
    } catch (err) {
      this.opts.logger.warn({ err, router: routerId }, `charon of router ${routerId} could not re-read ipsec.secrets`);
    }
  }

  /** Bi-directional connections without any SA are brought up (again after a while: a failed negotiation is not retried by charon). */
  private initiate(probe: CharonProbe, paths: StrongswanPaths, charon: CharonState, r: RouterPlan): void {
    for (const c of r.vpn!.connections) {
      if (c.auto !== 'route') continue;
      const sa = charon.sas!.get(c.id);
      if (sa && (sa.ike.length || sa.child.length)) continue;
      const key = `${charon.pid}:${JSON.stringify(c)}`;
      const last = this.initiated.get(c.id);
      const again = last?.key === key;
      if (again && Date.now() - last.at < Math.min(INITIATE_FIRST_RETRY_MS * 2 ** (last.tries - 1), INITIATE_MAX_RETRY_MS)) continue;
      this.initiated.set(c.id, { key, at: Date.now(), tries: again ? last.tries + 1 : 1 });
      const p = probe
        .initiate(paths, c.id)
        // not loaded by starter yet: try again at the next look
        .then((known) => void (known || this.initiated.delete(c.id)))
        .finally(() => this.initiating.delete(p));
      this.initiating.add(p);
    }
  }

  private log(report: VpnStatusReport): void {
    for (const [id, status] of Object.entries(report.vpnservices)) {
      if (this.logged.get(id) === status) continue;
      this.logged.set(id, status);
      this.opts.logger.info({ router: report.router_id, vpnservice: id, status }, `VPN service ${id} is ${status}`);
    }
    for (const [id, s] of Object.entries(report.connections)) {
      const said = `${s.status}:${s.reason ?? ''}`;
      if (this.logged.get(id) === said) continue;
      this.logged.set(id, said);
      const line = { router: report.router_id, ipsec_site_connection: id, status: s.status, ...(s.reason ? { reason: s.reason } : {}) };
      if (s.status === 'ACTIVE') this.opts.logger.info(line, `IPsec site connection ${id} is ACTIVE`);
      else this.opts.logger.warn(line, `IPsec site connection ${id} is ${s.status}: ${s.reason}`);
    }
  }
}
