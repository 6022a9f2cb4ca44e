import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Restart when it exits without being asked to (default true). */
  restart?: boolean;
  /** Where its stdout/stderr go: 'inherit' (default) or a callback per line. */
  output?: 'inherit' | ((line: string, stream: 'stdout' | 'stderr') => void);
  /**
   * For a program that cannot watch its supervisor itself (nats-server): a
   * small shell watchdog beside it stops it (TERM, then KILL) once this
   * process is gone, even after a kill -9. Node services watch for
   * themselves (tools/runtime/supervised.js).
   */
  watchdog?: boolean;
}

/** sh -c script: $1 the supervisor's pid, $2 the child's; exits with the child. */
const WATCHDOG = `while kill -0 "$1" 2>/dev/null; do kill -0 "$2" 2>/dev/null || exit 0; sleep 1; done
kill -TERM "$2" 2>/dev/null || exit 0; sleep 3; kill -KILL "$2" 2>/dev/null; exit 0`;

/**
 * One child process that is started, restarted after a crash (with a
 * growing pause), and stopped by its PID: SIGTERM, then SIGKILL after a grace
 * period. Emits 'exit' (code, signal) and 'spawn' (pid).
 */
export class ManagedProcess extends EventEmitter {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restarts = 0;

  constructor(readonly spec: ProcessSpec) {
    super();
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const { spec } = this;
    const piped = spec.output && spec.output !== 'inherit';
    const child = spawn(spec.command, spec.args, { env: { ...process.env, ...spec.env }, stdio: ['ignore', piped ? 'pipe' : 'inherit', piped ? 'pipe' : 'inherit'] });
    this.child = child;
    if (piped) {
      const out = spec.output as (line: string, stream: 'stdout' | 'stderr') => void;
      for (const stream of ['stdout', 'stderr'] as const) {
        let buf = '';
        child[stream]?.setEncoding('utf8');
        child[stream]?.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            out(buf.slice(0, nl), stream);
            buf = buf.slice(nl + 1);
          }
        });
      }
    }
    child.once('spawn', () => {
      if (spec.watchdog && child.pid) spawn('sh', ['-c', WATCHDOG, 'neutrino-watchdog', String(process.pid), String(child.pid)], { stdio: 'ignore' }).unref();
      this.emit('spawn', child.pid);
    });
    child.once('error', (err) => this.emit('error', err));
    child.once('exit', (code, signal) => {
      this.emit('exit', code, signal);
      if (this.stopping || spec.restart === false) return;
      this.restarts++;
      const pause = Math.min(5000, 200 * 2 ** Math.min(this.restarts, 5));
      setTimeout(() => !this.stopping && this.start(), pause);
    });
  }

  /** Sends a signal to the current child (e.g. SIGKILL in a crash test). */
  signal(sig: NodeJS.Signals): void {
    if (this.child?.pid && this.running) process.kill(this.child.pid, sig);
  }

  /** No more restarts from now on (the supervisor is shutting down). */
  holdRestarts(): void {
    this.stopping = true;
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child?.pid || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(child.pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs)));
    const done = await Promise.race([exited.then(() => true), grace]);
    clearTimeout(timer);
    if (!done && this.running) {
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
  }
}
