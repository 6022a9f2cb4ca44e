import type { QosPolicy } from './model';
import { qosPolicyNotFound } from './visibility';

/** What a port or network decision knows of QoS policies (facts from the read model). */
export interface QosLookup {
  /** The policy, when the caller may see it. */
  find(id: string): QosPolicy | undefined;
  /** A project's default policy (qos-default), if any. */
  defaultOf(project: string): string | undefined;
}

/** A port or network naming a policy: it must exist and be visible to the caller (QosPolicyNotFound). */
export function checkQosPolicyUsable(id: string | null | undefined, qos: QosLookup | undefined): void {
  if (!id) return;
  if (!qos?.find(id)) throw qosPolicyNotFound(id);
}
