import { applyChanges, bumpRevision, dataOf, type EventLike } from '../common/evolve';
import type { QosPolicy, QosRule } from './model';

/** The policy after one event of evt.qos_policy.<id>. */
export function evolveQosPolicy(view: QosPolicy | undefined, e: EventLike): QosPolicy | undefined {
  switch (e.type) {
    case 'qos_policy.created':
      return structuredClone(dataOf(e, 'qos_policy.created').policy);
    case 'qos_policy.updated':
      return view && applyChanges(view, dataOf(e, 'qos_policy.updated').changes, e.at);
    case 'qos_policy.deleted':
      return undefined;
    case 'qos_policy.rule_added':
      return view && { ...bumpRevision(view, e.at), rules: [...view.rules, structuredClone(dataOf(e, 'qos_policy.rule_added').rule)] };
    case 'qos_policy.rule_updated': {
      const d = dataOf(e, 'qos_policy.rule_updated');
      return view && { ...bumpRevision(view, e.at), rules: view.rules.map((r) => (r.id === d.rule_id ? ({ ...r, ...d.changes } as QosRule) : r)) };
    }
    case 'qos_policy.rule_removed': {
      const d = dataOf(e, 'qos_policy.rule_removed');
      return view && { ...bumpRevision(view, e.at), rules: view.rules.filter((r) => r.id !== d.rule_id) };
    }
    case 'qos_policy.rbac_added':
      return view && { ...view, rbac: [...(view.rbac ?? []), dataOf(e, 'qos_policy.rbac_added').entry] };
    case 'qos_policy.rbac_updated': {
      const d = dataOf(e, 'qos_policy.rbac_updated');
      return view && { ...view, rbac: (view.rbac ?? []).map((r) => (r.id === d.rbac_id ? { ...r, target_tenant: d.target_tenant } : r)) };
    }
    case 'qos_policy.rbac_removed':
      return view && { ...view, rbac: (view.rbac ?? []).filter((r) => r.id !== dataOf(e, 'qos_policy.rbac_removed').rbac_id) };
    default:
      return view;
  }
}
