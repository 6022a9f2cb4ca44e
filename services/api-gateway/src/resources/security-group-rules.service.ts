import {
  securityGroupDecider, validateSecurityGroupRuleCreate, validateSecurityGroupRuleUpdate, type SecurityGroupRule,
} from '@neutrino/domain';
import { chargedProject, type QuotasService } from './quotas.service';
import { nothing, withReservation } from '../write/reservation';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { SECURITY_GROUP_RULE } from '../read/kinds';
import type { Reader } from '../read/reader';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { aggregate, securityGroupState } from '../write/states';
import type { DefaultSecurityGroups } from './default-security-group';
import type { AddressGroupsService } from './address-groups.service';

/** The remote_group_id (or remote_address_group_id) of every rule in a (bulk) rule create body. */
const remoteIds = (body: unknown, attr: 'remote_group_id' | 'remote_address_group_id'): string[] => {
  const b = (body ?? {}) as { security_group_rule?: unknown; security_group_rules?: unknown };
  const items = Array.isArray(b.security_group_rules) ? b.security_group_rules : [b.security_group_rule];
  return items.flatMap((i) => {
    const x = (i as Record<string, unknown> | null) ?? {};
    const rid = ((x.security_group_rule as Record<string, unknown> | undefined) ?? x)[attr];
    return typeof rid === 'string' ? [rid] : [];
  });
};

/**
 * Commands on /v2.0/security-group-rules. A rule is an event of its group's
 * aggregate, so the duplicate check and the append are serialized by the
 * group subject's sequence; a lost race is decided again on fresh state.
 */
export class SecurityGroupRulesService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    readonly defaults: DefaultSecurityGroups,
    private readonly quotas?: QuotasService,
    private readonly addressGroups?: AddressGroupsService,
  ) {}

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const body = parseJsonBody(raw);
    await this.defaults.ensure(ctx, ctx.actor.project_id);
    const model = this.reader.model;
    // Which group (aggregate) the rules belong to: checked here, decided again on the group's fresh state.
    const { security_group_id: groupId, rules } = validateSecurityGroupRuleCreate(body, ctx.actor, {
      findGroup: (id) => model.securityGroups.get(id)?.value,
      findAddressGroup: (id) => model.addressGroups.get(id)?.value,
    });
    // The rules' ids are chosen first: each is claimed from its project's quota, and its rule_added fulfils the claim.
    const items = ruleItems(body);
    const ids = items.map(() => newId());
    const claims = this.quotas?.claims(ctx, items.map((item, i) => ({ id: ids[i], project: chargedProject(item, 'security_group_rule', ctx.actor), counts: { security_group_rule: 1 } })));
    // a rule naming an address group joins the group first (its id is the one its rule_added will carry), and leaves again when the add fails
    const joined: Array<{ group: string; rule: string }> = [];
    const stored = await withReservation(claims ?? nothing, async () => {
      try {
        for (const [i, r] of rules.entries()) {
          if (!r.remote_address_group_id || !this.addressGroups) continue;
          await this.addressGroups.join(ctx, r.remote_address_group_id, ids[i], r.project_id);
          joined.push({ group: r.remote_address_group_id, rule: ids[i] });
        }
        return await this.handler.handle(ctx, {
          aggregate: aggregate('security_group', groupId),
          load: () => securityGroupState(model, groupId, remoteIds(body, 'remote_group_id'), remoteIds(body, 'remote_address_group_id')),
          decide: (s) => {
            let next = 0;
            return securityGroupDecider.decide({ type: 'AddSecurityGroupRules', body, actor: ctx.actor, now: nowIso(), newId: () => ids[next++] ?? newId() }, s);
          },
        });
      } catch (err) {
        for (const j of joined) await this.addressGroups!.leave(ctx, j.group, j.rule);
        throw err;
      }
    });
    const added = stored.map((e) => (e.data as { rule: SecurityGroupRule }).rule);
    const show = (r: SecurityGroupRule) => SECURITY_GROUP_RULE.present(model.securityGroupRules.get(r.id)!.value, ctx.actor);
    const bulk = !!body && typeof body === 'object' && 'security_group_rules' in body;
    return bulk ? { security_group_rules: added.map(show) } : { security_group_rule: show(added[0]) };
  }

  async update(ctx: RequestContext, id: string, raw: unknown, _ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    this.reader.visible<SecurityGroupRule>(SECURITY_GROUP_RULE, id, ctx.actor);
    return validateSecurityGroupRuleUpdate(parseJsonBody(raw), ctx.actor);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const rule = this.reader.visible<SecurityGroupRule>(SECURITY_GROUP_RULE, id, ctx.actor).value;
    const groupId = rule.security_group_id;
    await this.handler.handle(ctx, {
      aggregate: aggregate('security_group', groupId),
      load: () => {
        this.reader.visible<SecurityGroupRule>(SECURITY_GROUP_RULE, id, ctx.actor);
        return securityGroupState(this.reader.model, groupId);
      },
      decide: (s) => securityGroupDecider.decide({ type: 'RemoveSecurityGroupRule', rule_id: id, actor: ctx.actor }, s),
    });
    if (rule.remote_address_group_id) await this.addressGroups?.leave(ctx, rule.remote_address_group_id, id);
  }
}

/** The rule items of a create body ({"security_group_rule": {…}} or {"security_group_rules": […]}), each as {"security_group_rule": {…}}. */
function ruleItems(body: unknown): Array<Record<string, unknown>> {
  const many = (body as { security_group_rules?: unknown } | undefined)?.security_group_rules;
  if (Array.isArray(many)) return many.map((r) => (r && typeof r === 'object' && 'security_group_rule' in r ? r : { security_group_rule: r }) as Record<string, unknown>);
  return [body as Record<string, unknown>];
}
