import {
  buildSecurityGroupRule, validateSecurityGroupRuleCreate, validateSecurityGroupRuleUpdate, type SecurityGroupRule,
} from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { SECURITY_GROUP_RULE } from '../read/kinds';
import type { Reader } from '../read/reader';
import { newId, nowIso } from '../write/clock';
import type { Writer } from '../write/writer';
import type { DefaultSecurityGroups } from './default-security-group';

/**
 * Commands on /v2.0/security-group-rules. A rule is an event of its group's
 * aggregate, so the duplicate check and the append are serialized by the
 * group subject's sequence; a lost race is decided again on fresh state.
 */
export class SecurityGroupRulesService {
  constructor(
    private readonly reader: Reader,
    private readonly writer: Writer,
    readonly defaults: DefaultSecurityGroups,
  ) {}

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const body = parseJsonBody(raw);
    await this.defaults.ensure(ctx, ctx.actor.project_id);
    const added = await this.writer.retrying(async () => {
      const model = this.reader.model;
      const plan = validateSecurityGroupRuleCreate(body, ctx.actor, { findGroup: (id) => model.securityGroups.get(id)?.value });
      const group = model.securityGroups.get(plan.security_group_id)!;
      const now = nowIso();
      const rules = plan.rules.map((r) => buildSecurityGroupRule(r, { id: newId(), now }));
      await this.writer.append(
        ctx, { type: 'security_group', id: group.value.id }, rules.map((rule) => ({ type: 'security_group.rule_added', data: { rule } })), group.seq,
      );
      return rules;
    });
    const show = (r: SecurityGroupRule) => SECURITY_GROUP_RULE.present(this.reader.model.securityGroupRules.get(r.id)!.value, ctx.actor);
    const bulk = !!body && typeof body === 'object' && 'security_group_rules' in body;
    return bulk ? { security_group_rules: added.map(show) } : { security_group_rule: show(added[0]) };
  }

  async update(ctx: RequestContext, id: string, raw: unknown, _ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    this.reader.visible<SecurityGroupRule>(SECURITY_GROUP_RULE, id, ctx.actor);
    return validateSecurityGroupRuleUpdate(parseJsonBody(raw), ctx.actor);
  }

  delete(ctx: RequestContext, id: string): Promise<void> {
    return this.writer.retrying(async () => {
      const rule = this.reader.visible<SecurityGroupRule>(SECURITY_GROUP_RULE, id, ctx.actor).value;
      const group = this.reader.model.securityGroups.get(rule.security_group_id)!;
      await this.writer.append(
        ctx, { type: 'security_group', id: group.value.id },
        [{ type: 'security_group.rule_removed', data: { rule_id: id, security_group_id: group.value.id } }], group.seq,
      );
    });
  }
}
