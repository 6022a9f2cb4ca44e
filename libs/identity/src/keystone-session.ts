import type { KeystoneConfig } from './keystone-config';
import { identityOf } from './token';

/** Keystone did not answer, or answered something other than yes or no (5xx, unreachable). */
export class KeystoneUnavailable extends Error {}

/** Keystone refused the service's own credentials: no token can be checked either (503, as keystonemiddleware). */
export class KeystoneLoginFailed extends KeystoneUnavailable {}

const RENEW_BEFORE_MS = 60_000;

export async function keystoneFetch(url: string, init: RequestInit, timeoutMs = 10_000): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new KeystoneUnavailable(`Keystone at ${url} unreachable: ${(err as Error).message}`);
  }
}

/**
 * The service's own token: a password login scoped to its project, kept until shortly
 * before it expires (a minute, or half its life if that is shorter), then renewed. Callers
 * waiting on one login share it; `invalidate()` (Keystone said 401 to it) forces the next.
 */
export class KeystoneSession {
  private current: { token: string; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly cfg: KeystoneConfig,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    if (this.current && this.now() < this.current.renewAt) return this.current.token;
    this.pending ??= this.login().finally(() => (this.pending = null));
    return this.pending;
  }

  invalidate(token: string): void {
    if (this.current?.token === token) this.current = null;
  }

  /** Headers for a call to the Neutron API as the service user. */
  async headers(): Promise<Record<string, string>> {
    return { 'x-auth-token': await this.token() };
  }

  private async login(): Promise<string> {
    const c = this.cfg;
    const body = {
      auth: {
        identity: { methods: ['password'], password: { user: { name: c.username, domain: { name: c.userDomainName }, password: c.password } } },
        scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
      },
    };
    const res = await keystoneFetch(`${c.url}/auth/tokens?nocatalog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 500) throw new KeystoneUnavailable(`Keystone login as ${c.username}: ${res.status} ${text.slice(0, 200)}`);
    const token = res.headers.get('x-subject-token');
    if (res.status !== 201 || !token) {
      throw new KeystoneLoginFailed(`Keystone refused the service login (user ${c.username}, project ${c.projectName}): ${res.status} ${text.slice(0, 200)}`);
    }
    const { expiresAt } = identityOf(JSON.parse(text));
    const now = this.now();
    this.current = { token, renewAt: expiresAt - Math.min(RENEW_BEFORE_MS, (expiresAt - now) / 2) };
    return token;
  }
}
