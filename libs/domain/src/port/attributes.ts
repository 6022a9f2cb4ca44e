/**
 * The port attribute map (Zed order): core, allowed-address-pairs, binding,
 * port-security, security-group, extra_dhcp_opt, standard attrs.
 */
import { AttrMap, NOT_SPECIFIED } from '../common/attributes';
import { noneToEmptyList, toBoolean, toSanitizedMac } from '../common/converters';
import { DESCRIPTION, TIMESTAMPS } from '../common/standard-attrs';
import { validateFixedIps, validateMacAddress } from '../common/ip-validators';
import {
  validateDictOrNone, validateListOfUniqueStrings, validateString, validateUuid, validateUuidList, validateUuidOrNone, validateValues,
} from '../common/validators';
import type { DomainConfig } from '../config';
import { validateAddressPairs } from './address-pairs';
import { validateExtraDhcpOpts } from './extra-dhcp-opts';

export const VNIC_TYPES = [
  'normal', 'direct', 'macvtap', 'baremetal', 'direct-physical', 'virtio-forwarder', 'smart-nic', 'vdpa',
  'accelerator-direct', 'accelerator-direct-physical', 'remote-managed',
];

const str255 = (v: unknown) => validateString(v, 255);
const optional = { post: true, put: true, default: NOT_SPECIFIED, policy: true };
const readOnly = { post: false, put: false };

export function portAttrs(cfg: DomainConfig): AttrMap {
  return {
    id: { post: false, put: false, validate: validateUuid },
    name: { post: true, put: true, default: '', validate: str255 },
    network_id: { post: true, put: false, validate: validateUuid },
    admin_state_up: { post: true, put: true, default: true, convert: toBoolean },
    mac_address: { ...optional, convert: toSanitizedMac, validate: validateMacAddress },
    fixed_ips: { ...optional, validate: validateFixedIps },
    device_id: { post: true, put: true, default: '', validate: str255 },
    device_owner: { post: true, put: true, default: '', validate: str255, policy: true },
    tenant_id: { post: true, put: false, validate: str255 },
    status: readOnly,
    allowed_address_pairs: {
      ...optional,
      convert: noneToEmptyList,
      validate: (v) => validateAddressPairs(v, cfg.maxAllowedAddressPairs),
    },
    'binding:vif_type': readOnly,
    'binding:vif_details': readOnly,
    'binding:vnic_type': { post: true, put: true, default: 'normal', validate: (v) => validateValues(v, VNIC_TYPES), policy: true },
    'binding:host_id': { ...optional, validate: str255 },
    'binding:profile': { ...optional, validate: validateDictOrNone },
    port_security_enabled: { ...optional, convert: toBoolean },
    qos_policy_id: { post: true, put: true, default: null, validate: validateUuidOrNone },
    security_groups: { post: true, put: true, default: NOT_SPECIFIED, convert: noneToEmptyList, validate: validateUuidList },
    extra_dhcp_opts: { post: true, put: true, default: null, validate: validateExtraDhcpOpts },
    ...DESCRIPTION,
    tags: { post: true, put: false, default: [], validate: (v) => validateListOfUniqueStrings(v, 255) },
    'tags-any': readOnly,
    'not-tags': readOnly,
    'not-tags-any': readOnly,
    ...TIMESTAMPS,
  };
}
