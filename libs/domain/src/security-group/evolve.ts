import { EventLike, applyChanges, bumpRevision, dataOf } from '../common/evolve';
import type { SecurityGroup } from '../model';

/** The group view (with its rules) after one event; adding or removing a rule is a revision of the group, as in Zed. */
export function evolveSecurityGroup(view: SecurityGroup | undefined, event: EventLike): SecurityGroup | undefined {
  switch (event.type) {
    case 'security_group.created':
      return structuredClone(dataOf(event, 'security_group.created').security_group);
    case 'security_group.updated':
      return view && applyChanges<SecurityGroup>(view, dataOf(event, 'security_group.updated').changes, event.at);
    case 'security_group.deleted':
      return view && view.id === dataOf(event, 'security_group.deleted').security_group_id ? undefined : view;
    case 'security_group.rule_added': {
      const rule = dataOf(event, 'security_group.rule_added').rule;
      if (!view || rule.security_group_id !== view.id || view.security_group_rules.some((r) => r.id === rule.id)) return view;
      return { ...bumpRevision(view, event.at), security_group_rules: [...view.security_group_rules, structuredClone(rule)] };
    }
    case 'security_group.rule_removed': {
      const { rule_id } = dataOf(event, 'security_group.rule_removed');
      if (!view || !view.security_group_rules.some((r) => r.id === rule_id)) return view;
      return { ...bumpRevision(view, event.at), security_group_rules: view.security_group_rules.filter((r) => r.id !== rule_id) };
    }
    default:
      return view;
  }
}
