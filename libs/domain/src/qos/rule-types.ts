import type { QosRuleType } from './model';
import { KBPS_MAX, QOS_DIRECTIONS, VALID_DSCP_MARKS } from './attributes';

/** The rule types Neutrino's agents enforce, with the parameters of each (qos-rule-type-details). */
export const SUPPORTED_QOS_RULE_TYPES: readonly QosRuleType[] = ['bandwidth_limit', 'dscp_marking'];

const range = (name: string) => ({ parameter_name: name, parameter_values: { start: 0, end: KBPS_MAX }, parameter_type: 'range' });

const PARAMETERS: Record<QosRuleType, unknown[]> = {
  bandwidth_limit: [range('max_kbps'), range('max_burst_kbps'), { parameter_name: 'direction', parameter_values: [...QOS_DIRECTIONS], parameter_type: 'choices' }],
  dscp_marking: [{ parameter_name: 'dscp_mark', parameter_values: [...VALID_DSCP_MARKS], parameter_type: 'choices' }],
};

/** GET /v2.0/qos/rule-types/<type>: the drivers (the linuxbridge agent's) and what each takes. */
export const qosRuleTypeDetails = (type: QosRuleType) => ({
  type,
  drivers: [{ name: 'linuxbridge', supported_parameters: structuredClone(PARAMETERS[type]) }],
});
