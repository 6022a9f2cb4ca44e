import type { Timestamps } from '../model';
import type { SharedEntry } from '../rbac/object-rbac';

/** egress = from the VM, ingress = to the VM (Neutron's qos-bw-limit-direction). */
export type QosDirection = 'egress' | 'ingress';

export interface BandwidthLimitRule {
  id: string;
  type: 'bandwidth_limit';
  max_kbps: number;
  /** 0 = the agent's default (80% of max_kbps, Neutron's linuxbridge/tc default). */
  max_burst_kbps: number;
  direction: QosDirection;
}

export interface DscpMarkingRule {
  id: string;
  type: 'dscp_marking';
  dscp_mark: number;
}

export type QosRule = BandwidthLimitRule | DscpMarkingRule;
export type QosRuleType = QosRule['type'];

/**
 * A QoS policy (evt.qos_policy.<id>) with its rules inside: a rule's change is a
 * revision of its policy (as in Zed), and the "one rule per type and direction"
 * invariant is decided on one subject.
 */
export interface QosPolicy extends Timestamps {
  id: string;
  name: string;
  description: string;
  tenant_id: string;
  project_id: string;
  shared: boolean;
  is_default: boolean;
  tags: string[];
  rules: QosRule[];
  /** One-project access_as_shared RBAC policies (Zed has no alias of its own for it: part of qos); the "*" one is `shared`. */
  rbac?: SharedEntry[];
}
