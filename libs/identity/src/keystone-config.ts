import { setting, intSetting } from '@neutrino/config';

export type AuthStrategy = 'noauth' | 'keystone';

/** Where Keystone is and who Neutrino is to it (NEUTRINO_KEYSTONE_*). */
export interface KeystoneConfig {
  /** Identity v3 endpoint without a trailing slash, e.g. http://127.0.0.1:5000/v3 */
  url: string;
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
  cacheTtlMs: number;
}

export function authStrategy(env: NodeJS.ProcessEnv = process.env): AuthStrategy {
  const s = setting('authStrategy', env);
  if (s !== 'noauth' && s !== 'keystone') throw new Error(`NEUTRINO_AUTH_STRATEGY must be noauth or keystone, got "${s}"`);
  return s;
}

export function keystoneConfig(env: NodeJS.ProcessEnv = process.env): KeystoneConfig {
  const url = setting('keystoneUrl', env).replace(/\/+$/, '');
  if (!url) throw new Error('NEUTRINO_AUTH_STRATEGY=keystone needs NEUTRINO_KEYSTONE_URL (e.g. http://127.0.0.1:5000/v3)');
  const password = setting('keystonePassword', env);
  if (!password) throw new Error('NEUTRINO_AUTH_STRATEGY=keystone needs NEUTRINO_KEYSTONE_PASSWORD (the service user\'s password)');
  const cacheTtlMs = intSetting('keystoneTokenCacheTtlMs', env);
  if (cacheTtlMs < 0) throw new Error(`NEUTRINO_KEYSTONE_TOKEN_CACHE_TTL_MS must be >= 0, got ${cacheTtlMs}`);
  return {
    url,
    username: setting('keystoneUsername', env),
    password,
    projectName: setting('keystoneProjectName', env),
    userDomainName: setting('keystoneUserDomainName', env),
    projectDomainName: setting('keystoneProjectDomainName', env),
    cacheTtlMs,
  };
}
