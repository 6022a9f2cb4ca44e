/** The address-group attribute map (Zed's neutron_lib address_group, in its order). */
import type { AttrMap } from '../common/attributes';
import { validateSubnet } from '../common/ip-validators';
import { validateListOf, validateString, validateUuid } from '../common/validators';

export const ADDRESS_GROUP_ATTRS: AttrMap = {
  id: { post: false, put: false, validate: validateUuid },
  name: { post: true, put: true, default: '', validate: (v) => validateString(v, 255) },
  description: { post: true, put: true, default: '', validate: (v) => validateString(v, 1024) },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  addresses: { post: true, put: false, default: [], validate: (v) => validateListOf(validateSubnet, v) },
  /** rbac-address-group's attribute: set only by the "*" policy, never shown on GET. */
  shared: { post: false, put: false },
};
