import { intSetting, parseList, parseRanges, parseVlanRanges, setting } from '@neutrino/config';
import { SUPPORTED_TYPES, defaultDomainConfig, type DomainConfig, type NetworkType } from '@neutrino/domain';

/** The ML2-like settings the API's validation needs, from the environment. */
export function domainConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DomainConfig {
  return {
    ...defaultDomainConfig,
    typeDrivers: typeDrivers(setting('typeDrivers', env)),
    tenantNetworkTypes: parseList(setting('tenantNetworkTypes', env)) as NetworkType[],
    flatNetworks: parseList(setting('flatNetworks', env)),
    vlanRanges: parseVlanRanges(setting('vlanRanges', env)),
    vniRanges: parseRanges(setting('vniRanges', env), 'VNI'),
    globalPhysnetMtu: intSetting('physnetMtu', env),
    maxFixedIpsPerPort: intSetting('maxFixedIpsPerPort', env),
    quotaDefaults: {
      network: intSetting('quotaNetwork', env), subnet: intSetting('quotaSubnet', env), port: intSetting('quotaPort', env), router: intSetting('quotaRouter', env),
      floatingip: intSetting('quotaFloatingip', env), security_group: intSetting('quotaSecurityGroup', env), security_group_rule: intSetting('quotaSecurityGroupRule', env),
    },
  };
}

function typeDrivers(text: string): NetworkType[] {
  const types = parseList(text);
  const unknown = types.filter((t) => !SUPPORTED_TYPES.includes(t as NetworkType));
  if (unknown.length) throw new Error(`NEUTRINO_TYPE_DRIVERS: unknown network type ${unknown.join(', ')} (known: ${SUPPORTED_TYPES.join(', ')})`);
  return types as NetworkType[];
}
