import { agentHostConfig, type AgentHostConfig } from '@neutrino/agent-kit';

export type FwaasConfig = AgentHostConfig;

/** The fwaas-agent's settings: the host's (NEUTRINO_HOST, NEUTRINO_HOST_NETNS, NEUTRINO_NETNS_PREFIX, the driver). */
export function fwaasConfigFromEnv(env: NodeJS.ProcessEnv = process.env): FwaasConfig {
  return agentHostConfig(env);
}
