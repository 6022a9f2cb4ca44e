import * as path from 'node:path';
import { OvsDaemons } from '@neutrino/dataplane';
import { execIn, ipBatch } from './netns';
import { binary, must } from './run';
import type { HostInfo, TopologyPlan } from './topology';

/**
 * The operator's underlay bridge of an openvswitch host. OVS's userspace datapath sends tunnel
 * packets out of the bridge that holds the route to the remote VTEP, so the host's underlay
 * interface is a port of this bridge and local_ip sits on the bridge's internal port
 * (OVS's "userspace tunneling" setup). The l2-agent never touches it (not its external_ids owner).
 */
export const UNDERLAY_OVS_BRIDGE = 'br-eth1';

/** The external physical network's provider bridge on network hosts (spec/l2.md §5.1: `br-ex`). */
export const EXTERNAL_OVS_BRIDGE = 'br-ex';

/** A provider bridge of an openvswitch host: the operator's bridge holding the host's interface to a physical network. */
export interface ProviderBridge {
  physnet: string;
  bridge: string;
  interface: string;
}

/**
 * The provider bridges of an openvswitch host, as an operator sets them up (spec/l2.md §5.5:
 * `ovs-vsctl add-br br-eth2; ovs-vsctl add-port br-eth2 eth2`): `br-<interface>` for each physical
 * network (physnet1 → `br-eth2` holding eth2) and, on network hosts, `br-ex` holding the external
 * interface (the physical network `externalPhysnet`). None on LinuxBridge hosts.
 */
export function providerBridges(h: HostInfo, externalPhysnet: string): ProviderBridge[] {
  if (h.mechanism !== 'openvswitch') return [];
  const out = Object.entries(h.physicalInterfaces).map(([physnet, iface]) => ({ physnet, bridge: `br-${iface}`, interface: iface }));
  if (h.externalInterface) out.push({ physnet: externalPhysnet, bridge: EXTERNAL_OVS_BRIDGE, interface: h.externalInterface });
  return out;
}

/** Where a host's OVS lives: `<state dir>/ovs/<host>` (short: unix socket paths are limited to 107 bytes). */
export const ovsRunDirOf = (stateDir: string, host: string): string => path.join(stateDir, 'ovs', host);

/** A host's daemons (the pid files are in its run directory: a later process can stop them). */
export const hostDaemons = (h: HostInfo): OvsDaemons => {
  if (!h.ovsRunDir) throw new Error(`host ${h.name} has no Open vSwitch`);
  return new OvsDaemons({ runDir: h.ovsRunDir, netns: h.netns });
};

/**
 * Starts the host's ovsdb-server and ovs-vswitchd in its namespace, puts its underlay address on
 * br-eth1 and its physical interfaces into their provider bridges (netdev datapath, as br-int's).
 */
export async function startHostOvs(h: HostInfo, plan: TopologyPlan, externalPhysnet: string): Promise<void> {
  const daemons = hostDaemons(h);
  await daemons.start();
  const vsctl = (...args: string[]) => execIn(h.netns, ['ovs-vsctl', `--db=unix:${daemons.dbSocket}`, '--timeout=10', ...args]);
  const r = await vsctl(
    '--may-exist', 'add-br', UNDERLAY_OVS_BRIDGE, '--', 'set', 'Bridge', UNDERLAY_OVS_BRIDGE, `datapath_type=netdev`,
    '--', '--may-exist', 'add-port', UNDERLAY_OVS_BRIDGE, h.underlayInterface,
  );
  if (r.code !== 0) throw new Error(`${h.name}: ovs-vsctl add-br ${UNDERLAY_OVS_BRIDGE} failed: ${r.stderr.trim()}`);
  for (const p of providerBridges(h, externalPhysnet)) {
    const b = await vsctl('--may-exist', 'add-br', p.bridge, '--', 'set', 'Bridge', p.bridge, 'datapath_type=netdev', '--', '--may-exist', 'add-port', p.bridge, p.interface);
    if (b.code !== 0) throw new Error(`${h.name}: ovs-vsctl add-br ${p.bridge} failed: ${b.stderr.trim()}`);
  }
  const cidr = `${h.underlayIp}/${h.underlayPrefixLen}`;
  await ipBatch(h.netns, [`addr del ${cidr} dev ${h.underlayInterface}`, `link set ${UNDERLAY_OVS_BRIDGE} mtu ${plan.underlay.mtu} up`, `addr add ${cidr} dev ${UNDERLAY_OVS_BRIDGE}`]);
}

/** Stops a host's daemons by the pids in their pid files (only while those pids still run what was started). */
export async function stopHostOvs(h: HostInfo): Promise<void> {
  if (h.ovsRunDir) await hostDaemons(h).stop();
}

/**
 * A veth computes its checksums on send (`ethtool -K <dev> tx off`). OVS's userspace datapath reads
 * ports through AF_PACKET, where a veth's offloaded checksum is still unfinished: it drops VXLAN
 * packets whose UDP checksum (the Linux vxlan device sets one) does not verify, and forwards an
 * instance's TCP segments with checksums the receiver rejects. Needed on every host's underlay,
 * physical and external NIC of a test bed with openvswitch hosts (a frame keeps its unfinished
 * checksum across veths and Linux bridges: leaving a LinuxBridge host's NIC with `tx off` finishes
 * it), on the internet namespace's NIC, and on instances plugged into an openvswitch host.
 */
export async function computeChecksums(netns: string, dev: string): Promise<void> {
  await must([binary('ip', 'iproute2'), 'netns', 'exec', netns, binary('ethtool', 'ethtool'), '-K', dev, 'tx', 'off']);
}
