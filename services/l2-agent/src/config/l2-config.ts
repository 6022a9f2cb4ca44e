import { agentHostConfig, type AgentHostConfig } from '@neutrino/agent-kit';
import { intSetting, setting } from '@neutrino/config';

export interface L2Config extends AgentHostConfig {
  /** physnet label → interface (physical_interface_mappings). */
  physicalInterfaceMappings: Record<string, string>;
  /** openvswitch: physnet label → provider bridge (bridge_mappings). */
  bridgeMappings: Record<string, string>;
  /** This host's VTEP address (local_ip); '' disables VXLAN. */
  localIp: string;
  /** Interface holding local_ip. */
  tunnelInterface: string;
  /** UDP port of the VXLAN devices (the Linux default is 8472). */
  vxlanPort: number;
  /** How the host is wired: a Linux bridge per network, or Open vSwitch (br-int/br-tun, hybrid plug). */
  mechanism: 'linuxbridge' | 'openvswitch';
  /** openvswitch: the run directory of the host's OVS (db.sock, <bridge>.mgmt). */
  ovsRunDir: string;
  /** openvswitch: datapath_type of br-int and br-tun. */
  ovsDatapathType: string;
  /** openvswitch: br-tun answers ARP for the remote ports' addresses (arp_responder; absent = true). */
  arpResponder?: boolean;
}

const mapping = (text: string): Record<string, string> =>
  Object.fromEntries(text.split(',').map((s) => s.trim()).filter(Boolean).map((pair) => pair.split(':').map((x) => x.trim()) as [string, string]));

/** The l2-agent's settings (documented in docs/configuration.md). */
export function l2ConfigFromEnv(env: NodeJS.ProcessEnv = process.env): L2Config {
  return {
    ...agentHostConfig(env),
    physicalInterfaceMappings: mapping(setting('physicalInterfaceMappings', env)),
    bridgeMappings: mapping(setting('bridgeMappings', env)),
    localIp: setting('localIp', env),
    tunnelInterface: setting('tunnelInterface', env),
    vxlanPort: intSetting('vxlanPort', env),
    mechanism: l2Mechanism(setting('l2Mechanism', env)),
    ovsRunDir: setting('ovsRunDir', env),
    ovsDatapathType: setting('ovsDatapathType', env),
    arpResponder: setting('ovsArpResponder', env) !== 'false',
  };
}

function l2Mechanism(v: string): L2Config['mechanism'] {
  if (v !== 'linuxbridge' && v !== 'openvswitch') throw new Error(`NEUTRINO_L2_MECHANISM must be linuxbridge or openvswitch, not ${v}`);
  return v;
}
