/** The QoS attribute maps (Zed's neutron_lib qos, qos-default, qos-bw-limit-direction), in their order. */
import type { AttrMap } from '../common/attributes';
import { toBoolean, toInt } from '../common/converters';
import { DESCRIPTION } from '../common/standard-attrs';
import { validateString, validateUuid, validateValues } from '../common/validators';
import { pyInt } from '../common/python';

/** neutron_lib.services.qos.constants.VALID_DSCP_MARKS. */
export const VALID_DSCP_MARKS = [0, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 46, 48, 56];
export const QOS_DIRECTIONS = ['egress', 'ingress'];
/** db_const.DB_INTEGER_MAX_VALUE: the top of a kbps range. */
export const KBPS_MAX = 2147483647;

const validateKbps = (v: unknown): string | undefined => {
  const n = pyInt(v);
  if (n === undefined) return `'${String(v)}' is not an integer`;
  if (n < 0) return `'${n}' is too small - must be at least '0'`;
  if (n > KBPS_MAX) return `'${n}' is too large - must be no larger than '${KBPS_MAX}'`;
  return undefined;
};

export const QOS_POLICY_ATTRS: AttrMap = {
  id: { post: false, put: false, validate: validateUuid },
  name: { post: true, put: true, default: '', validate: (v) => validateString(v, 255) },
  ...DESCRIPTION,
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  shared: { post: true, put: true, default: false, convert: toBoolean },
  is_default: { post: true, put: true, default: false, convert: toBoolean },
  rules: { post: false, put: false },
  tags: { post: false, put: false },
  created_at: { post: false, put: false },
  updated_at: { post: false, put: false },
  revision_number: { post: false, put: false },
};

export const BANDWIDTH_LIMIT_RULE_ATTRS: AttrMap = {
  id: { post: false, put: false, validate: validateUuid },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  max_kbps: { post: true, put: true, convert: toInt, validate: validateKbps },
  max_burst_kbps: { post: true, put: true, default: 0, convert: toInt, validate: validateKbps },
  direction: { post: true, put: true, default: 'egress', validate: (v) => validateValues(v, QOS_DIRECTIONS) },
};

export const DSCP_MARKING_RULE_ATTRS: AttrMap = {
  id: { post: false, put: false, validate: validateUuid },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  dscp_mark: { post: true, put: true, convert: toInt, validate: (v) => validateValues(v, VALID_DSCP_MARKS) },
};

/** The rule resources of /v2.0/qos/policies/<id>/<collection>. */
export const QOS_RULE_RESOURCES = {
  bandwidth_limit: { collection: 'bandwidth_limit_rules', member: 'bandwidth_limit_rule', attrs: BANDWIDTH_LIMIT_RULE_ATTRS },
  dscp_marking: { collection: 'dscp_marking_rules', member: 'dscp_marking_rule', attrs: DSCP_MARKING_RULE_ATTRS },
} as const;
