import { addNetns, ipBatch, sysctls } from './netns';
import { fabricEnd } from './names';
import { topologyNetns, type HostInfo, type TopologyPlan } from './topology';

/** What a host has (spec l2 §10): forwarding on, reverse-path filtering off. */
const hostSysctls = (extraDevs: string[]): Record<string, number> => ({
  'net.ipv4.ip_forward': 1,
  'net.ipv4.conf.all.rp_filter': 0,
  'net.ipv4.conf.default.rp_filter': 0,
  ...Object.fromEntries(extraDevs.map((d) => [`net.ipv4.conf.${d}.rp_filter`, 0])),
});

const hostDevs = (h: HostInfo): string[] => ['eth1', 'eth2', ...(h.externalInterface ? [h.externalInterface] : [])];

/** The fabric: three bridges (underlay, physnet1, external) and the fabric end of every veth. */
function fabricLines(plan: TopologyPlan): string[] {
  const { fabric, underlay, internet } = plan;
  const physnet = fabric.physnetBridges.physnet1;
  const mtu = underlay.mtu;
  const lines = [
    'link set lo up',
    `link add ${fabric.underlayBridge} type bridge stp_state 0 mcast_snooping 0`,
    `link add ${physnet} type bridge stp_state 0`,
    `link add ${fabric.externalBridge} type bridge stp_state 0`,
  ];
  const plug = (end: string, peer: string, netns: string, bridge: string, peerMtu?: number) => {
    const m = peerMtu ? ` mtu ${peerMtu}` : '';
    lines.push(`link add ${end}${m} type veth peer name ${peer}${m} netns ${netns}`, `link set ${end} master ${bridge} up`);
  };
  for (const h of plan.hosts) {
    plug(fabricEnd('u', h.name), 'eth1', h.netns, fabric.underlayBridge, mtu);
    plug(fabricEnd('p', h.name), 'eth2', h.netns, physnet);
    if (h.externalInterface) plug(fabricEnd('x', h.name), h.externalInterface, h.netns, fabric.externalBridge);
  }
  plug(fabricEnd('x', 'internet'), internet.interface, internet.netns, fabric.externalBridge);
  lines.push(...[fabric.underlayBridge, physnet, fabric.externalBridge].map((b) => `link set ${b} up`));
  return lines;
}

function hostLines(h: HostInfo): string[] {
  return [
    'link set lo up',
    `addr add ${h.underlayIp}/${h.underlayPrefixLen} dev eth1`,
    ...hostDevs(h).map((d) => `link set ${d} up`),
  ];
}

/** Creates the namespaces, bridges, veths, addresses and sysctls of `plan` (the namespaces must not exist yet). */
export async function buildTopology(plan: TopologyPlan): Promise<void> {
  const { fabric, internet } = plan;
  await addNetns(topologyNetns(plan));
  // The fabric is a plain switch: no IP stack of its own on the bridges.
  await sysctls(fabric.netns, { 'net.ipv6.conf.all.disable_ipv6': 1, 'net.ipv6.conf.default.disable_ipv6': 1 });
  await ipBatch(fabric.netns, fabricLines(plan));
  await Promise.all([
    ...plan.hosts.map(async (h) => {
      await sysctls(h.netns, hostSysctls(hostDevs(h)));
      await ipBatch(h.netns, hostLines(h));
    }),
    (async () => {
      await sysctls(internet.netns, { 'net.ipv4.ip_forward': 1 });
      await ipBatch(internet.netns, [
        'link set lo up',
        `addr add ${internet.remoteIp}/32 dev lo`,
        `addr add ${internet.gatewayIp}/${internet.prefixLen} dev ${internet.interface}`,
        `link set ${internet.interface} up`,
      ]);
    })(),
  ]);
}
