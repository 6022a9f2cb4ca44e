import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeystoneSession, KeystoneUnavailable, TokenValidator, type KeystoneConfig } from './index';

/** A fake Keystone v3: password logins give service tokens s1, s2, …; `valid` maps user tokens to their bodies. */
class FakeKeystone {
  server!: Server;
  logins = 0;
  validations = 0;
  serviceLifeMs = 3_600_000;
  valid = new Map<string, any>();
  acceptedServiceTokens = new Set<string>();
  down = false;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v3`;
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    let body = '';
    for await (const c of req) body += c;
    if (this.down) return void res.writeHead(503).end('down');
    if (req.method === 'POST') {
      const auth = JSON.parse(body).auth;
      if (auth.identity.password.user.password !== 'pw') return void res.writeHead(401).end('{}');
      const token = `s${++this.logins}`;
      this.acceptedServiceTokens.add(token);
      res.writeHead(201, { 'x-subject-token': token, 'content-type': 'application/json' });
      return void res.end(JSON.stringify(tokenBody('svc', 'service-project', ['admin'], Date.now() + this.serviceLifeMs)));
    }
    this.validations++;
    if (!this.acceptedServiceTokens.has(String(req.headers['x-auth-token']))) return void res.writeHead(401).end('{}');
    const t = this.valid.get(String(req.headers['x-subject-token']));
    if (!t) return void res.writeHead(404).end('{"error": {"code": 404}}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(t));
  }
}

const tokenBody = (user: string, project: string | null, roles: string[], expires: number, extra: Record<string, unknown> = {}) => ({
  token: {
    expires_at: new Date(expires).toISOString(),
    user: { id: user, name: user, domain: { id: 'default', name: 'Default' } },
    ...(project ? { project: { id: project, name: project, domain: { id: 'default', name: 'Default' } } } : {}),
    roles: roles.map((name) => ({ id: `id-${name}`, name })),
    ...extra,
  },
});

describe('TokenValidator against a fake Keystone', () => {
  const ks = new FakeKeystone();
  let cfg: KeystoneConfig;
  let now = Date.now();
  const clock = () => now;
  beforeAll(async () => {
    const url = await ks.start();
    cfg = { url, username: 'neutron', password: 'pw', projectName: 'service', userDomainName: 'Default', projectDomainName: 'Default', cacheTtlMs: 30_000 };
  });
  afterAll(() => ks.server.close());
  beforeEach(() => {
    now = Date.now();
    ks.valid.clear();
    ks.down = false;
  });

  it('builds the identity from the token (roles lower case, project, domain, system scope)', async () => {
    ks.valid.set('u1', tokenBody('alice', 'p1', ['Member', 'reader'], now + 3_600_000));
    ks.valid.set('sys', tokenBody('root', null, ['admin'], now + 3_600_000, { system: { all: true } }));
    const v = new TokenValidator(cfg, new KeystoneSession(cfg), clock);
    expect(await v.validate('u1')).toMatchObject({ userId: 'alice', projectId: 'p1', projectDomainId: 'default', roles: ['member', 'reader'], system: null });
    expect(await v.validate('sys')).toMatchObject({ userId: 'root', projectId: null, system: 'all', roles: ['admin'] });
    expect(await v.validate('nope')).toBeNull();
    expect(await v.validate('bad\ntoken')).toBeNull();
  });

  it('trusts a valid answer for the TTL, then asks again (a revoked token stops within the TTL)', async () => {
    ks.valid.set('u2', tokenBody('alice', 'p1', ['member'], now + 3_600_000));
    const v = new TokenValidator(cfg, new KeystoneSession(cfg), clock);
    const before = ks.validations;
    await v.validate('u2');
    await v.validate('u2');
    expect(ks.validations - before).toBe(1);
    ks.valid.delete('u2'); // revoked
    now += 29_000;
    expect(await v.validate('u2')).not.toBeNull();
    now += 2_000;
    expect(await v.validate('u2')).toBeNull();
    expect(ks.validations - before).toBe(2);
  });

  it('never trusts a cached token past its expires_at', async () => {
    ks.valid.set('u3', tokenBody('alice', 'p1', ['member'], now + 5_000));
    const v = new TokenValidator(cfg, new KeystoneSession(cfg), clock);
    expect(await v.validate('u3')).not.toBeNull();
    now += 5_001;
    ks.valid.delete('u3'); // Keystone says 404 for an expired token
    expect(await v.validate('u3')).toBeNull();
  });

  it('logs in again when Keystone refuses its service token, and renews it before it expires', async () => {
    ks.valid.set('u4', tokenBody('alice', 'p1', ['member'], now + 3_600_000));
    const session = new KeystoneSession(cfg, clock);
    const v = new TokenValidator({ ...cfg, cacheTtlMs: 0 }, session, clock);
    const logins = ks.logins;
    await v.validate('u4');
    ks.acceptedServiceTokens.clear(); // e.g. Keystone's keys rotated
    expect(await v.validate('u4')).not.toBeNull();
    expect(ks.logins - logins).toBe(2);
    const t = await session.token();
    now += 3_600_000 - 59_000; // within a minute of its expiry
    expect(await session.token()).not.toBe(t);
  });

  it('asks Keystone once for concurrent requests with one new token', async () => {
    ks.valid.set('u6', tokenBody('alice', 'p1', ['member'], now + 3_600_000));
    const v = new TokenValidator(cfg, new KeystoneSession(cfg), clock);
    await v.validate('warm-up-login'); // the service login
    const before = ks.validations;
    const all = await Promise.all(Array.from({ length: 20 }, () => v.validate('u6')));
    expect(all.every((i) => i?.userId === 'alice')).toBe(true);
    expect(ks.validations - before).toBe(1);
  });

  it('a service login Keystone refuses is "unavailable" (503), not an invalid user token', async () => {
    const bad = { ...cfg, password: 'wrong' };
    await expect(new TokenValidator(bad, new KeystoneSession(bad), clock).validate('u1')).rejects.toBeInstanceOf(KeystoneUnavailable);
  });

  it('says Keystone is unavailable rather than calling a token invalid', async () => {
    ks.valid.set('u5', tokenBody('alice', 'p1', ['member'], now + 3_600_000));
    const v = new TokenValidator(cfg, new KeystoneSession(cfg), clock);
    ks.down = true;
    await expect(v.validate('u5')).rejects.toBeInstanceOf(KeystoneUnavailable);
  });
});
