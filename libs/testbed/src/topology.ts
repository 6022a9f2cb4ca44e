import { checkHostName, checkTestbedId, fabricNetns, hostNetns, internetNetns, prefixOf } from './names';

/** A host of the test bed; `network: true` makes it a network node (it gets eth3 on the external bridge). */
/** How a host's l2-agent wires it (NEUTRINO_L2_MECHANISM). */
export type L2Mechanism = 'linuxbridge' | 'openvswitch';

export interface HostSpec {
  name: string;
  network?: boolean;
  /** Default: TopologyOptions.mechanism for computes, TopologyOptions.networkMechanism for network nodes. */
  mechanism?: L2Mechanism;
}

export const DEFAULT_HOSTS: HostSpec[] = [{ name: 'network1', network: true }, { name: 'compute1' }, { name: 'compute2' }];

/** Everything an agent's configuration needs to know about the host it runs on. */
export interface HostInfo {
  name: string;
  /** The host's network namespace (run the agent in it, or give it to the agent). */
  netns: string;
  /** Prefix for namespaces the host's agents create (qdhcp-…, qrouter-…), so hosts never collide and `down()` removes them. */
  netnsPrefix: string;
  network: boolean;
  /** VTEP address on eth1 (e.g. 172.18.0.101), the agent's `local_ip`. */
  underlayIp: string;
  underlayPrefixLen: number;
  underlayInterface: 'eth1';
  /** physnet label → interface, e.g. { physnet1: 'eth2' }. */
  physicalInterfaces: Record<string, string>;
  /** `physnet1:eth2` (LinuxBridge physical_interface_mappings). */
  physicalInterfaceMappings: string;
  /** eth3 on the external bridge (network nodes only), no address. */
  externalInterface: 'eth3' | null;
  /** The l2 mechanism of the host (its l2-agent's NEUTRINO_L2_MECHANISM). */
  mechanism: L2Mechanism;
  /**
   * openvswitch hosts: the run directory of the host's own ovsdb-server and ovs-vswitchd (under the
   * test bed's state directory; set by Testbed.up before anything is created), else null.
   */
  ovsRunDir: string | null;
}

export interface TopologyPlan {
  id: string;
  prefix: string;
  fabric: { netns: string; underlayBridge: string; physnetBridges: Record<string, string>; externalBridge: string };
  underlay: { cidr: string; mtu: number };
  internet: { netns: string; interface: 'eth0'; cidr: string; gatewayIp: string; prefixLen: number; remoteIp: string };
  hosts: HostInfo[];
}

export interface TopologyOptions {
  id: string;
  hosts?: HostSpec[];
  /** MTU of the underlay links (default 1500; VXLAN networks then get 1450). */
  underlayMtu?: number;
  /** The l2 mechanism of the compute hosts (default linuxbridge). */
  mechanism?: L2Mechanism;
  /** The l2 mechanism of the network hosts (default linuxbridge; openvswitch wires their DHCP and router taps into br-int, the external network through br-ex). */
  networkMechanism?: L2Mechanism;
}

const UNDERLAY = { base: '172.18.0.', first: 100, prefixLen: 24 };
const PHYSNET = 'physnet1';

/** The whole layout as data: names and addresses, nothing executed. */
export function planTopology(opts: TopologyOptions): TopologyPlan {
  const id = checkTestbedId(opts.id);
  const prefix = prefixOf(id);
  const specs = opts.hosts ?? DEFAULT_HOSTS;
  const seen = new Set<string>();
  for (const h of specs) {
    checkHostName(h.name);
    if (['fabric', 'internet'].includes(h.name) || h.name.startsWith('vm')) throw new Error(`host name "${h.name}" is reserved`);
    if (seen.has(h.name)) throw new Error(`host "${h.name}" given twice`);
    seen.add(h.name);
  }
  if (specs.length > 150) throw new Error('at most 150 hosts');
  const hosts = specs.map((h, i): HostInfo => {
    const netns = hostNetns(prefix, h.name);
    return {
      name: h.name,
      netns,
      netnsPrefix: `${netns}-`,
      network: !!h.network,
      underlayIp: `${UNDERLAY.base}${UNDERLAY.first + i}`,
      underlayPrefixLen: UNDERLAY.prefixLen,
      underlayInterface: 'eth1',
      physicalInterfaces: { [PHYSNET]: 'eth2' },
      physicalInterfaceMappings: `${PHYSNET}:eth2`,
      externalInterface: h.network ? 'eth3' : null,
      mechanism: h.mechanism ?? (h.network ? (opts.networkMechanism ?? 'linuxbridge') : (opts.mechanism ?? 'linuxbridge')),
      ovsRunDir: null,
    };
  });
  return {
    id,
    prefix,
    fabric: { netns: fabricNetns(prefix), underlayBridge: 'br-underlay', physnetBridges: { [PHYSNET]: 'br-physnet1' }, externalBridge: 'br-external' },
    underlay: { cidr: `${UNDERLAY.base}0/${UNDERLAY.prefixLen}`, mtu: opts.underlayMtu ?? 1500 },
    internet: { netns: internetNetns(prefix), interface: 'eth0', cidr: '203.0.113.0/24', gatewayIp: '203.0.113.1', prefixLen: 24, remoteIp: '198.51.100.1' },
    hosts,
  };
}

/** Every namespace the topology consists of (instances and agent namespaces come on top). */
export const topologyNetns = (plan: TopologyPlan): string[] => [plan.fabric.netns, plan.internet.netns, ...plan.hosts.map((h) => h.netns)];
