import { agentHostConfig, type AgentHostConfig } from '@neutrino/agent-kit';
import { intSetting, setting } from '@neutrino/config';

export interface LbaasConfig extends AgentHostConfig {
  haproxyBin: string;
  /** how often the stats sockets are read (0: never) */
  healthPollMs: number;
  userGroup: string;
}

/** The lbaas-agent's settings (documented in docs/configuration.md). */
export function lbaasConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LbaasConfig {
  return {
    ...agentHostConfig(env),
    haproxyBin: setting('lbaasHaproxyBin', env),
    healthPollMs: intSetting('lbaasHealthPollMs', env),
    userGroup: setting('lbaasUserGroup', env),
  };
}
