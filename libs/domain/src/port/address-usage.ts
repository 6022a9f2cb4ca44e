import { canonicalIp, sanitizeMac } from '@neutrino/netaddr';
import type { Port } from '../model';

/**
 * The addresses and MACs ports hold on one network, asked only for what a
 * request names (the gateway answers from indexes kept with its read model, so
 * a create does not walk the network's ports).
 */
export interface AddressUsage {
  /** Whether a port on the network holds `ip` (canonical) in the subnet. */
  ipInUse(subnetId: string, ip: string): boolean;
  /** Whether a port on the network has `mac` (sanitized). */
  macInUse(mac: string): boolean;
}

export const NO_USAGE: AddressUsage = { ipInUse: () => false, macInUse: () => false };

/** The usage of the given ports (all on one network), computed once. */
export function addressUsageOf(ports: Iterable<Port>): AddressUsage {
  const ips = new Set<string>();
  const macs = new Set<string>();
  for (const p of ports) {
    macs.add(sanitizeMac(p.mac_address));
    for (const f of p.fixed_ips) ips.add(`${f.subnet_id} ${canonicalIp(f.ip_address)}`);
  }
  return { ipInUse: (subnetId, ip) => ips.has(`${subnetId} ${ip}`), macInUse: (mac) => macs.has(mac) };
}
