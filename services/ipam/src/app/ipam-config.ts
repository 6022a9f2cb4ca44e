import { parseList, parseRanges, parseVlanRanges, setting, type Range } from '@neutrino/config';

export interface IpamConfig {
  baseMac: string;
  tenantNetworkTypes: string[];
  vniRanges: Range[];
  /** GRE keys of tenant networks (NEUTRINO_GRE_RANGES). */
  greRanges: Range[];
  vlanRanges: Record<string, Range[]>;
}

export function ipamConfigFromEnv(env: NodeJS.ProcessEnv = process.env): IpamConfig {
  return {
    baseMac: setting('baseMac', env),
    tenantNetworkTypes: parseList(setting('tenantNetworkTypes', env)),
    vniRanges: parseRanges(setting('vniRanges', env), 'VNI'),
    greRanges: parseRanges(setting('greRanges', env), 'GRE'),
    vlanRanges: parseVlanRanges(setting('vlanRanges', env)),
  };
}
