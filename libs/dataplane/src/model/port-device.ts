import { nsDeviceName, tapName } from '@neutrino/naming';
import type { Link } from './types';

/**
 * A Neutron port as a device inside a namespace (a DHCP server's, a load
 * balancer's VIP): `lo` up, and a veth pair — `tap<port[:11]>` in the host,
 * which the l2-agent puts in the network's bridge (so no master here), and
 * `ns-<port[:11]>` inside with the port's MAC and the given addresses.
 */
export function portInNamespace(netns: string, port: { id: string; mac_address: string }, addresses: string[], mtu?: number): Link[] {
  const tap = tapName(port.id);
  const dev = nsDeviceName(port.id);
  return [
    { netns, name: 'lo', kind: 'external', up: true },
    { name: tap, kind: 'veth', peer: { name: dev, netns }, up: true, mtu },
    { netns, name: dev, kind: 'veth', peer: { name: tap }, up: true, mtu, mac: port.mac_address, addresses },
  ];
}
