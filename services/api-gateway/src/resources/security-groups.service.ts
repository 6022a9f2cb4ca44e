import { securityGroupDecider, type SecurityGroup, type SecurityGroupCommand } from '@neutrino/domain';
import type { QuotasService } from './quotas.service';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { SECURITY_GROUP } from '../read/kinds';
import type { Query } from '../read/list-query';
import type { Reader } from '../read/reader';
import { createOneOrMany } from '../write/bulk';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { checkIfMatch } from '../write/if-match';
import { aggregate, securityGroupState } from '../write/states';
import type { DefaultSecurityGroups } from './default-security-group';
import type { AddressGroupsService } from './address-groups.service';

/** The project a list asks about (Zed makes that project's default group first): the tenant/project filter, else the caller's. */
export const listedProject = (ctx: RequestContext, q: Query): string => {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return first(q.project_id) ?? first(q.tenant_id) ?? ctx.actor.project_id;
};

/** Commands on /v2.0/security-groups (securityGroupDecider): each group, with its rules, is one aggregate. */
export class SecurityGroupsService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    readonly defaults: DefaultSecurityGroups,
    private readonly quotas?: QuotasService,
    private readonly addressGroups?: AddressGroupsService,
  ) {}

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const { one, many } = await createOneOrMany(
      raw, SECURITY_GROUP, (b, id) => this.createOne(ctx, b, id), (g) => this.remove(ctx, g.id), undefined,
      (b) => void securityGroupDecider.decide(this.createCommand(ctx, b, newId()), securityGroupState(this.reader.model, '').state),
      // A group comes with its two egress rules: they count too (as in Zed).
      this.quotas?.claimsFor(ctx, 'security_group', { security_group: 1, security_group_rule: 2 }),
    );
    const show = (g: SecurityGroup) => SECURITY_GROUP.present(this.reader.model.securityGroups.get(g.id)!.value, ctx.actor);
    return one ? { security_group: show(one) } : { security_groups: many!.map(show) };
  }

  private run(ctx: RequestContext, id: string, command: SecurityGroupCommand, check?: () => void) {
    return this.handler.handle(ctx, {
      aggregate: aggregate('security_group', id),
      load: () => {
        check?.();
        return securityGroupState(this.reader.model, id);
      },
      decide: (s) => securityGroupDecider.decide(command, s),
    });
  }

  private createCommand(ctx: RequestContext, body: Record<string, unknown>, id: string): SecurityGroupCommand {
    return { type: 'CreateSecurityGroup', body, actor: ctx.actor, id, now: nowIso(), ruleIds: [newId(), newId()] };
  }

  private async createOne(ctx: RequestContext, body: Record<string, unknown>, id = newId()): Promise<SecurityGroup> {
    const command = this.createCommand(ctx, body, id);
    const { security_group } = (securityGroupDecider.decide(command, securityGroupState(this.reader.model, id).state)[0].data as { security_group: SecurityGroup });
    await this.defaults.ensure(ctx, security_group.project_id); // the project's default group comes first, as in Zed
    await this.run(ctx, id, command);
    return this.reader.model.securityGroups.get(id)!.value;
  }

  async update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    await this.run(ctx, id, { type: 'UpdateSecurityGroup', body: parseJsonBody(raw), actor: ctx.actor }, () =>
      checkIfMatch(ifMatch, this.reader.visible<SecurityGroup>(SECURITY_GROUP, id, ctx.actor).value),
    );
    return { security_group: SECURITY_GROUP.present(this.reader.model.securityGroups.get(id)!.value, ctx.actor) };
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const rules = this.reader.model.securityGroups.get(id)?.value.security_group_rules ?? [];
    await this.run(ctx, id, { type: 'DeleteSecurityGroup', actor: ctx.actor }, () => this.reader.visible<SecurityGroup>(SECURITY_GROUP, id, ctx.actor));
    // its rules are gone with it: the address groups they named are free of them
    for (const r of rules) if (r.remote_address_group_id) await this.addressGroups?.leave(ctx, r.remote_address_group_id, r.id);
  }

  private async remove(ctx: RequestContext, id: string): Promise<void> {
    const admin = { ...ctx.actor, roles: [...ctx.actor.roles, 'admin'] };
    await this.run(ctx, id, { type: 'DeleteSecurityGroup', actor: admin });
  }
}
