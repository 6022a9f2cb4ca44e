import { isAdmin, type Actor } from '../actor';
import { conflict, notFound } from '../errors';
import type { QosPolicy } from './model';

/** get_policy: admin, owner, or a shared policy. */
export const canSeeQosPolicy = (p: QosPolicy, a: Actor): boolean => isAdmin(a) || p.project_id === a.project_id || p.shared;

export const qosPolicyNotFound = (id: string) => notFound('QosPolicyNotFound', `QoS policy ${id} could not be found.`);
export const qosRuleNotFound = (ruleId: string, policyId: string) => notFound('QosRuleNotFound', `QoS rule ${ruleId} for policy ${policyId} could not be found.`);
export const qosPolicyInUse = (policyId: string, objectType: 'port' | 'network', objectId: string) =>
  conflict('QosPolicyInUse', `QoS Policy ${policyId} is used by ${objectType} ${objectId}.`);
