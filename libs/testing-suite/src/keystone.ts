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
    await manage('fernet_setup', '--keystone-user', user, '--keystone-group', group);
    await manage('credential_setup', '--keystone-user', user, '--keystone-group', group);
    await manage('bootstrap', '--bootstrap-password', this.adminPassword, '--bootstrap-public-url', this.url, '--bootstrap-internal-url', this.url, '--bootstrap-admin-url', this.url, '--bootstrap-region-id', 'RegionOne');
  }

  private async serve(): Promise<void> {
    // One thread per worker: keystone's SQLite connections may not cross threads. Connection: close,
    // as uwsgi's http-socket does not keep connections alive (clients that reuse one get a reset).
    const args = ['--plugin', 'python3', '--http-socket', `127.0.0.1:${this.port}`, '--wsgi-file', '/usr/bin/keystone-wsgi-public', '--master', '--processes', '2', '--lazy-apps', '--die-on-term', '--no-orphans', '--add-header', 'Connection: close', '--logto', path.join(this.dir, 'uwsgi.log')];
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
      throw new Error(`openstack ${args.join(' ')} (as ${who.username}): ${e.stderr?.trim() || e.message}`);
    }
  }

  /** A user with `role` on `project` (both made when missing). Returns the credentials. */
  async user(username: string, project: string, role: string): Promise<Credentials> {
    const password = randomBytes(9).toString('hex');
    await this.openstack(['project', 'show', project, '-f', 'value', '-c', 'id']).catch(() => this.openstack(['project', 'create', '--domain', 'default', project, '-f', 'value', '-c', 'id']));
    await this.openstack(['user', 'create', '--domain', 'default', '--password', password, username, '-f', 'value', '-c', 'id']);
    await this.openstack(['role', 'add', '--user', username, '--user-domain', 'default', '--project', project, '--project-domain', 'default', role]);
    return { username, password, project };
  }

  async projectId(project: string): Promise<string> {
    return (await this.openstack(['project', 'show', project, '-f', 'value', '-c', 'id'])).trim();
  }

  /** A token of `who`, as `openstack token issue` gives it. */
  async token(who: Credentials): Promise<string> {
    return (await this.openstack(['token', 'issue', '-f', 'value', '-c', 'id'], who)).trim();
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
    await this.openstack(['service', 'create', '--name', 'neutron', '--description', 'Neutrino (Neutron v2.0 API)', 'network']);
    for (const iface of ['public', 'internal', 'admin']) {
      await this.openstack(['endpoint', 'create', '--region', 'RegionOne', 'network', iface, apiUrl]);
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
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
