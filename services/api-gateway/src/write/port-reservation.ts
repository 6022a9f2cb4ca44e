import { IPAM_PATTERNS, type AllocatePortReply, type SubnetRef } from '@neutrino/contracts';
import type { FixedIp, IpRequest, Subnet } from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import type { IpamClient } from './ipam-client';
import type { Reservation } from './reservation';

export const subnetRef = (s: Subnet): SubnetRef => ({
  id: s.id, network_id: s.network_id, ip_version: s.ip_version, cidr: s.cidr, gateway_ip: s.gateway_ip, allocation_pools: s.allocation_pools,
});

export interface PortAddressRequest {
  port_id: string;
  network_id: string;
  subnets: Subnet[];
  ips: IpRequest[];
  /** null: a new MAC; a string: that MAC; undefined: no MAC (an update's addresses only). */
  mac_address?: string | null;
  /** The port's MAC for EUI-64 addresses when no MAC is allocated. */
  port_mac?: string;
}

/** A port's addresses (and MAC) from ipam; released exactly as allocated. */
export function portAddresses(ipam: IpamClient, ctx: RequestContext, req: PortAddressRequest): Reservation<AllocatePortReply> {
  return {
    reserve: () =>
      ipam.call<AllocatePortReply>(IPAM_PATTERNS.allocatePort, {
        port_id: req.port_id, network_id: req.network_id, subnets: req.subnets.map(subnetRef), ips: req.ips, mac_address: req.mac_address, port_mac: req.port_mac,
        actor: ctx.actor, request_id: ctx.requestId,
      }),
    release: (r) => releasePortAddresses(ipam, ctx, { id: req.port_id, network_id: req.network_id }, r.fixed_ips, r.mac_address),
  };
}

/** Gives a port's addresses (and MAC) back to ipam. */
export async function releasePortAddresses(
  ipam: IpamClient, ctx: RequestContext, port: { id: string; network_id: string }, fixed_ips: FixedIp[], mac_address?: string,
): Promise<void> {
  if (!fixed_ips.length && !mac_address) return;
  await ipam.call(IPAM_PATTERNS.releasePort, {
    port_id: port.id, network_id: port.network_id, fixed_ips, mac_address, actor: ctx.actor, request_id: ctx.requestId,
  });
}
