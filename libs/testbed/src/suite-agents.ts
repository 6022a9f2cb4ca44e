import { loadEntrypoints } from '@neutrino/process';
import type { AgentSpec } from './agents';
import { providerBridges } from './ovs-hosts';
import type { HostInfo } from './topology';

/** The physnet the test bed's external bridge is: a flat network on it reaches the internet namespace. */
export const EXTERNAL_PHYSNET = 'public';

/** physical_interface_mappings of a host: its physnets, and on network hosts `public:eth3` (the external bridge). */
export const physicalInterfaceMappings = (host: HostInfo): string =>
  host.externalInterface ? `${host.physicalInterfaceMappings},${EXTERNAL_PHYSNET}:${host.externalInterface}` : host.physicalInterfaceMappings;

/** bridge_mappings of an openvswitch host: each physnet's provider bridge (`physnet1:br-eth2`, network hosts `public:br-ex` too). */
export const bridgeMappings = (host: HostInfo): string => providerBridges(host, EXTERNAL_PHYSNET).map((p) => `${p.physnet}:${p.bridge}`).join(',');

/**
 * The Neutrino agents of a test bed host, configured from the host's facts:
 * each runs as a node process in the caller's namespace (so it reaches NATS
 * on loopback) and works inside the host's namespace through the driver.
 * `perHost` picks which agents a host runs (default: the l2-agent everywhere).
 */
export function suiteAgents(
  natsUrl: string,
  dataDir: string,
  perHost: (host: HostInfo) => string[] = () => ['l2-agent'],
  env: NodeJS.ProcessEnv = {},
): (host: HostInfo) => AgentSpec[] {
  const entrypoints = loadEntrypoints() as ReturnType<typeof loadEntrypoints> & { services: Record<string, string> };
  return (host) =>
    perHost(host).map((name) => {
      if (!entrypoints.services[name]) throw new Error(`no entry point for agent ${name}`);
      return {
        name,
        command: process.execPath,
        args: ['--max-semi-space-size=2', '-r', entrypoints.register, entrypoints.services[name]],
        inHostNetns: false,
        env: {
          NEUTRINO_NATS_URL: natsUrl,
          NEUTRINO_DATA_DIR: dataDir,
          NEUTRINO_HOST: host.name,
          NEUTRINO_HOST_NETNS: host.netns,
          NEUTRINO_NETNS_PREFIX: host.netnsPrefix,
          NEUTRINO_LOCAL_IP: host.underlayIp,
          NEUTRINO_TUNNEL_INTERFACE: host.underlayInterface,
          NEUTRINO_PHYSICAL_INTERFACE_MAPPINGS: physicalInterfaceMappings(host),
          NEUTRINO_DATAPLANE_DRIVER: 'linux',
          NEUTRINO_L2_MECHANISM: host.mechanism,
          ...(host.ovsRunDir ? { NEUTRINO_OVS_RUN_DIR: host.ovsRunDir, NEUTRINO_BRIDGE_MAPPINGS: bridgeMappings(host) } : {}),
          ...env,
        },
      };
    });
}
