/** The floating IP attribute map (l3, standard attributes) with Zed's validators. */
import { AttrMap, NOT_SPECIFIED } from '../common/attributes';
import { validateIpAddressOrNone } from '../common/ip-validators';
import { DESCRIPTION, TAG_FILTERS, TIMESTAMPS } from '../common/standard-attrs';
import { validateString, validateUuid, validateUuidOrNone } from '../common/validators';

export const FLOATINGIP_ATTRS: AttrMap = {
  id: { post: false, put: false, validate: validateUuid },
  floating_ip_address: { post: true, put: false, default: NOT_SPECIFIED, validate: validateIpAddressOrNone, policy: true },
  subnet_id: { post: true, put: false, default: NOT_SPECIFIED, validate: validateUuidOrNone },
  floating_network_id: { post: true, put: false, validate: validateUuid },
  router_id: { post: false, put: false },
  port_id: { post: true, put: true, default: null, validate: validateUuidOrNone },
  fixed_ip_address: { post: true, put: true, default: null, validate: validateIpAddressOrNone },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  status: { post: false, put: false },
  port_details: { post: false, put: false },
  ...DESCRIPTION,
  ...TAG_FILTERS,
  ...TIMESTAMPS,
};
