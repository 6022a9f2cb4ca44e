import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForJetStream } from './jetstream-ready';
import { ManagedProcess, type ProcessSpec } from './managed-process';
import { findNatsServer } from './nats-binary';

/**
 * V8 flags for the services: a small young generation keeps the resident set
 * of these request/response processes low (measured in docs/benchmarks.md).
 */
const NODE_FLAGS = (process.env.NEUTRINO_NODE_FLAGS ?? '--max-semi-space-size=2').split(' ').filter(Boolean);

export interface SuiteOptions {
  dataDir: string;
  /** External NATS URLs; empty = run an embedded nats-server on natsPort. */
  natsUrls: string[];
  natsPort: number;
  apiHost: string;
  apiPort: number;
  ipamReplicas: number;
  /** node entry points of the services and the path-alias register script. */
  entrypoints: { register: string; services: Record<'api-gateway' | 'ipam', string> };
  env?: NodeJS.ProcessEnv;
  output?: ProcessSpec['output'];
  /** Restart crashed services (default true). */
  restart?: boolean;
}

/**
 * The whole suite as child processes: the embedded nats-server (unless an
 * external one is configured), ipam replicas and the api-gateway. Stops
 * everything it started, by PID, in reverse order.
 */
export class Suite {
  readonly processes = new Map<string, ManagedProcess>();
  private order: ManagedProcess[] = [];

  constructor(readonly opts: SuiteOptions) {}

  get natsUrl(): string {
    return this.opts.natsUrls.length ? this.opts.natsUrls.join(',') : `nats://127.0.0.1:${this.opts.natsPort}`;
  }

  get apiUrl(): string {
    return `http://${this.opts.apiHost}:${this.opts.apiPort}`;
  }

  async start(): Promise<void> {
    const o = this.opts;
    fs.mkdirSync(o.dataDir, { recursive: true });
    if (!o.natsUrls.length) {
      const store = path.join(o.dataDir, 'nats');
      this.add({ name: 'nats-server', command: findNatsServer(), args: ['-js', '-a', '127.0.0.1', '-p', String(o.natsPort), '-sd', store], output: o.output });
      await waitForJetStream(this.natsUrl, 20_000);
    }
    const env: NodeJS.ProcessEnv = {
      ...o.env,
      NEUTRINO_DATA_DIR: o.dataDir,
      NEUTRINO_NATS_URL: this.natsUrl,
      NEUTRINO_API_HOST: o.apiHost,
      NEUTRINO_API_PORT: String(o.apiPort),
    };
    for (let i = 1; i <= o.ipamReplicas; i++) this.addService(`ipam-${i}`, 'ipam', env);
    this.addService('api-gateway', 'api-gateway', env);
    await this.waitForApi(60_000);
  }

  /** Stops the services, then nats-server. */
  async stop(): Promise<void> {
    // A terminal's Ctrl-C reaches the children too: none of them may be restarted meanwhile.
    for (const p of this.order) p.holdRestarts();
    for (const p of [...this.order].reverse()) await p.stop();
  }

  /** The API answers once the gateway's projection has caught up with the log. */
  async waitForApi(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${this.apiUrl}/`);
        if (res.ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the API did not answer on ${this.apiUrl} within ${timeoutMs} ms`);
  }

  private addService(name: string, service: 'api-gateway' | 'ipam', env: NodeJS.ProcessEnv): void {
    const { register, services } = this.opts.entrypoints;
    this.add({ name, command: process.execPath, args: [...NODE_FLAGS, '-r', register, services[service]], env, output: this.opts.output });
  }

  private add(spec: ProcessSpec): void {
    const p = new ManagedProcess({ restart: this.opts.restart ?? true, ...spec });
    this.processes.set(spec.name, p);
    this.order.push(p);
    p.start();
  }
}
