/**
 * GET /v2.0/network-ip-availabilities (the network-ip-availability extension):
 * per network and subnet, how many addresses ports hold and how many the
 * allocation pools offer — Zed's shape. `total_ips` can pass 2^53 (a /64 pool
 * holds 2^64 - 1 addresses), so it is a bigint and the gateway writes it as a
 * JSON integer.
 */
import { poolSize } from '@neutrino/netaddr';
import type { Network, Port, Subnet } from '../model';

export interface SubnetIpAvailability {
  subnet_id: string;
  ip_version: 4 | 6;
  cidr: string;
  subnet_name: string;
  used_ips: number;
  total_ips: bigint;
}

export interface NetworkIpAvailability {
  network_id: string;
  network_name: string;
  tenant_id: string;
  project_id: string;
  subnet_ip_availability: SubnetIpAvailability[];
  used_ips: number;
  total_ips: bigint;
}

/** A network's availability over the given subnets (Zed lists them by subnet id); used = fixed IPs held on each subnet, in or out of its pools. */
export function networkIpAvailability(network: Network, subnets: Subnet[], ports: Port[]): NetworkIpAvailability {
  const used = new Map<string, number>();
  for (const p of ports) for (const f of p.fixed_ips) used.set(f.subnet_id, (used.get(f.subnet_id) ?? 0) + 1);
  const per = [...subnets]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((s): SubnetIpAvailability => ({
      subnet_id: s.id,
      ip_version: s.ip_version,
      cidr: s.cidr,
      subnet_name: s.name,
      used_ips: used.get(s.id) ?? 0,
      total_ips: s.allocation_pools.reduce((n, pool) => n + poolSize(pool), 0n),
    }));
  return {
    network_id: network.id,
    network_name: network.name,
    tenant_id: network.project_id,
    project_id: network.project_id,
    subnet_ip_availability: per,
    used_ips: per.reduce((n, s) => n + s.used_ips, 0),
    total_ips: per.reduce((n, s) => n + s.total_ips, 0n),
  };
}
