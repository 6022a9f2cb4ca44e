import type { SgRule } from '../firewall/firewall-model';

interface GroupEventData {
  security_group?: { id: string; security_group_rules?: Array<SgRule & { security_group_id?: string }> };
  rule?: SgRule & { security_group_id: string };
  rule_id?: string;
  security_group_id?: string;
}

/** Security groups and their rules, folded from security_group.* events. */
export class GroupRules {
  private readonly groups = new Map<string, Map<string, SgRule>>();

  apply(type: string, groupId: string, data: unknown): void {
    const d = data as GroupEventData;
    if (type === 'security_group.created' && d.security_group) {
      this.groups.set(groupId, new Map((d.security_group.security_group_rules ?? []).map((r) => [r.id, pick(r)])));
    } else if (type === 'security_group.deleted') {
      this.groups.delete(groupId);
    } else if (type === 'security_group.rule_added' && d.rule) {
      this.groups.get(groupId)?.set(d.rule.id, pick(d.rule));
    } else if (type === 'security_group.rule_removed' && d.rule_id) {
      this.groups.get(groupId)?.delete(d.rule_id);
    }
  }

  rulesOf(groupId: string): SgRule[] {
    return [...(this.groups.get(groupId)?.values() ?? [])];
  }
}

const pick = (r: SgRule): SgRule => ({
  id: r.id, direction: r.direction, ethertype: r.ethertype, protocol: r.protocol ?? null, port_range_min: r.port_range_min ?? null,
  port_range_max: r.port_range_max ?? null, remote_ip_prefix: r.remote_ip_prefix ?? null, remote_group_id: r.remote_group_id ?? null,
});
