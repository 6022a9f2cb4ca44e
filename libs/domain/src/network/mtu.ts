import type { DomainConfig } from '../config';
import { invalidInput } from '../errors';
import type { NetworkType } from '../model';

/** The largest MTU a network of this type can carry (Zed: vxlan 1450 over an IPv4 underlay, others 1500). */
export function maxMtu(type: NetworkType, cfg: DomainConfig): number {
  const ipHeader = cfg.overlayIpVersion === 6 ? 40 : 20;
  if (type === 'vxlan') return cfg.globalPhysnetMtu - ipHeader - 30;
  if (type === 'gre') return cfg.globalPhysnetMtu - ipHeader - 22;
  return cfg.globalPhysnetMtu;
}

/** A requested MTU (0 = the type's maximum); InvalidInput when too big. */
export function checkMtu(requested: number, type: NetworkType, cfg: DomainConfig): number {
  const max = maxMtu(type, cfg);
  if (requested > max) throw invalidInput(`Requested MTU is too big, maximum is ${max}`);
  return requested || max;
}
