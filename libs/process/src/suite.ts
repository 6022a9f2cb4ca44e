import * as fs from 'node:fs';
import * as path from 'node:path';
import { setting } from '@neutrino/config';
import { waitForJetStream } from './jetstream-ready';
import { ManagedProcess, type ProcessSpec } from './managed-process';
import { gatewayBackends, renderApiFront, type GatewayBackend } from './gateway-front';
import { findNatsServer } from './nats-binary';
import { planNatsCluster, type NatsNodePlan } from './nats-cluster';

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
  /**
   * Embedded only: run this many nats-server processes clustered on loopback
   * (infra/nats/cluster.conf; clients on natsPort…+N-1, routes on natsPort+2000…,
   * monitoring on natsPort+4000…) with the stream and buckets at N replicas. Default 1.
   */
  natsCluster?: number;
  apiHost: string;
  apiPort: number;
  ipamReplicas: number;
  /** node entry points of the services and the path-alias register script. */
  entrypoints: { register: string; supervised?: string; controller?: string; services: Record<'api-gateway' | 'ipam', string> & Partial<Record<'metadata-service', string>> };
  /** Also run the metadata service (instances' metadata, behind the metadata agents) on this address. */
  metadata?: { host: string; port: number };
  env?: NodeJS.ProcessEnv;
  /** GOMEMLIMIT of the embedded nats-server (default: the natsMemoryLimit setting; '' = none). */
  natsMemoryLimit?: string;
  output?: ProcessSpec['output'];
  /**
   * More api-gateway processes beside the first, one per port (each with its own projection in
   * `<dataDir>/gateway-<port>`): writers racing on one log. Separate processes whatever `controller` says.
   */
  extraGatewayPorts?: number[];
  /**
   * Several gateways behind one address: with n > 1, n api-gateway processes on loopback (ports
   * apiPort+1…apiPort+n, each with its own projection, NEUTRINO_READ_FENCE=true) and HAProxy
   * (infra/haproxy/api.cfg) on apiHost:apiPort in front of them. Default 1: the gateway itself on apiPort.
   */
  gateways?: number;
  /** Restart crashed services (default true). */
  restart?: boolean;
  /**
   * `shared`: ipam (the first replica), the api-gateway and the metadata service
   * in one process, `controller` (tools/runtime/controller.js), which holds one
   * copy of their libraries; `separate` (default): each in its own process.
   */
  controller?: 'shared' | 'separate';
}

/**
 * The whole suite as child processes: the embedded nats-server (unless an
 * external one is configured), ipam replicas, the api-gateway and (opts.metadata) the metadata service. Stops
 * everything it started, by PID, in reverse order.
 */
export class Suite {
  readonly processes = new Map<string, ManagedProcess>();
  private order: ManagedProcess[] = [];

  constructor(readonly opts: SuiteOptions) {}

  get natsUrl(): string {
    if (this.opts.natsUrls.length) return this.opts.natsUrls.join(',');
    const nodes = this.clusterNodes();
    return nodes.length ? nodes.map((n) => n.url).join(',') : `nats://127.0.0.1:${this.opts.natsPort}`;
  }

  /** The embedded cluster's nodes (none for a single embedded server or external NATS). */
  clusterNodes(): NatsNodePlan[] {
    const size = this.opts.natsCluster ?? 1;
    if (this.opts.natsUrls.length || size <= 1) return [];
    const p = this.opts.natsPort;
    const ports = Array.from({ length: size }, (_, i) => ({ client: p + i, cluster: p + 2000 + i, monitor: p + 4000 + i }));
    return planNatsCluster({ size, ports, storeRoot: path.join(this.opts.dataDir, 'nats-cluster') });
  }

  get apiUrl(): string {
    return `http://${this.opts.apiHost}:${this.opts.apiPort}`;
  }

  /** The gateways behind the API front (opts.gateways > 1), else none. */
  get frontBackends(): GatewayBackend[] {
    const n = this.opts.gateways ?? 1;
    return n > 1 ? gatewayBackends(this.opts.apiPort, n) : [];
  }

  /** Every gateway's own base URL: behind a front, each backend; else the first (apiUrl) first, then the extra ones. */
  get gatewayUrls(): string[] {
    const behind = this.frontBackends.map((b) => `http://${b.host}:${b.port}`);
    return [...(behind.length ? behind : [this.apiUrl]), ...(this.opts.extraGatewayPorts ?? []).map((p) => `http://${this.opts.apiHost}:${p}`)];
  }

  async start(): Promise<void> {
    const o = this.opts;
    fs.mkdirSync(o.dataDir, { recursive: true });
    const memoryLimit = o.natsMemoryLimit ?? setting('natsMemoryLimit');
    const cluster = this.clusterNodes();
    for (const node of cluster) {
      this.add({
        name: `nats-${node.name}`, command: findNatsServer(), args: node.args, output: o.output, watchdog: true,
        env: { ...node.env, ...(memoryLimit ? { GOMEMLIMIT: memoryLimit } : {}) },
      });
    }
    if (cluster.length) await waitForJetStream(cluster.map((n) => n.url), 30_000);
    else if (!o.natsUrls.length) {
      const store = path.join(o.dataDir, 'nats');
      this.add({
        name: 'nats-server', command: findNatsServer(), args: ['-js', '-a', '127.0.0.1', '-p', String(o.natsPort), '-sd', store], output: o.output, watchdog: true,
        ...(memoryLimit ? { env: { GOMEMLIMIT: memoryLimit } } : {}),
      });
      await waitForJetStream(this.natsUrl, 20_000);
    }
    const env: NodeJS.ProcessEnv = {
      ...(cluster.length ? { NEUTRINO_STREAM_REPLICAS: String(cluster.length) } : {}),
      ...o.env,
      NEUTRINO_DATA_DIR: o.dataDir,
      NEUTRINO_NATS_URL: this.natsUrl,
      NEUTRINO_API_HOST: o.apiHost,
      NEUTRINO_API_PORT: String(o.apiPort),
      // every service stops itself when this process is gone (tools/runtime/supervised.js)
      NEUTRINO_SUPERVISOR_PID: String(process.pid),
    };
    const metadataEnv = o.metadata ? { NEUTRINO_METADATA_HOST: o.metadata.host, NEUTRINO_METADATA_PORT: String(o.metadata.port) } : {};
    const [first, ...others] = this.frontBackends;
    // Behind a front, the first gateway (the controller's, when shared) listens on the first backend port.
    const firstEnv = first ? { ...env, NEUTRINO_API_HOST: first.host, NEUTRINO_API_PORT: String(first.port), NEUTRINO_READ_FENCE: o.env?.NEUTRINO_READ_FENCE || 'true' } : env;
    if (o.controller === 'shared') {
      const hosted: Array<'ipam' | 'api-gateway' | 'metadata-service'> = ['ipam', 'api-gateway', ...(o.metadata ? (['metadata-service'] as const) : [])];
      this.addNode('controller', this.controllerEntry(), hosted, { ...firstEnv, ...metadataEnv });
      for (let i = 2; i <= o.ipamReplicas; i++) this.addService(`ipam-${i}`, 'ipam', env);
    } else {
      for (let i = 1; i <= o.ipamReplicas; i++) this.addService(`ipam-${i}`, 'ipam', env);
      this.addService('api-gateway', 'api-gateway', firstEnv);
      if (o.metadata) this.addService('metadata-service', 'metadata-service', { ...env, ...metadataEnv });
    }
    for (const b of others) {
      const dir = path.join(o.dataDir, b.name);
      fs.mkdirSync(dir, { recursive: true });
      // its own projection; /metrics only on the first gateway's port
      this.addService(`api-${b.name}`, 'api-gateway', { ...firstEnv, NEUTRINO_API_PORT: String(b.port), NEUTRINO_DATA_DIR: dir, NEUTRINO_GATEWAY_METRICS_PORT: '0' });
    }
    if (first) this.addApiFront([first, ...others]);
    for (const port of o.extraGatewayPorts ?? []) {
      const dir = path.join(o.dataDir, `gateway-${port}`);
      fs.mkdirSync(dir, { recursive: true });
      this.addService(`api-gateway-${port}`, 'api-gateway', { ...env, NEUTRINO_API_PORT: String(port), NEUTRINO_DATA_DIR: dir });
    }
    for (const url of this.gatewayUrls) await this.waitForApi(60_000, url);
    if (first) await this.waitForApi(30_000);
    if (o.metadata) await this.waitForMetadata(30_000);
  }

  /** The metadata service's base URL (with opts.metadata). */
  get metadataUrl(): string | undefined {
    return this.opts.metadata && `http://${this.opts.metadata.host}:${this.opts.metadata.port}`;
  }

  /** The metadata service answers (400 to a request without an instance id) once its records have caught up. */
  async waitForMetadata(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        await fetch(`${this.metadataUrl}/`);
        return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the metadata service did not answer on ${this.metadataUrl} within ${timeoutMs} ms`);
  }

  /** Stops the services, then nats-server. */
  async stop(): Promise<void> {
    // A terminal's Ctrl-C reaches the children too: none of them may be restarted meanwhile.
    for (const p of this.order) p.holdRestarts();
    for (const p of [...this.order].reverse()) await p.stop();
  }

  /** The API answers once the gateway's projection has caught up with the log. */
  async waitForApi(timeoutMs: number, url = this.apiUrl): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${url}/`);
        if (res.ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the API did not answer on ${url} within ${timeoutMs} ms`);
  }

  /** HAProxy on apiHost:apiPort in front of the gateways (infra/haproxy/api.cfg). */
  private addApiFront(backends: GatewayBackend[]): void {
    const dir = path.join(this.opts.dataDir, 'api-front');
    fs.mkdirSync(dir, { recursive: true });
    const cfg = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(cfg, renderApiFront(backends));
    const bin = fs.existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';
    // -db: in the foreground, so it is stopped by its PID like the rest (a watchdog stops it if this process dies)
    this.add({ name: 'api-front', command: bin, args: ['-db', '-f', cfg], env: { NEUTRINO_API_FRONT_BIND: `${this.opts.apiHost}:${this.opts.apiPort}` }, output: this.opts.output, watchdog: true });
  }

  private addService(name: string, service: 'api-gateway' | 'ipam' | 'metadata-service', env: NodeJS.ProcessEnv): void {
    const entry = this.opts.entrypoints.services[service];
    if (!entry) throw new Error(`no entry point for ${service}`);
    this.addNode(name, entry, [], env);
  }

  private controllerEntry(): string {
    const entry = this.opts.entrypoints.controller;
    if (!entry) throw new Error('no entry point for the controller process');
    return entry;
  }

  private addNode(name: string, entry: string, args: string[], env: NodeJS.ProcessEnv): void {
    const { register, supervised } = this.opts.entrypoints;
    const preload = ['-r', register, ...(supervised ? ['-r', supervised] : [])];
    this.add({ name, command: process.execPath, args: [...NODE_FLAGS, ...preload, entry, ...args], env, output: this.opts.output });
  }

  private add(spec: ProcessSpec): void {
    const p = new ManagedProcess({ restart: this.opts.restart ?? true, ...spec });
    this.processes.set(spec.name, p);
    this.order.push(p);
    p.start();
  }
}
