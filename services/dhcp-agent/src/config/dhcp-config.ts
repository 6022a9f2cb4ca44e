import * as os from 'node:os';
import { SETTINGS, intSetting, setting } from '@neutrino/config';

export interface DhcpConfig {
  host: string;
  /** The host's network namespace when the host is itself a namespace (test bed); '' = this machine. */
  hostNetns: string;
  /** Prefix of the namespaces this agent creates (`<prefix>qdhcp-<network>`). */
  netnsPrefix: string;
  /** Base URL of the Neutron API (DHCP ports are created and deleted there). */
  apiUrl: string;
  /** Lease seconds; -1 = infinite. */
  leaseSeconds: number;
  /** '' = bare host names */
  domain: string;
  enableIsolatedMetadata: boolean;
  dnsmasqBin: string;
  driver: 'linux' | 'memory';
}

const bool = (v: string): boolean => ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());

/** The dhcp-agent's settings (documented in docs/configuration.md). */
export function dhcpConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DhcpConfig {
  const driver = setting('dataplaneDriver', env) || (process.getuid?.() === 0 ? 'linux' : 'memory');
  if (driver !== 'linux' && driver !== 'memory') throw new Error(`NEUTRINO_DATAPLANE_DRIVER must be linux or memory, not ${driver}`);
  return {
    host: setting('host', env) || os.hostname(),
    hostNetns: setting('hostNetns', env),
    netnsPrefix: setting('netnsPrefix', env),
    apiUrl: (setting('apiUrl', env) || `http://${setting('apiHost', env)}:${setting('apiPort', env)}`).replace(/\/+$/, ''),
    leaseSeconds: intSetting('dhcpLeaseDuration', env),
    domain: env[SETTINGS.dhcpDomain.env] === '' ? '' : setting('dhcpDomain', env),
    enableIsolatedMetadata: bool(setting('enableIsolatedMetadata', env)),
    dnsmasqBin: setting('dnsmasqBin', env),
    driver,
  };
}
