import { parseList, parseRanges, parseVlanRanges, setting, type Range } from '@neutrino/config';

export interface IpamConfig {
  baseMac: string;
  tenantNetworkTypes: string[];
  vniRanges: Range[];
  vlanRanges: Record<string, Range[]>;
}

export function ipamConfigFromEnv(env: NodeJS.ProcessEnv = process.env): IpamConfig {
  return {
    baseMac: setting('baseMac', env),
    tenantNetworkTypes: parseList(setting('tenantNetworkTypes', env)),
    vniRanges: parseRanges(setting('vniRanges', env), 'VNI'),
    vlanRanges: parseVlanRanges(setting('vlanRanges', env)),
  };
}
