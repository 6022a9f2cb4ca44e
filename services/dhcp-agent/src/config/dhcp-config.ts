import { agentHostConfig, settingFlag, type AgentHostConfig } from '@neutrino/agent-kit';
import { SETTINGS, intSetting, setting } from '@neutrino/config';

export interface DhcpConfig extends AgentHostConfig {
  /** Base URL of the Neutron API (DHCP ports are created and deleted there). */
  apiUrl: string;
  /** Lease seconds; -1 = infinite. */
  leaseSeconds: number;
  /** '' = bare host names */
  domain: string;
  enableIsolatedMetadata: boolean;
  dnsmasqBin: string;
}

/** The dhcp-agent's settings (documented in docs/configuration.md). */
export function dhcpConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DhcpConfig {
  return {
    ...agentHostConfig(env),
    apiUrl: (setting('apiUrl', env) || `http://${setting('apiHost', env)}:${setting('apiPort', env)}`).replace(/\/+$/, ''),
    leaseSeconds: intSetting('dhcpLeaseDuration', env),
    domain: env[SETTINGS.dhcpDomain.env] === '' ? '' : setting('dhcpDomain', env),
    enableIsolatedMetadata: settingFlag(setting('enableIsolatedMetadata', env)),
    dnsmasqBin: setting('dnsmasqBin', env),
  };
}
