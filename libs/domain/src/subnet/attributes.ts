/** The subnet attribute map: core, default-subnetpools, standard attrs (Zed order). */
import { AttrMap, NOT_SPECIFIED } from '../common/attributes';
import { noneToEmptyList, toBoolean, toCanonicalCidr, toCanonicalIp, toInt } from '../common/converters';
import { DESCRIPTION, TAG_FILTERS, TIMESTAMPS } from '../common/standard-attrs';
import { validateHostroutes, validateIpAddressOrNone, validateIpPools, validateNameservers } from '../common/ip-validators';
import { validateNonNegative, validateString, validateUuid, validateUuidOrNone, validateValues } from '../common/validators';

export const IPV6_MODES = ['dhcpv6-stateful', 'dhcpv6-stateless', 'slaac'];
const optional = { post: true, put: false, default: NOT_SPECIFIED };

export const SUBNET_ATTRS: AttrMap = {
  id: { post: false, put: false, validate: validateUuid },
  name: { post: true, put: true, default: '', validate: (v) => validateString(v, 255) },
  ip_version: { post: true, put: false, convert: toInt, validate: (v) => validateValues(v, [4, 6]) },
  network_id: { post: true, put: false, validate: validateUuid },
  subnetpool_id: { ...optional, validate: (v) => (v === 'prefix_delegation' ? undefined : validateUuidOrNone(v)) },
  prefixlen: { ...optional, convert: toInt, validate: validateNonNegative },
  cidr: { ...optional, convert: toCanonicalCidr },
  gateway_ip: { post: true, put: true, default: NOT_SPECIFIED, convert: toCanonicalIp, validate: validateIpAddressOrNone },
  allocation_pools: { post: true, put: true, default: NOT_SPECIFIED, validate: validateIpPools },
  dns_nameservers: { post: true, put: true, default: NOT_SPECIFIED, convert: noneToEmptyList, validate: validateNameservers },
  host_routes: { post: true, put: true, default: NOT_SPECIFIED, convert: noneToEmptyList, validate: validateHostroutes },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  enable_dhcp: { post: true, put: true, default: true, convert: toBoolean },
  ipv6_ra_mode: { ...optional, validate: (v) => validateValues(v, IPV6_MODES) },
  ipv6_address_mode: { ...optional, validate: (v) => validateValues(v, IPV6_MODES) },
  shared: { post: false, put: false },
  use_default_subnetpool: { post: true, put: false, default: false, convert: toBoolean },
  ...DESCRIPTION,
  ...TAG_FILTERS,
  ...TIMESTAMPS,
};
