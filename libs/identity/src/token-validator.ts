import { createHash } from 'node:crypto';
import type { KeystoneConfig } from './keystone-config';
import { keystoneFetch, KeystoneUnavailable, type KeystoneSession } from './keystone-session';
import { identityOf, type TokenIdentity } from './token';

const MAX_CACHED = 10_000;

/**
 * Validates users' tokens with GET /v3/auth/tokens (X-Subject-Token = the user's,
 * X-Auth-Token = the service's own). A valid answer is trusted for cacheTtlMs, never
 * past the token's expires_at, so a revoked token stops working within the TTL and an
 * expired one at once. Invalid answers are not cached. Throws KeystoneUnavailable when
 * Keystone cannot say.
 */
export class TokenValidator {
  private readonly cache = new Map<string, { identity: TokenIdentity; until: number }>();
  /** Validations under way: concurrent requests with one new token ask Keystone once. */
  private readonly inflight = new Map<string, Promise<TokenIdentity | null>>();

  constructor(
    private readonly cfg: KeystoneConfig,
    private readonly session: KeystoneSession,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token's identity, or null when Keystone says it is not a valid token. */
  async validate(token: string): Promise<TokenIdentity | null> {
    const key = createHash('sha256').update(token).digest('hex');
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && now < hit.until && now < hit.identity.expiresAt) return hit.identity;
    this.cache.delete(key);
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.ask(token, true).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const identity = await pending;
    if (!identity || identity.expiresAt <= this.now()) return null;
    if (this.cfg.cacheTtlMs > 0 && !this.cache.has(key)) {
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, { identity, until: this.now() + this.cfg.cacheTtlMs });
    }
    return identity;
  }

  private async ask(token: string, retry: boolean): Promise<TokenIdentity | null> {
    // A token is printable ASCII; anything else cannot be one (and cannot go in a header).
    if (!/^[\x21-\x7e]+$/.test(token)) return null;
    const service = await this.session.token();
    const res = await keystoneFetch(`${this.cfg.url}/auth/tokens?nocatalog`, {
      headers: { accept: 'application/json', 'x-auth-token': service, 'x-subject-token': token },
    });
    const text = await res.text();
    if (res.status === 200) return identityOf(JSON.parse(text));
    if (res.status === 404) return null;
    if (res.status === 401 && retry) {
      // Our own token went stale (revoked, Keystone restarted with new keys): log in again, once.
      this.session.invalidate(service);
      return this.ask(token, false);
    }
    if (res.status === 401 || res.status === 403) {
      throw new KeystoneUnavailable(`Keystone refused the service token when validating a token: ${res.status} ${text.slice(0, 200)}`);
    }
    if (res.status >= 400 && res.status < 500) return null;
    throw new KeystoneUnavailable(`Keystone answered ${res.status} validating a token: ${text.slice(0, 200)}`);
  }
}
