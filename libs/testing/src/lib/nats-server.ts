import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackChild, untrackChild } from './child-reaper';
import { findNatsServer, waitForJetStream } from '@neutrino/process';
import { freePort } from './free-port';
import { connect as tcpConnect } from 'node:net';

export interface StartNatsOptions {
  /** Fixed port; a free one is picked (and re-picked on collision) when omitted. */
  port?: number;
  /** Existing store dir to reuse; a fresh temp dir is created when omitted. */
  storeDir?: string;
  /** nats-server binary (default: NATS_SERVER_BIN, else found on PATH or /usr/sbin). */
  bin?: string;
  /** Extra command-line arguments. */
  args?: string[];
  /** How long to wait for the server to accept connections with JetStream up (ms). */
  readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before sending SIGKILL (ms). */
  stopTimeoutMs?: number;
  /** A node of a cluster: its whole command line and environment (planNatsCluster), instead of the single-server defaults. */
  node?: { args: string[]; env: Record<string, string> };
  /** Ready when JetStream answers (default), or once the client port accepts (a cluster node, whose JetStream waits for a quorum). */
  readyWhen?: 'jetstream' | 'listening';
}

export interface RestartOptions {
  /** How long the server stays down between stop and start (ms, default 0). */
  downMs?: number;
  /** SIGTERM (graceful, default) or SIGKILL (simulated crash). */
  signal?: 'SIGTERM' | 'SIGKILL';
}

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Pid of the current server process (changes on restart). */
  readonly pid: number;
  /** Last lines the server wrote to stderr, for diagnostics. */
  logTail(): string;
  /** Stops the server by pid and removes the store dir. Idempotent. */
  stop(): Promise<void>;
  /** Stops the server keeping the store dir and starts it again on the same port. */
  restart(opts?: RestartOptions): Promise<NatsServer>;
}

const LOG_LINES = 200;

export class NatsServerProcess implements NatsServer {
  private child: ChildProcess | null = null;
  private log: string[] = [];
  private stopped = false;

  constructor(
    public readonly port: number,
    public readonly storeDir: string,
    private readonly opts: StartNatsOptions,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  logTail(): string {
    return this.log.join('\n');
  }

  /** Spawns the process and resolves once JetStream answers. */
  async spawn(): Promise<void> {
    const bin = this.opts.bin ?? findNatsServer();
    const args = this.opts.node?.args ?? ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir, ...(this.opts.args ?? [])];
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], env: this.opts.node ? { ...process.env, ...this.opts.node.env } : process.env });
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line) this.log.push(line);
      if (this.log.length > LOG_LINES) this.log.splice(0, this.log.length - LOG_LINES);
    });
    const exited = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`nats-server exited early (code ${code}, signal ${signal}):\n${this.logTail()}`)),
      );
    });
    exited.catch(() => undefined);
    if (!child.pid) {
      await exited;
    }
    trackChild(child, this.storeDir);
    try {
      const timeout = this.opts.readyTimeoutMs ?? 10_000;
      await Promise.race([exited, this.opts.readyWhen === 'listening' ? listening(this.port, timeout) : waitForJetStream(this.url, timeout)]);
    } catch (err) {
      await this.kill('SIGKILL');
      throw err;
    }
  }

  /** Sends `signal` to the process by pid, escalating to SIGKILL after the timeout. */
  private async kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !child.pid) return;
    const pid = child.pid;
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(pid, signal);
      } catch {
        /* already gone */
      }
      const timeout = this.opts.stopTimeoutMs ?? 5_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        gone.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeout))),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
        await gone;
      }
    }
    child.stderr?.destroy();
    untrackChild(pid);
    this.child = null;
  }

  async restart(opts: RestartOptions = {}): Promise<NatsServer> {
    if (this.stopped) throw new Error('nats-server was stopped; cannot restart');
    await this.kill(opts.signal ?? 'SIGTERM');
    if (opts.downMs) await new Promise((r) => setTimeout(r, opts.downMs));
    await this.spawn();
    return this;
  }

  /** A crash (SIGKILL) or a clean stop of this node, keeping its store for restart(). */
  down(signal: 'SIGTERM' | 'SIGKILL' = 'SIGKILL'): Promise<void> {
    return this.kill(signal);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.kill('SIGTERM');
    await rm(this.storeDir, { recursive: true, force: true });
  }
}

/**
 * Starts a loopback-only nats-server with JetStream and a fresh store dir, and
 * resolves once it accepts connections and JetStream answers API requests.
 */
export async function startNats(opts: StartNatsOptions = {}): Promise<NatsServer> {
  const storeDir = opts.storeDir ?? (await mkdtemp(join(tmpdir(), 'neutrino-nats-')));
  const attempts = opts.port ? 1 : 5;
  let lastErr: unknown;
  for (let i = 0; i < attempts; i++) {
    const port = opts.port ?? (await freePort());
    const server = new NatsServerProcess(port, storeDir, opts);
    try {
      await server.spawn();
      return server;
    } catch (err) {
      lastErr = err;
      // Only a lost race for the port is worth another try.
      if (!/address already in use/i.test(String((err as Error)?.message))) break;
    }
  }
  if (!opts.storeDir) await rm(storeDir, { recursive: true, force: true });
  throw lastErr;
}

/** Restarts a server started by startNats, keeping its port and store dir. */
export function restartNats(server: NatsServer, opts?: RestartOptions): Promise<NatsServer> {
  return server.restart(opts);
}

/** Resolves once 127.0.0.1:port accepts a TCP connection. */
async function listening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = tcpConnect({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nats-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
