import { isAdmin, type Actor } from '../actor';
import { conflict, notFound } from '../errors';
import type { QosPolicy } from './model';
import { sharedByPolicy } from '../rbac/object-rbac';

/** get_policy: admin, owner, a shared policy, or one shared with the caller's project by an RBAC policy. */
export const canSeeQosPolicy = (p: QosPolicy, a: Actor): boolean => isAdmin(a) || p.project_id === a.project_id || p.shared || sharedByPolicy(p, a.project_id);

export const qosPolicyNotFound = (id: string) => notFound('QosPolicyNotFound', `QoS policy ${id} could not be found.`);
export const qosRuleNotFound = (ruleId: string, policyId: string) => notFound('QosRuleNotFound', `QoS rule ${ruleId} for policy ${policyId} could not be found.`);
export const qosPolicyInUse = (policyId: string, objectType: 'port' | 'network', objectId: string) =>
  conflict('QosPolicyInUse', `QoS Policy ${policyId} is used by ${objectType} ${objectId}.`);
