import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ownsNetns } from '../../model/ownership';
import type { Change } from '../../diff/changes';
import type { HostState, Link, ManagedProcess } from '../../model/types';
import { parseIpAddrJson } from '../../parse/ip-json';
import type { ApplyError, ApplyResult, Driver, Scope } from '../driver';
import { execArgv, pool, type Exec } from './exec';
import { observeLinux } from './observe';
import { planLinux, type CommandStep, type Step } from './plan';
import { ProcessManager, restartProcess } from './processes';

/** Runs `ip "$@"` until its stdin closes (the agent stopped or died), then kills it by its PID; exits when ip does. */
// (the shell gives a background list /dev/null as stdin: the pipe is passed to cat as fd 3, explicitly)
const MONITOR_WHILE_STDIN_OPEN = 'exec 3<&0; ip "$@" </dev/null & m=$!; { cat <&3 >/dev/null; kill "$m" 2>/dev/null; } & exec 3<&-; wait "$m"';

export interface LinuxDriverOptions {
  /** the host's network namespace when the host is itself one (test bed); undefined = the machine's root namespace */
  hostNetns?: string;
  /** where records of the processes we manage are kept (one directory per agent) */
  stateDir: string;
  /** commands run at once inside one stage (default 4) */
  concurrency?: number;
  /** processes a full observe reads the namespaces with, each a batch of them (default: the machine's cores) */
  observeBatches?: number;
  exec?: Exec;
}

/** Where iproute2 keeps the named namespaces. */
const NETNS_DIR = '/run/netns';

/** Which changes of a batched command failed, from the tool's error output. */
function failedOf(step: CommandStep, stderr: string): Change[] {
  const tool = step.argv.find((a) => ['ip', 'bridge', 'ipset', 'tc'].includes(a));
  if (step.lines && (tool === 'ip' || tool === 'bridge' || tool === 'tc')) {
    const bad = [...stderr.matchAll(/Command failed -:(\d+)/g)].map((m) => Number(m[1]) - 1);
    if (bad.length) return [...new Set(bad.flatMap((i) => step.lines![i] ?? []))];
  }
  const m = tool === 'ipset' && step.lines ? stderr.match(/Error in line (\d+)/) : null;
  if (m) return [...new Set(step.lines!.slice(Number(m[1]) - 1).flat())]; // ipset restore stops at the failing line
  return step.changes;
}

/** The real kernel and daemons, through iproute2, iptables-restore, ipset and /proc. */
export class LinuxDriver implements Driver {
  private readonly exec: Exec;
  private readonly processes: ProcessManager;

  constructor(private readonly opts: LinuxDriverOptions) {
    this.exec = opts.exec ?? execArgv;
    this.processes = new ProcessManager(opts.stateDir, this.exec, opts.hostNetns);
  }

  async observe(scope: Scope): Promise<HostState> {
    const state = await observeLinux(this.exec, scope, this.opts.hostNetns, this.opts.observeBatches ?? availableParallelism());
    state.processes = await this.processes.observe();
    return state;
  }

  /**
   * `ip monitor link` in the host's namespace, a long-running child: every line is a
   * link event. It lives while its stdin is open: stopping closes it, and so does this
   * process's death, even a SIGKILL (no monitor is left behind in a namespace nobody
   * watches). If it dies it is started again after a second.
   */
  watchLinks(onChange: () => void): () => void {
    let child: ChildProcess | undefined;
    let stopped = false;
    let again: NodeJS.Timeout | undefined;
    const start = () => {
      const args = [...(this.opts.hostNetns ? ['-n', this.opts.hostNetns] : []), 'monitor', 'link'];
      const c = spawn('sh', ['-c', MONITOR_WHILE_STDIN_OPEN, 'neutrino-link-monitor', ...args], { stdio: ['pipe', 'pipe', 'ignore'] });
      child = c;
      c.stdout.on('data', () => onChange());
      c.stdin.on('error', () => undefined);
      c.on('error', () => undefined);
      c.on('exit', () => {
        c.stdin.end();
        if (!stopped) again = setTimeout(start, 1000);
      });
    };
    start();
    return () => {
      stopped = true;
      clearTimeout(again);
      child?.stdin?.end();
    };
  }

  async observeHostLinks(): Promise<Link[]> {
    const r = await this.exec(['ip', ...(this.opts.hostNetns ? ['-n', this.opts.hostNetns] : []), '-d', '-json', 'addr', 'show']);
    if (r.code !== 0) throw new Error(`ip addr show: ${r.stderr.trim() || `exit ${r.code}`}`);
    return parseIpAddrJson(r.stdout, '').map(({ ifindex: _i, peerRef: _p, ...l }) => l as Link);
  }

  async identity(scope: Scope): Promise<string | undefined> {
    try {
      const boot = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
      const extra = new Set(scope.namespaces ?? []);
      const names = (await readdir(NETNS_DIR)).filter((n) => n === this.opts.hostNetns || ownsNetns(scope.ownership, n) || extra.has(n)).sort();
      // the namespace file's inode and change time: a namespace made again under the same name (even if it gets the inode number back) differs
      const netns = await Promise.all(
        names.map(async (n) => {
          const st = await stat(join(NETNS_DIR, n));
          return `${n}:${st.ino}:${st.ctimeMs}`;
        }),
      );
      const root = this.opts.hostNetns ? undefined : (await stat('/proc/self/ns/net')).ino;
      return JSON.stringify({ boot, root, netns });
    } catch {
      return undefined;
    }
  }

  observeProcesses(): Promise<ManagedProcess[]> {
    return this.processes.observe();
  }

  /** The commands apply() would run, for logs and tests. */
  plan(changes: Change[]): Step[][] {
    return planLinux(changes, { hostNetns: this.opts.hostNetns });
  }

  async apply(changes: Change[]): Promise<ApplyResult> {
    const started = performance.now();
    const errors: ApplyError[] = [];
    for (const stage of this.plan(changes)) {
      const results = await pool(stage, this.opts.concurrency ?? 4, (s) => this.run(s));
      for (const e of results) if (e) errors.push(e);
    }
    const failed = new Set(errors.flatMap((e) => e.changes)).size;
    return { applied: changes.length - failed, failed, errors, durationMs: performance.now() - started };
  }

  private async run(step: Step): Promise<ApplyError | undefined> {
    if (step.type === 'process') {
      const c = step.changes[0];
      try {
        await this.runProcess(c);
        return undefined;
      } catch (e) {
        return { changes: [c], command: `${c.kind} ${'process' in c ? c.process.id : ''}`, message: (e as Error).message };
      }
    }
    const r = await this.exec(step.argv, step.input);
    if (r.code === 0) return undefined;
    return { changes: failedOf(step, r.stderr), command: step.argv.join(' '), message: r.stderr.trim() || `exit ${r.code}` };
  }

  private async runProcess(c: Change): Promise<void> {
    switch (c.kind) {
      case 'process.start': return this.processes.start(c.process);
      case 'process.restart': return restartProcess(this.processes, this.opts.stateDir, c.process);
      case 'process.reload': return this.processes.reload(c.process, c.pid, c.files);
      case 'process.stop': return this.processes.stop(c.process);
      default: throw new Error(`not a process change: ${c.kind}`);
    }
  }
}
