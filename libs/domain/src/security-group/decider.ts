import type { Actor } from '../actor';
import type { Decider } from '../decider';
import { conflict } from '../errors';
import type { CoreEvent } from '../events';
import type { SecurityGroup } from '../model';
import type { AddressGroup } from '../address-group/model';
import { buildDefaultSecurityGroup, buildSecurityGroup, buildSecurityGroupRule } from './build';
import { securityGroupNotFound, securityGroupRuleNotFound } from './errors';
import { evolveSecurityGroup } from './evolve';
import { checkSecurityGroupDelete, validateSecurityGroupCreate, validateSecurityGroupUpdate } from './validate-group';
import { validateSecurityGroupRuleCreate } from './validate-rule';

export type SecurityGroupEvent = CoreEvent<
  'security_group.created' | 'security_group.updated' | 'security_group.deleted' | 'security_group.rule_added' | 'security_group.rule_removed'
>;

export type SecurityGroupCommand =
  | { type: 'CreateSecurityGroup'; body: unknown; actor: Actor; id: string; now: string; ruleIds: string[] }
  /** The project's `default` group, made on its first use; nothing when it exists. */
  | { type: 'EnsureDefaultSecurityGroup'; project: string; id: string; now: string; ruleIds: string[] }
  | { type: 'UpdateSecurityGroup'; body: unknown; actor: Actor }
  | { type: 'DeleteSecurityGroup'; actor: Actor }
  /** Rules are events of their group, so the duplicate check is serialized on the group's subject. */
  | { type: 'AddSecurityGroupRules'; body: unknown; actor: Actor; now: string; newId: () => string }
  | { type: 'RemoveSecurityGroupRule'; rule_id: string; actor: Actor };

export interface SecurityGroupState {
  group: SecurityGroup | undefined;
  /** Whether a port uses the group (SecurityGroupInUse). */
  usedByPorts: boolean;
  /** Other groups a command names (a rule's remote_group_id), as the read model has them. */
  remoteGroups?: Record<string, SecurityGroup>;
  /** The address groups a command names (a rule's remote_address_group_id), as the read model has them. */
  addressGroups?: Record<string, AddressGroup>;
}

function decide(command: SecurityGroupCommand, state: SecurityGroupState): SecurityGroupEvent[] {
  const group = state.group;
  switch (command.type) {
    case 'CreateSecurityGroup': {
      if (group) throw conflict('SecurityGroupExists', `Security group ${command.id} already exists.`);
      const attrs = validateSecurityGroupCreate(command.body, command.actor);
      return [{ type: 'security_group.created', data: { security_group: buildSecurityGroup(attrs, command) } }];
    }
    case 'EnsureDefaultSecurityGroup':
      return group ? [] : [{ type: 'security_group.created', data: { security_group: buildDefaultSecurityGroup(command.project, command) } }];
    case 'UpdateSecurityGroup': {
      if (!group) throw securityGroupNotFound('');
      const changes = validateSecurityGroupUpdate(command.body, group, command.actor, state.usedByPorts);
      return Object.keys(changes).length ? [{ type: 'security_group.updated', data: { changes } }] : [];
    }
    case 'DeleteSecurityGroup':
      if (!group) return [];
      checkSecurityGroupDelete(group, command.actor, state.usedByPorts);
      return [{ type: 'security_group.deleted', data: { security_group_id: group.id } }];
    case 'AddSecurityGroupRules': {
      const plan = validateSecurityGroupRuleCreate(command.body, command.actor, {
        findGroup: (id) => (id === group?.id ? group : state.remoteGroups?.[id]),
        findAddressGroup: (id) => state.addressGroups?.[id],
      });
      return plan.rules.map((r) => ({ type: 'security_group.rule_added', data: { rule: buildSecurityGroupRule(r, { id: command.newId(), now: command.now }) } }));
    }
    case 'RemoveSecurityGroupRule':
      if (!group?.security_group_rules.some((r) => r.id === command.rule_id)) throw securityGroupRuleNotFound(command.rule_id);
      return [{ type: 'security_group.rule_removed', data: { rule_id: command.rule_id, security_group_id: group.id } }];
  }
}

export const securityGroupDecider: Decider<SecurityGroupCommand, SecurityGroupState, SecurityGroupEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, group: evolveSecurityGroup(state.group, event) }),
  initialState: () => ({ group: undefined, usedByPorts: false }),
};
