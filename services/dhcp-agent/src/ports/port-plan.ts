import type { FixedIp } from '@neutrino/domain';
import { DHCP_OWNER } from '@neutrino/naming';
import { dhcpDeviceId } from '../desired/device-id';
import type { DhcpView } from '../view/dhcp-view';
import { dhcpSubnets, networksNeedingPort, ownDhcpPorts } from '../view/scheduling';

/** A change to this agent's DHCP ports, made through the Neutron API. */
export type PortAction =
  | { kind: 'create'; networkId: string; port: Record<string, unknown> }
  | { kind: 'update'; networkId: string; portId: string; fixedIps: Array<Partial<FixedIp>> }
  | { kind: 'delete'; networkId: string; portId: string };

export const actionKey = (a: PortAction): string => (a.kind === 'create' ? `create:${a.networkId}` : `${a.kind}:${a.portId}`);

/**
 * What the API must do so that each network needing DHCP has exactly one
 * DHCP port of this agent with an address on every DHCP subnet, and no other
 * network has one (pure; the view is the log's word on what exists).
 */
export function planDhcpPorts(view: DhcpView): PortAction[] {
  const out: PortAction[] = [];
  const needing = new Set(networksNeedingPort(view));
  const withPorts = new Set([...view.ports.values()].filter((p) => p.device_owner === DHCP_OWNER).map((p) => p.network_id));
  for (const networkId of [...new Set([...needing, ...withPorts])].sort()) {
    const [keep, ...extra] = ownDhcpPorts(view, networkId);
    for (const p of needing.has(networkId) ? extra : [keep, ...extra].filter(Boolean)) {
      out.push({ kind: 'delete', networkId, portId: p.id });
    }
    if (!needing.has(networkId)) continue;
    const subnets = dhcpSubnets(view, networkId);
    if (!keep) {
      const network = view.networks.get(networkId)!;
      // A deletion in progress takes the DHCP port first (network.deleting): not one to make again.
      // Kept ports stay: a deletion refused as NetworkInUse leaves the network served.
      if (network.deleting?.length) continue;
      out.push({
        kind: 'create',
        networkId,
        port: {
          network_id: networkId,
          tenant_id: network.tenant_id,
          name: '',
          admin_state_up: true,
          device_owner: DHCP_OWNER,
          device_id: dhcpDeviceId(view.host, networkId),
          'binding:host_id': view.host,
          fixed_ips: subnets.map((s) => ({ subnet_id: s.id })),
        },
      });
      continue;
    }
    const missing = subnets.filter((s) => !keep.fixed_ips.some((f) => f.subnet_id === s.id));
    if (missing.length) {
      out.push({ kind: 'update', networkId, portId: keep.id, fixedIps: [...keep.fixed_ips.map((f) => ({ ...f })), ...missing.map((s) => ({ subnet_id: s.id }))] });
    }
  }
  return out;
}
