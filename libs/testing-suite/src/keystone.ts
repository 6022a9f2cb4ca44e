import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort, trackChild, untrackChild } from '@neutrino/testing';

const run = promisify(execFile);

const has = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * Whether a real Keystone can run here: Debian's python3-keystone (keystone-manage) served by
 * uwsgi's python3 plugin. CI must have it (.ci/run sets NEUTRINO_WITH_KEYSTONE=1, ensure-env.sh
 * installs it); elsewhere the caller skips with a warning.
 */
export function keystoneAvailable(what: string): boolean {
  const ok = has('keystone-manage') && has('uwsgi') && fs.existsSync('/usr/lib/uwsgi/plugins/python3_plugin.so');
  if (!ok && process.env.CI) throw new Error('CI must have Keystone (python3-keystone, uwsgi-plugin-python3); .ci/run sets NEUTRINO_WITH_KEYSTONE=1 so ensure-env.sh installs them');
  if (!ok) console.warn(`Keystone not installed (NEUTRINO_WITH_KEYSTONE=1 bash tools/scripts/ensure-env.sh, as root): skipping ${what}`);
  return ok;
}

export interface Credentials {
  username: string;
  password: string;
  project: string;
}

/**
 * A real Keystone on a free loopback port, in its own scratch directory: SQLite, fernet tokens,
 * `keystone-manage db_sync/fernet_setup/credential_setup/bootstrap`, then uwsgi serving
 * keystone-wsgi-public (started and stopped by its PID). `admin`/`adminPassword` is the
 * bootstrap admin of project `admin`.
 */
export class KeystoneFixture {
  readonly adminPassword = randomBytes(12).toString('hex');
  private child: ChildProcess | null = null;
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/v3`;
  }

  get admin(): Credentials {
    return { username: 'admin', password: this.adminPassword, project: 'admin' };
  }

  /** `tokenExpirationSeconds` above 120: keystoneauth (the CLI) logs in again for every call to a token with less left. */
  static async start(opts: { tokenExpirationSeconds?: number } = {}): Promise<KeystoneFixture> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-keystone-'));
    const fx = new KeystoneFixture(dir, await freePort());
    try {
      await fx.setup(opts.tokenExpirationSeconds ?? 3600);
      await fx.serve();
    } catch (err) {
      await fx.stop();
      throw err;
    }
    return fx;
  }

  private get conf(): string {
    return path.join(this.dir, 'keystone.conf');
  }

  private async setup(expiration: number): Promise<void> {
    for (const d of ['fernet-keys', 'credential-keys']) fs.mkdirSync(path.join(this.dir, d), { mode: 0o700 });
    fs.writeFileSync(
      this.conf,
      [
        '[DEFAULT]',
        'use_stderr = true',
        '[database]',
        `connection = sqlite:///${path.join(this.dir, 'keystone.db')}`,
        '[token]',
        'provider = fernet',
        `expiration = ${expiration}`,
        '[fernet_tokens]',
        `key_repository = ${path.join(this.dir, 'fernet-keys')}`,
        '[credential]',
        `key_repository = ${path.join(this.dir, 'credential-keys')}`,
        '[cache]',
        'enabled = false',
        '',
      ].join('\n'),
    );
    const user = os.userInfo().username;
    const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
    const manage = (...args: string[]) => run('keystone-manage', ['--config-file', this.conf, ...args], { cwd: this.dir, maxBuffer: 16 << 20 });
    await manage('db_sync');
    // WAL: with SQLite's default journal a reader Keystone keeps open during a request (its own token
    // check) blocks that request's commit, and writes after a role assignment fail "database is locked".
    await run('python3', ['-c', 'import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL")', path.join(this.dir, 'keystone.db')]);
    await manage('fernet_setup', '--keystone-user', user, '--keystone-group', group);
    await manage('credential_setup', '--keystone-user', user, '--keystone-group', group);
    await manage('bootstrap', '--bootstrap-password', this.adminPassword, '--bootstrap-public-url', this.url, '--bootstrap-internal-url', this.url, '--bootstrap-admin-url', this.url, '--bootstrap-region-id', 'RegionOne');
  }

  private async serve(): Promise<void> {
    // One worker with one thread: keystone's SQLite connections may not cross threads, and two
    // workers' writes meet "database is locked". Connection: close,
    // as uwsgi's http-socket does not keep connections alive (clients that reuse one get a reset).
    const args = ['--plugin', 'python3', '--http-socket', `127.0.0.1:${this.port}`, '--wsgi-file', '/usr/bin/keystone-wsgi-public', '--master', '--processes', '1', '--lazy-apps', '--die-on-term', '--no-orphans', '--add-header', 'Connection: close', '--logto', path.join(this.dir, 'uwsgi.log')];
    const child = spawn('uwsgi', args, { cwd: this.dir, env: { ...process.env, OS_KEYSTONE_CONFIG_FILES: this.conf }, stdio: 'ignore' });
    this.child = child;
    trackChild(child, this.dir);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`uwsgi (Keystone) exited with ${child.exitCode}: ${this.logTail()}`);
      try {
        if ((await fetch(this.url, { signal: AbortSignal.timeout(2000) })).ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`Keystone did not answer on ${this.url} within 60 s: ${this.logTail()}`);
  }

  logTail(lines = 20): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'uwsgi.log'), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** The OS_* environment of `who` on this Keystone (password auth, scoped to their project). */
  env(who: Credentials): NodeJS.ProcessEnv {
    return {
      OS_AUTH_TYPE: 'password',
      OS_AUTH_URL: this.url,
      OS_IDENTITY_API_VERSION: '3',
      OS_USERNAME: who.username,
      OS_PASSWORD: who.password,
      OS_PROJECT_NAME: who.project,
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_REGION_NAME: 'RegionOne',
      OS_INTERFACE: 'public',
      OS_CLOUD: '',
      PYTHONWARNINGS: 'ignore',
    };
  }

  /** `openstack …` as `who` (default: the bootstrap admin), through this Keystone's catalog. */
  async openstack(args: string[], who: Credentials = this.admin): Promise<string> {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
    try {
      const { stdout } = await run('openstack', args, { env: { ...clean, ...this.env(who) }, maxBuffer: 16 << 20 });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`openstack ${args.join(' ')} (as ${who.username}): ${e.stderr?.trim() || e.message}\nKeystone's log:\n${this.logTail(30)}`);
    }
  }

  private adminToken: string | null = null;

  /** A request to this Keystone's v3 API as the bootstrap admin (quicker than the CLI for set-up). */
  async rest(method: string, url: string, body?: unknown): Promise<any> {
    this.adminToken ??= await this.token(this.admin);
    const res = await fetch(`${this.url}${url}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-auth-token': this.adminToken },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`Keystone ${method} ${url}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** A project of the default domain (made when missing); its id. */
  async project(name: string): Promise<string> {
    const found = (await this.rest('GET', `/projects?domain_id=default&name=${encodeURIComponent(name)}`)).projects[0];
    return found?.id ?? (await this.rest('POST', '/projects', { project: { name, domain_id: 'default' } })).project.id;
  }

  async projectId(name: string): Promise<string> {
    const found = (await this.rest('GET', `/projects?domain_id=default&name=${encodeURIComponent(name)}`)).projects[0];
    if (!found) throw new Error(`no project ${name} on Keystone`);
    return found.id;
  }

  /** A user of the default domain with `role` on `project` (made when missing), over the REST API. */
  async user(username: string, project: string, role: string): Promise<Credentials> {
    const password = randomBytes(9).toString('hex');
    const projectId = await this.project(project);
    const user = (await this.rest('POST', '/users', { user: { name: username, password, domain_id: 'default', default_project_id: projectId } })).user;
    const roleId = (await this.rest('GET', `/roles?name=${encodeURIComponent(role)}`)).roles[0]?.id;
    if (!roleId) throw new Error(`no role ${role} on Keystone`);
    await this.rest('PUT', `/projects/${projectId}/users/${user.id}/roles/${roleId}`);
    return { username, password, project };
  }

  /** A project-scoped token of `who` (password auth). */
  async token(who: Credentials): Promise<string> {
    const res = await fetch(`${this.url}/auth/tokens?nocatalog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: who.username, domain: { id: 'default' }, password: who.password } } },
          scope: { project: { name: who.project, domain: { id: 'default' } } },
        },
      }),
    });
    const token = res.headers.get('x-subject-token');
    if (res.status !== 201 || !token) throw new Error(`Keystone login as ${who.username}: ${res.status} ${await res.text()}`);
    return token;
  }

  /** Neutrino's service user (`neutron`, admin on project `service`) and the settings the suite takes. */
  async serviceUser(): Promise<{ creds: Credentials; env: NodeJS.ProcessEnv }> {
    const creds = await this.user('neutron', 'service', 'admin');
    return {
      creds,
      env: {
        NEUTRINO_AUTH_STRATEGY: 'keystone',
        NEUTRINO_KEYSTONE_URL: this.url,
        NEUTRINO_KEYSTONE_USERNAME: creds.username,
        NEUTRINO_KEYSTONE_PASSWORD: creds.password,
        NEUTRINO_KEYSTONE_PROJECT_NAME: creds.project,
      },
    };
  }

  /** The `network` service and its endpoints (public, internal, admin) at the suite's API URL. */
  async registerNetworkEndpoint(apiUrl: string): Promise<void> {
    const service = (await this.rest('POST', '/services', { service: { type: 'network', name: 'neutron', description: 'Neutrino (Neutron v2.0 API)', enabled: true } })).service;
    for (const iface of ['public', 'internal', 'admin']) {
      await this.rest('POST', '/endpoints', { endpoint: { service_id: service.id, interface: iface, url: apiUrl, region_id: 'RegionOne', enabled: true } });
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child?.pid && child.exitCode === null) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    if (child?.pid) untrackChild(child.pid);
    // NEUTRINO_KEEP_KEYSTONE_LOG=<file>: keep uwsgi's (Keystone's) log there, to look at a failure
    const log = path.join(this.dir, 'uwsgi.log');
    if (process.env.NEUTRINO_KEEP_KEYSTONE_LOG && fs.existsSync(log)) fs.copyFileSync(log, process.env.NEUTRINO_KEEP_KEYSTONE_LOG);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
