/** The subnet pool attribute map (Zed's neutron_lib subnetpool + address-scope + standard attributes, in its order). */
import { type AttrMap, NOT_SPECIFIED } from '../common/attributes';
import { toBoolean, toInt } from '../common/converters';
import { validateSubnet } from '../common/ip-validators';
import { DESCRIPTION, TAG_FILTERS, TIMESTAMPS } from '../common/standard-attrs';
import { validateListOf, validateNonNegative, validateString, validateUuid, validateUuidOrNone } from '../common/validators';

const prefixlen = { post: true, put: true, default: NOT_SPECIFIED, convert: toInt, validate: validateNonNegative };

export const SUBNETPOOL_ATTRS: AttrMap = {
  id: { post: false, put: false, validate: validateUuid },
  name: { post: true, put: true, validate: (v) => validateString(v, 255) },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  prefixes: { post: true, put: true, validate: (v) => validateListOf(validateSubnet, v) },
  default_quota: { post: true, put: true, default: NOT_SPECIFIED, convert: toInt, validate: validateNonNegative },
  ip_version: { post: false, put: false },
  default_prefixlen: prefixlen,
  min_prefixlen: prefixlen,
  max_prefixlen: prefixlen,
  is_default: { post: true, put: true, default: false, convert: toBoolean, policy: true },
  shared: { post: true, put: false, default: false, convert: toBoolean, policy: true },
  address_scope_id: { post: true, put: true, default: NOT_SPECIFIED, validate: validateUuidOrNone },
  ...DESCRIPTION,
  ...TAG_FILTERS,
  ...TIMESTAMPS,
};
