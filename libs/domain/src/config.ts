import type { NetworkType } from './model';
import { NEUTRON_QUOTA_DEFAULTS, type QuotaLimits } from './quota/limits';

/** The settings the domain rules depend on (ml2_conf.ini / neutron.conf in Neutron). */
export interface DomainConfig {
  /** The network types that may be created (ML2 type_drivers; the reference's: flat, vlan, vxlan, local). */
  typeDrivers: NetworkType[];
  /** Ordered; a network without provider attributes gets the first. */
  tenantNetworkTypes: NetworkType[];
  /** Physnets allowed for flat networks; '*' allows any. */
  flatNetworks: string[];
  /** physnet -> VLAN ranges; a physnet may have no range (provider networks only). */
  vlanRanges: Record<string, Array<[number, number]>>;
  vniRanges: Array<[number, number]>;
  globalPhysnetMtu: number;
  /** VXLAN overhead: 50 bytes over IPv4 (mtu 1450), 70 over IPv6. */
  overlayIpVersion: 4 | 6;
  maxDnsNameservers: number;
  maxSubnetHostRoutes: number;
  maxAllowedAddressPairs: number;
  /** Fixed IPs one port request may ask for (NEUTRINO_MAX_FIXED_IPS_PER_PORT). */
  maxFixedIpsPerPort: number;
  /** Each project's quota unless an admin set its own (NEUTRINO_QUOTA_*; -1 = unlimited). */
  quotaDefaults: QuotaLimits;
}

export const defaultDomainConfig: DomainConfig = {
  typeDrivers: ['flat', 'vlan', 'vxlan', 'local'],
  tenantNetworkTypes: ['vxlan'],
  flatNetworks: ['*'],
  vlanRanges: { physnet1: [[100, 199]], public: [] },
  vniRanges: [[1, 10000]],
  globalPhysnetMtu: 1500,
  overlayIpVersion: 4,
  maxDnsNameservers: 5,
  maxSubnetHostRoutes: 20,
  maxAllowedAddressPairs: 10,
  maxFixedIpsPerPort: 16,
  quotaDefaults: NEUTRON_QUOTA_DEFAULTS,
};
