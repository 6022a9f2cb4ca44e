/** Size limits of a port request, checked before anything is allocated. */
import { pyJsonDumps } from '../common/json-limits';
import { invalidInput } from '../errors';
import type { DomainConfig } from '../config';

/** ml2_port_bindings.profile is a VARCHAR(4095) holding jsonutils.dumps(profile). */
export const BINDING_PROFILE_LEN = 4095;

/** Zed's ml2 check on the stored binding:profile. */
export function checkBindingProfile(profile: unknown): void {
  if (profile === null || profile === undefined || typeof profile !== 'object') return;
  if (pyJsonDumps(profile).length > BINDING_PROFILE_LEN) throw invalidInput('binding:profile value too large');
}

/**
 * The cap on the fixed IPs one request may ask for (Neutron's former
 * max_fixed_ips_per_port, with its message): 1,000 entries would be 1,000
 * allocations and events for a single port.
 */
export function checkFixedIpCount(fixedIps: unknown, cfg: DomainConfig): void {
  if (Array.isArray(fixedIps) && fixedIps.length > cfg.maxFixedIpsPerPort) throw invalidInput('Exceeded maximum amount of fixed ips per port');
}
