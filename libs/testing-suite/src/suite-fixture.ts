import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventStore } from '@neutrino/events';
import { Suite, loadEntrypoints } from '@neutrino/process';
import { freePort, freePortRun, startNats, type NatsServer } from '@neutrino/testing';
const entrypoints = loadEntrypoints();

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** A running suite for one test file: its own nats-server, data dir and API port. */
export class SuiteFixture {
  suite!: Suite;
  nats!: NatsServer;
  store!: EventStore;
  dataDir!: string;
  readonly log: string[] = [];

  /**
   * `gateways`: how many api-gateway processes write to the log (default 1); their URLs are suite.gatewayUrls.
   * `front`: they serve one address (suite.apiUrl, HAProxy) with the read fence on, as `neutrino start --gateways N`.
   */
  static async start(opts: { ipamReplicas?: number; env?: NodeJS.ProcessEnv; metadata?: boolean; gateways?: number; front?: boolean } = {}): Promise<SuiteFixture> {
    for (const f of [entrypoints.services['api-gateway'], entrypoints.services.ipam]) {
      if (!fs.existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first (npm test does)`);
    }
    const fx = new SuiteFixture();
    fx.nats = await startNats();
    fx.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-e2e-'));
    fx.suite = new Suite({
      dataDir: fx.dataDir,
      natsUrls: [fx.nats.url],
      natsPort: 0,
      apiHost: '127.0.0.1',
      apiPort: opts.front ? await freePortRun((opts.gateways ?? 1) + 1) : await freePort(),
      ipamReplicas: opts.ipamReplicas ?? 1,
      ...(opts.front ? { gateways: opts.gateways ?? 1 } : opts.gateways && opts.gateways > 1 ? { extraGatewayPorts: await Promise.all(Array.from({ length: opts.gateways - 1 }, () => freePort())) } : {}),
      ...(opts.metadata ? { metadata: { host: '127.0.0.1', port: await freePort() } } : {}),
      entrypoints,
      env: { NEUTRINO_LOG_LEVEL: 'warn', ...opts.env },
      output: (line) => {
        fx.log.push(line);
        if (fx.log.length > 500) fx.log.shift();
      },
    });
    await fx.suite.start();
    fx.store = await EventStore.connect({ servers: fx.nats.url });
    return fx;
  }

  /** Stops every service and nats-server, optionally deletes the gateway's SQLite projection, starts again. */
  async restart(opts: { wipeGatewayDb?: boolean } = {}): Promise<void> {
    await this.suite.stop();
    await this.store.close();
    this.nats = await this.nats.restart();
    if (opts.wipeGatewayDb) {
      for (const f of fs.readdirSync(this.dataDir)) if (f.startsWith('api-gateway.sqlite')) fs.rmSync(path.join(this.dataDir, f));
    }
    this.suite = new Suite(this.suite.opts);
    await this.suite.start();
    this.store = await EventStore.connect({ servers: this.nats.url });
  }

  async stop(): Promise<void> {
    await this.suite?.stop();
    await this.store?.close();
    await this.nats?.stop();
    if (this.dataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** A request to the first gateway (`base`: another one's URL). */
  async api(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, base = this.suite.apiUrl): Promise<Answer> {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }
}

export const member = (project: string) => ({ 'X-Project-Id': project, 'X-User-Id': `user-${project}`, 'X-Roles': 'member' });
