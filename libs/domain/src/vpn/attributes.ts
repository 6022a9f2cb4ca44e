/**
 * neutron_lib's VPN attribute maps (api/definitions/vpn.py and
 * vpn_endpoint_groups.py) through Neutron's request pipeline: the same
 * defaults, allowed values and messages as Zed's neutron-vpnaas.
 */
import type { Actor } from '../actor';
import { NOT_SPECIFIED, parseAttributes, type AttrMap, type Parsed } from '../common/attributes';
import { unwrapSingular } from '../common/body';
import { toBoolean, toInt } from '../common/converters';
import { validateSubnet } from '../common/ip-validators';
import { pyInt, pyStr } from '../common/python';
import { isDict, validateListOf, validateNonNegative, validateString, validateUuid, validateUuidOrNone, validateValues } from '../common/validators';
import type { VpnKind } from './model';

export const AUTH_ALGORITHMS = ['sha1', 'sha256', 'sha384', 'sha512'];
export const ENCRYPTION_ALGORITHMS = ['3des', 'aes-128', 'aes-192', 'aes-256'];
export const PFS_GROUPS = ['group2', 'group5', 'group14'];
export const IKE_VERSIONS = ['v1', 'v2'];
export const PHASE1_MODES = ['main', 'aggressive'];
export const TRANSFORM_PROTOCOLS = ['ah', 'ah-esp', 'esp'];
export const ENCAPSULATION_MODES = ['transport', 'tunnel'];
export const DPD_ACTIONS = ['clear', 'disabled', 'hold', 'restart', 'restart-by-peer'];
export const INITIATORS = ['bi-directional', 'response-only'];
export const ENDPOINT_TYPES = ['cidr', 'network', 'router', 'subnet', 'vlan'];
/** neutron-vpnaas's lifetime limits: (60, UNLIMITED). */
export const MIN_LIFETIME = 60;

const NAME_LEN = 255;
const DESCRIPTION_LEN = 255;
const PROJECT_LEN = 255;

const str = (max?: number) => (d: unknown) => validateString(d, max);
const values = (list: string[]) => (d: unknown) => validateValues(d, list);
const none2empty = (v: unknown) => (v === null ? {} : v);
/** convert_to_list: a list stays, a scalar becomes [it], None []. */
const toList = (v: unknown) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]);

function validateRange(data: unknown, min: number): string | undefined {
  const n = pyInt(data);
  if (n === undefined) return `'${pyStr(data)}' is not an integer`;
  if (n < min) return `'${n}' is too small - must be at least '${min}'`;
  return undefined;
}

/** type:dict_or_empty with key specs: keys not in the spec are ignored; each present key is validated. */
const dictOrEmpty = (keys: Record<string, (v: unknown) => string | undefined>) => (data: unknown): string | undefined => {
  if (!isDict(data)) return `'${pyStr(data)}' is not a dictionary`;
  for (const [k, validate] of Object.entries(keys)) {
    if (Object.hasOwn(data, k)) {
      const msg = validate(data[k]);
      if (msg) return msg;
    }
  }
  return undefined;
};

const lifetime = {
  post: true, put: true, default: {}, convert: none2empty,
  validate: dictOrEmpty({ units: values(['seconds']), value: (v) => validateRange(v, MIN_LIFETIME) }),
};
const common = {
  tenant_id: { post: true, put: false, default: NOT_SPECIFIED, validate: str(PROJECT_LEN) },
  name: { post: true, put: true, default: '', validate: str(NAME_LEN) },
  description: { post: true, put: true, default: '', validate: str(DESCRIPTION_LEN) },
};
const bool = { convert: toBoolean };

export const VPN_ATTRS: Record<VpnKind, AttrMap> = {
  ikepolicy: {
    ...common,
    auth_algorithm: { post: true, put: true, default: 'sha1', validate: values(AUTH_ALGORITHMS) },
    encryption_algorithm: { post: true, put: true, default: 'aes-128', validate: values(ENCRYPTION_ALGORITHMS) },
    phase1_negotiation_mode: { post: true, put: true, default: 'main', validate: values(PHASE1_MODES) },
    lifetime,
    ike_version: { post: true, put: true, default: 'v1', validate: values(IKE_VERSIONS) },
    pfs: { post: true, put: true, default: 'group5', validate: values(PFS_GROUPS) },
  },
  ipsecpolicy: {
    ...common,
    transform_protocol: { post: true, put: true, default: 'esp', validate: values(TRANSFORM_PROTOCOLS) },
    auth_algorithm: { post: true, put: true, default: 'sha1', validate: values(AUTH_ALGORITHMS) },
    encryption_algorithm: { post: true, put: true, default: 'aes-128', validate: values(ENCRYPTION_ALGORITHMS) },
    encapsulation_mode: { post: true, put: true, default: 'tunnel', validate: values(ENCAPSULATION_MODES) },
    lifetime,
    pfs: { post: true, put: true, default: 'group5', validate: values(PFS_GROUPS) },
  },
  vpnservice: {
    ...common,
    subnet_id: { post: true, put: false, default: null, validate: validateUuidOrNone },
    router_id: { post: true, put: false, validate: validateUuid },
    admin_state_up: { post: true, put: true, default: true, ...bool },
    /** vpn-flavors: accepted as null only (this deployment has the one strongSwan provider). */
    flavor_id: { post: true, put: false, default: null, validate: validateUuidOrNone },
  },
  ipsec_site_connection: {
    ...common,
    local_id: { post: true, put: true, default: '', validate: str() },
    peer_address: { post: true, put: true, validate: str() },
    peer_id: { post: true, put: true, validate: str() },
    peer_cidrs: {
      post: true, put: true, default: null, convert: toList,
      validate: (v) => (v === null ? undefined : validateListOf(validateSubnet, v)),
    },
    local_ep_group_id: { post: true, put: true, default: null, validate: validateUuidOrNone },
    peer_ep_group_id: { post: true, put: true, default: null, validate: validateUuidOrNone },
    mtu: { post: true, put: true, default: 1500, convert: toInt, validate: validateNonNegative },
    initiator: { post: true, put: true, default: 'bi-directional', validate: values(INITIATORS) },
    psk: { post: true, put: true, validate: str() },
    dpd: {
      post: true, put: true, default: {}, convert: none2empty,
      validate: dictOrEmpty({ action: values(DPD_ACTIONS), interval: validateNonNegative, timeout: validateNonNegative }),
    },
    admin_state_up: { post: true, put: true, default: true, ...bool },
    vpnservice_id: { post: true, put: false, validate: validateUuid },
    ikepolicy_id: { post: true, put: false, validate: validateUuid },
    ipsecpolicy_id: { post: true, put: false, validate: validateUuid },
  },
  endpoint_group: {
    ...common,
    type: { post: true, put: false, validate: values(ENDPOINT_TYPES) },
    endpoints: { post: true, put: false, default: [], convert: toList },
  },
};

/** A VPN request body (`{"ikepolicy": {...}}` …) through Neutron's attribute pipeline. */
export function parseVpn(kind: VpnKind, body: unknown, actor: Actor, create: boolean): Parsed {
  const item = unwrapSingular(body, kind);
  const parsed = parseAttributes(item, VPN_ATTRS[kind], actor, create);
  if (!create) {
    delete parsed.project_id;
    delete parsed.tenant_id;
  }
  return parsed;
}
