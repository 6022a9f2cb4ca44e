/** The network attribute map: core, external-net, net-mtu-writable, port-security, provider, standard attrs. */
import { AttrMap, NOT_SPECIFIED } from '../common/attributes';
import { toBoolean, toInt } from '../common/converters';
import { DESCRIPTION, TAG_FILTERS, TIMESTAMPS } from '../common/standard-attrs';
import { validateNonNegative, validateString, validateUuid, validateUuidOrNone } from '../common/validators';

const bool = (dflt: boolean, policy = false) => ({ post: true, put: true, default: dflt, convert: toBoolean, policy });

export const NETWORK_ATTRS: AttrMap = {
  id: { post: false, put: false, validate: validateUuid },
  name: { post: true, put: true, default: '', validate: (v) => validateString(v, 255) },
  subnets: { post: false, put: false, default: [] },
  admin_state_up: bool(true),
  status: { post: false, put: false },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  shared: bool(false, true),
  'router:external': bool(false, true),
  mtu: { post: true, put: true, default: 0, convert: toInt, validate: validateNonNegative, policy: true },
  port_security_enabled: bool(true, true),
  // not given: the project's default QoS policy (qos-default)
  qos_policy_id: { post: true, put: true, default: NOT_SPECIFIED, validate: validateUuidOrNone },
  'provider:network_type': {
    post: true, put: true, default: NOT_SPECIFIED, validate: (v) => validateString(v, 32), policy: true,
  },
  'provider:physical_network': {
    post: true, put: true, default: NOT_SPECIFIED, validate: (v) => validateString(v, 64), policy: true,
  },
  'provider:segmentation_id': { post: true, put: true, default: NOT_SPECIFIED, convert: toInt, policy: true },
  ...DESCRIPTION,
  ...TAG_FILTERS,
  ...TIMESTAMPS,
};

export const PROVIDER_ATTRS = ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'] as const;
