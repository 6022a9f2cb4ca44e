import { agentHostConfig, settingFlag, type AgentHostConfig } from '@neutrino/agent-kit';
import { intSetting, setting } from '@neutrino/config';

export interface L3Config extends AgentHostConfig {
  enableMetadataProxy: boolean;
  keepalivedBin: string;
  strongswanStarterBin: string;
  haStatePollMs: number;
  swanctlBin: string;
  strongswanIpsec: 'kernel' | 'libipsec';
  vpnStatusPollMs: number;
}

/** The l3-agent's settings (documented in docs/configuration.md). */
export function l3ConfigFromEnv(env: NodeJS.ProcessEnv = process.env): L3Config {
  return {
    ...agentHostConfig(env),
    enableMetadataProxy: settingFlag(setting('enableMetadataProxy', env)),
    keepalivedBin: setting('keepalivedBin', env),
    strongswanStarterBin: setting('strongswanStarterBin', env),
    haStatePollMs: intSetting('haStatePollMs', env),
    swanctlBin: setting('swanctlBin', env),
    strongswanIpsec: ipsecBackend(setting('strongswanIpsec', env)),
    vpnStatusPollMs: intSetting('vpnStatusPollMs', env),
  };
}

function ipsecBackend(v: string): 'kernel' | 'libipsec' {
  if (v === 'kernel' || v === 'libipsec') return v;
  throw new Error(`NEUTRINO_STRONGSWAN_IPSEC must be kernel or libipsec, not '${v}'`);
}
