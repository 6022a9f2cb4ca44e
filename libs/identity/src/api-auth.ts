import { authStrategy, keystoneConfig } from './keystone-config';
import { KeystoneSession } from './keystone-session';

/**
 * How a client inside the suite (the dhcp-agent, the test bed's helpers, the CLI) authenticates
 * to the Neutron API: nothing in noauth (no identity headers = admin), the service user's
 * token (X-Auth-Token, renewed before it expires) in keystone mode.
 */
export type ApiAuth = () => Promise<Record<string, string>>;

export function apiAuthFromEnv(env: NodeJS.ProcessEnv = process.env): ApiAuth {
  if (authStrategy(env) === 'noauth') return async () => ({});
  const session = new KeystoneSession(keystoneConfig(env));
  return () => session.headers();
}
