import type { Port, Subnet } from '@neutrino/domain';
import { DHCP_OWNER } from '@neutrino/naming';
import { dhcpDeviceId } from '../desired/device-id';
import type { DhcpView } from './dhcp-view';

/** The subnets dnsmasq hands out leases on: IPv4 with DHCP enabled, in network order. */
export const dhcpSubnets = (view: DhcpView, networkId: string): Subnet[] =>
  view.subnetsOf(networkId).filter((s) => s.enable_dhcp && s.ip_version === 4);

/**
 * Does this agent serve the network? For now every dhcp-agent serves every
 * network (one agent per deployment); a scheduler choosing among the agents'
 * registrations belongs here.
 */
export const scheduledHere = (_view: DhcpView, _networkId: string): boolean => true;

/** Networks that get a DHCP port from this agent: at least one DHCP subnet (admin state aside), scheduled here. */
export function networksNeedingPort(view: DhcpView): string[] {
  return [...view.networks.keys()].filter((id) => dhcpSubnets(view, id).length > 0 && scheduledHere(view, id)).sort();
}

/** This agent's DHCP ports on a network, the one to keep first (oldest, then lowest id). */
export function ownDhcpPorts(view: DhcpView, networkId: string): Port[] {
  const deviceId = dhcpDeviceId(view.host, networkId);
  return view
    .portsOf(networkId)
    .filter((p) => p.device_owner === DHCP_OWNER && p.device_id === deviceId)
    .sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? '') || a.id.localeCompare(b.id));
}

/** Networks whose DHCP this host serves now: they need a port, have it, and are administratively up. */
export function servedNetworks(view: DhcpView): Array<{ networkId: string; port: Port }> {
  const out: Array<{ networkId: string; port: Port }> = [];
  for (const id of networksNeedingPort(view)) {
    const port = ownDhcpPorts(view, id)[0];
    if (port && view.networks.get(id)!.admin_state_up) out.push({ networkId: id, port });
  }
  return out;
}
