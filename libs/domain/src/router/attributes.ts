/** The router attribute map (router, ext-gw-mode, extraroute, l3-ha, dvr, standard attributes) with Zed's validators. */
import { AttrMap, NOT_SPECIFIED } from '../common/attributes';
import { noneToEmptyList, toBoolean } from '../common/converters';
import { validateHostroutes, validateIpAddress } from '../common/ip-validators';
import { pyStr } from '../common/python';
import { DESCRIPTION, TAG_FILTERS, TIMESTAMPS } from '../common/standard-attrs';
import { isDict, validateString, validateUuid, verifyDictKeysOk } from './validators';

const GATEWAY_KEYS = ['network_id', 'enable_snat', 'external_fixed_ips'];

/** type:dict_or_nodata with the external_gateway_info key specs (network_id required). */
export function validateGatewayInfo(data: unknown): string | undefined {
  if (data === null || data === undefined) return undefined;
  if (!isDict(data)) return `'${pyStr(data)}' is not a dictionary`;
  if (Object.keys(data).length === 0) return undefined;
  const unexpected = Object.keys(data).filter((k) => !GATEWAY_KEYS.includes(k));
  if (unexpected.length) return `Unexpected keys supplied: ${unexpected.join(', ')}`;
  if (!('network_id' in data)) return verifyDictKeysOk(['network_id'], Object.keys(data));
  const msg = validateUuid(data.network_id);
  if (msg) return msg;
  if ('enable_snat' in data && typeof data.enable_snat !== 'boolean' && !['true', 'false', 'True', 'False', '0', '1', 0, 1].includes(data.enable_snat as never))
    return `'${pyStr(data.enable_snat)}' is not a valid boolean value`;
  if ('external_fixed_ips' in data) return validateExternalFixedIps(data.external_fixed_ips);
  return undefined;
}

function validateExternalFixedIps(data: unknown): string | undefined {
  if (!Array.isArray(data)) return `'${pyStr(data)}' is not a list`;
  for (const f of data) {
    if (!isDict(f)) return `'${pyStr(f)}' is not a dictionary`;
    const extra = Object.keys(f).filter((k) => k !== 'subnet_id' && k !== 'ip_address');
    if (extra.length) return `Unexpected keys supplied: ${extra.join(', ')}`;
    if ('subnet_id' in f) {
      const m = validateUuid(f.subnet_id);
      if (m) return m;
    }
    if ('ip_address' in f) {
      const m = validateIpAddress(f.ip_address);
      if (m) return m;
    }
  }
  return undefined;
}

const adminBool = { post: true, put: true, default: NOT_SPECIFIED, convert: toBoolean, policy: true };

export const ROUTER_ATTRS: AttrMap = {
  id: { post: false, put: false, validate: validateUuid },
  name: { post: true, put: true, default: '', validate: (v) => validateString(v, 255) },
  admin_state_up: { post: true, put: true, default: true, convert: toBoolean },
  status: { post: false, put: false },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  external_gateway_info: { post: true, put: true, default: null, validate: validateGatewayInfo, policy: true },
  routes: { post: false, put: true, convert: noneToEmptyList, validate: validateHostroutes },
  distributed: adminBool,
  ha: adminBool,
  ...DESCRIPTION,
  ...TAG_FILTERS,
  ...TIMESTAMPS,
};

