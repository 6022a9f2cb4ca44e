import { authStrategy, keystoneConfig } from './keystone-config';
import { KeystoneSession } from './keystone-session';

/**
 * How a client inside the suite (the dhcp-agent, the test bed's helpers, the `neutrino testbed`
 * CLI) authenticates to the Neutron API: nothing in noauth (no identity headers = admin), the
 * service user's token (X-Auth-Token, renewed before it expires) in keystone mode.
 */
export interface ApiAuth {
  headers(): Promise<Record<string, string>>;
  /** The API answered 401 to these headers: the next headers() logs in again. */
  rejected(headers: Record<string, string>): void;
}

export const NOAUTH: ApiAuth = { headers: async () => ({}), rejected: () => undefined };

export function apiAuthFromEnv(env: NodeJS.ProcessEnv = process.env): ApiAuth {
  if (authStrategy(env) === 'noauth') return NOAUTH;
  const session = new KeystoneSession(keystoneConfig(env));
  return {
    headers: () => session.headers(),
    rejected: (h) => session.invalidate(h['x-auth-token'] ?? ''),
  };
}

/** fetch with the client's auth headers, logging in again once when the API says 401. */
export async function fetchWithAuth(auth: ApiAuth, url: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const h = await auth.headers();
    const res = await fetch(url, { ...init, headers: { ...init.headers, ...h } });
    if (res.status !== 401 || attempt > 0 || Object.keys(h).length === 0) return res;
    await res.text();
    auth.rejected(h);
  }
}
