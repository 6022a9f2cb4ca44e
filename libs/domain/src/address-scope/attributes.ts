/** The address-scope attribute map (Zed's neutron_lib address_scope, in its order). */
import type { AttrMap } from '../common/attributes';
import { toBoolean, toInt } from '../common/converters';
import { validateString, validateUuid, validateValues } from '../common/validators';

export const ADDRESS_SCOPE_ATTRS: AttrMap = {
  id: { post: false, put: false, validate: validateUuid },
  name: { post: true, put: true, default: '', validate: (v) => validateString(v, 255) },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  shared: { post: true, put: true, default: false, convert: toBoolean, policy: true },
  ip_version: { post: true, put: false, convert: toInt, validate: (v) => validateValues(v, [4, 6]) },
};
