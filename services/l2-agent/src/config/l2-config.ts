import { agentHostConfig, type AgentHostConfig } from '@neutrino/agent-kit';
import { intSetting, setting } from '@neutrino/config';

export interface L2Config extends AgentHostConfig {
  /** physnet label → interface (physical_interface_mappings). */
  physicalInterfaceMappings: Record<string, string>;
  /** This host's VTEP address (local_ip); '' disables VXLAN. */
  localIp: string;
  /** Interface holding local_ip. */
  tunnelInterface: string;
  /** UDP port of the VXLAN devices (the Linux default is 8472). */
  vxlanPort: number;
}

const mapping = (text: string): Record<string, string> =>
  Object.fromEntries(text.split(',').map((s) => s.trim()).filter(Boolean).map((pair) => pair.split(':').map((x) => x.trim()) as [string, string]));

/** The l2-agent's settings (documented in docs/configuration.md). */
export function l2ConfigFromEnv(env: NodeJS.ProcessEnv = process.env): L2Config {
  return {
    ...agentHostConfig(env),
    physicalInterfaceMappings: mapping(setting('physicalInterfaceMappings', env)),
    localIp: setting('localIp', env),
    tunnelInterface: setting('tunnelInterface', env),
    vxlanPort: intSetting('vxlanPort', env),
  };
}
