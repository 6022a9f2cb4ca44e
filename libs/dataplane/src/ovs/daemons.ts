import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execArgv, type Exec } from '../driver/linux/exec';
import { liveCmdline, readPid, waitFor } from '../driver/linux/proc-fs';
import { inNetns } from '../render/netns';

export const DEFAULT_OVS_SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';
/** A unix socket path's limit (sun_path is 108 bytes with the NUL). */
const SUN_PATH_MAX = 107;
/** The longest socket name we put in the run directory: a bridge's `<15 characters>.mgmt`/`.snoop`. */
const LONGEST_SOCKET = 'x'.repeat(15) + '.snoop';

export interface OvsDaemonsOptions {
  /** The host's own directory for the DB, sockets, pid and log files. */
  runDir: string;
  /** The network namespace the daemons run in (the host's); undefined = the current one. */
  netns?: string;
  schema?: string;
  exec?: Exec;
  /** How long start and stop wait for a daemon (ms). */
  waitMs?: number;
}

type Daemon = 'ovsdb-server' | 'ovs-vswitchd';

/**
 * One host's Open vSwitch: its own ovsdb-server (`punix:<runDir>/db.sock`)
 * and ovs-vswitchd, each started detached inside the host's namespace with its
 * pid file, control socket and log in `runDir`; the vswitchd's OpenFlow
 * management sockets (`<bridge>.mgmt`) land there too (OVS_RUNDIR). Stopped by
 * the pid in its pid file, and only while that pid still runs the command line
 * we started — never by name.
 */
export class OvsDaemons {
  readonly runDir: string;
  private readonly exec: Exec;
  private readonly waitMs: number;

  constructor(private readonly opts: OvsDaemonsOptions) {
    this.runDir = opts.runDir;
    this.exec = opts.exec ?? execArgv;
    this.waitMs = opts.waitMs ?? 10_000;
    const longest = join(this.runDir, LONGEST_SOCKET);
    if (longest.length > SUN_PATH_MAX) throw new Error(`OVS run directory ${this.runDir} is too long for unix sockets (${longest.length} > ${SUN_PATH_MAX} characters)`);
  }

  private file = (name: string) => join(this.runDir, name);
  get dbPath(): string {
    return this.file('conf.db');
  }
  get dbSocket(): string {
    return this.file('db.sock');
  }
  pidFile = (d: Daemon): string => this.file(`${d}.pid`);
  ctlSocket = (d: Daemon): string => this.file(`${d}.ctl`);
  logFile = (d: Daemon): string => this.file(`${d}.log`);

  /** The daemon's own command line (what /proc/<pid>/cmdline shows once it runs). */
  argv(d: Daemon): string[] {
    const common = [`--pidfile=${this.pidFile(d)}`, `--unixctl=${this.ctlSocket(d)}`, `--log-file=${this.logFile(d)}`, '--detach', '--no-chdir'];
    if (d === 'ovsdb-server') return ['ovsdb-server', this.dbPath, `--remote=punix:${this.dbSocket}`, ...common];
    return ['ovs-vswitchd', `unix:${this.dbSocket}`, ...common];
  }

  /** The daemon's pid while it is the process we started, else undefined. */
  async pid(d: Daemon): Promise<number | undefined> {
    const pid = await readPid(this.pidFile(d));
    if (pid === undefined) return undefined;
    const cmd = await liveCmdline(pid);
    const want = this.argv(d);
    return cmd && cmd.length === want.length && cmd.every((a, i) => a === want[i]) ? pid : undefined;
  }

  async running(): Promise<{ ovsdbServer?: number; ovsVswitchd?: number }> {
    return { ovsdbServer: await this.pid('ovsdb-server'), ovsVswitchd: await this.pid('ovs-vswitchd') };
  }

  private async run(argv: string[]): Promise<string> {
    const env = ['env', `OVS_RUNDIR=${this.runDir}`, `OVS_DBDIR=${this.runDir}`, `OVS_LOGDIR=${this.runDir}`];
    const r = await this.exec(inNetns(this.opts.netns, [...env, ...argv]));
    if (r.code !== 0) throw new Error(`${argv[0]} exited with ${r.code}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  private vsctl = (...args: string[]) => this.run(['ovs-vsctl', `--db=unix:${this.dbSocket}`, ...args]);

  /** Both daemons up (the DB created on first start, kept afterwards); what already runs is left running. */
  async start(): Promise<void> {
    await mkdir(this.runDir, { recursive: true, mode: 0o750 });
    await this.startDb();
    await this.startVswitchd();
  }

  async startDb(): Promise<void> {
    if (await this.pid('ovsdb-server')) return;
    if (!existsSync(this.dbPath)) await this.run(['ovsdb-tool', 'create', this.dbPath, this.opts.schema ?? DEFAULT_OVS_SCHEMA]);
    await this.launch('ovsdb-server');
    await this.vsctl('--no-wait', 'init');
  }

  async startVswitchd(): Promise<void> {
    if (!(await this.pid('ovsdb-server'))) throw new Error('ovsdb-server is not running');
    if (!(await this.pid('ovs-vswitchd'))) await this.launch('ovs-vswitchd');
    // ready: it answers on its control socket and has applied the database's last configuration
    const ready = await waitFor(async () => {
      const version = await this.exec(['ovs-appctl', '-t', this.ctlSocket('ovs-vswitchd'), 'version']);
      if (version.code !== 0) return undefined;
      const [next, cur] = (await this.vsctl('--no-wait', 'get', 'Open_vSwitch', '.', 'next_cfg', 'cur_cfg')).trim().split('\n').map(Number);
      return cur >= next ? true : undefined;
    }, this.waitMs, 50);
    if (!ready) throw new Error(`ovs-vswitchd in ${this.runDir} did not become ready`);
  }

  private async launch(d: Daemon): Promise<void> {
    await this.run(this.argv(d)); // --detach: returns once the daemon is initialized
    if ((await waitFor(() => this.pid(d), this.waitMs)) === undefined) throw new Error(`${d} did not write a live pid to ${this.pidFile(d)}`);
  }

  /** ovs-vswitchd alone stopped and started again (the DB and its bridges stay; the flows are gone until reconciled). */
  async restartVswitchd(): Promise<void> {
    await this.stopDaemon('ovs-vswitchd');
    await this.startVswitchd();
  }

  /** Both stopped by pid: the vswitchd first, then the DB. The run directory (and its DB) stays. */
  async stop(): Promise<void> {
    await this.stopDaemon('ovs-vswitchd');
    await this.stopDaemon('ovsdb-server');
  }

  /** SIGTERM, then SIGKILL when it is still there after the grace period; only while the pid is ours. */
  async stopDaemon(d: Daemon): Promise<void> {
    const pid = await this.pid(d);
    if (pid === undefined) return;
    const gone = async () => ((await liveCmdline(pid)) === undefined ? true : undefined);
    process.kill(pid, 'SIGTERM');
    if (await waitFor(gone, this.waitMs / 2, 20)) return;
    if ((await this.pid(d)) === pid) process.kill(pid, 'SIGKILL');
    if (!(await waitFor(gone, this.waitMs / 2, 20))) throw new Error(`${d} (pid ${pid}) did not exit`);
  }
}
