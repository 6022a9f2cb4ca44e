import { evolveSecurityGroup, type EventLike, type SecurityGroup } from '@neutrino/domain';
import type { SgRule } from '../firewall/firewall-model';

/** Security groups and their rules, folded from security_group.* events by the domain's evolve. */
export class GroupRules {
  private readonly groups = new Map<string, SecurityGroup>();

  apply(groupId: string, e: EventLike): void {
    const next = evolveSecurityGroup(this.groups.get(groupId), e);
    if (next) this.groups.set(groupId, next);
    else this.groups.delete(groupId);
  }

  /** Unknown groups count as stateful (no port is made stateless by a group the view has not seen). */
  isStateful(groupId: string): boolean {
    return this.groups.get(groupId)?.stateful !== false;
  }

  rulesOf(groupId: string): SgRule[] {
    return this.groups.get(groupId)?.security_group_rules ?? [];
  }
}
