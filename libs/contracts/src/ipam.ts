import type { Actor, AllocationPool, FixedIp, IpRequest, NetworkType, SegmentData } from '@neutrino/domain';

/** NATS request/reply subjects ipam answers (queue group "ipam"). */
export const IPAM_PATTERNS = {
  allocatePort: 'ipam.port.allocate',
  releasePort: 'ipam.port.release',
  allocateSegment: 'ipam.segment.allocate',
  releaseSegment: 'ipam.segment.release',
} as const;

export interface CallContext {
  actor: Actor;
  request_id: string | null;
}

/** What ipam needs to know of a subnet to hand out its addresses. */
export interface SubnetRef {
  id: string;
  network_id: string;
  ip_version: 4 | 6;
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: AllocationPool[];
}

export interface AllocatePortRequest extends CallContext {
  port_id: string;
  network_id: string;
  subnets: SubnetRef[];
  /** Addresses wanted: a given one, the next free of a subnet (or of its fallbacks), or the EUI-64 of the MAC (SLAAC). */
  ips: IpRequest[];
  /** null: generate one; undefined: allocate none (fixed_ips update only). */
  mac_address?: string | null;
  /** The port's MAC for EUI-64 addresses when no MAC is allocated in this call. */
  port_mac?: string;
}

export interface AllocatePortReply {
  fixed_ips: FixedIp[];
  mac_address?: string;
}

export interface ReleasePortRequest extends CallContext {
  port_id: string;
  network_id: string;
  fixed_ips: FixedIp[];
  mac_address?: string;
}

export interface AllocateSegmentRequest extends CallContext {
  network_id: string;
  network_type: NetworkType;
  physical_network: string | null;
  segmentation_id: number | null;
}

export type SegmentReply = SegmentData;

/** An error ipam answers with; the gateway turns it into the Neutron error body. */
export interface IpamFault {
  status: number;
  type: string;
  message: string;
}
