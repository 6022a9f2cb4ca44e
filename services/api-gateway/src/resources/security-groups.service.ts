import {
  buildSecurityGroup, checkSecurityGroupDelete, validateSecurityGroupCreate, validateSecurityGroupUpdate, type SecurityGroup,
} from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { SECURITY_GROUP } from '../read/kinds';
import type { Query } from '../read/list-query';
import type { Reader } from '../read/reader';
import { createOneOrMany } from '../write/bulk';
import { newId, nowIso } from '../write/clock';
import { checkIfMatch } from '../write/if-match';
import type { Writer } from '../write/writer';
import type { DefaultSecurityGroups } from './default-security-group';

/** The project a list asks about (Zed makes that project's default group first): the tenant/project filter, else the caller's. */
export const listedProject = (ctx: RequestContext, q: Query): string => {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return first(q.project_id) ?? first(q.tenant_id) ?? ctx.actor.project_id;
};

/** Commands on /v2.0/security-groups: each group (with its rules) is one aggregate. */
export class SecurityGroupsService {
  constructor(
    private readonly reader: Reader,
    private readonly writer: Writer,
    readonly defaults: DefaultSecurityGroups,
  ) {}

  async create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>> {
    const { one, many } = await createOneOrMany(raw, SECURITY_GROUP, (b) => this.createOne(ctx, b), (g) => this.remove(ctx, g.id));
    const show = (g: SecurityGroup) => SECURITY_GROUP.present(this.reader.model.securityGroups.get(g.id)!.value, ctx.actor);
    return one ? { security_group: show(one) } : { security_groups: many!.map(show) };
  }

  private async createOne(ctx: RequestContext, body: Record<string, unknown>): Promise<SecurityGroup> {
    const attrs = validateSecurityGroupCreate(body, ctx.actor);
    await this.defaults.ensure(ctx, attrs.project_id);
    const id = newId();
    const group = buildSecurityGroup(attrs, { id, now: nowIso(), ruleIds: [newId(), newId()] });
    await this.writer.append(ctx, { type: 'security_group', id }, [{ type: 'security_group.created', data: { security_group: group } }], 0);
    return group;
  }

  update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>> {
    return this.writer.retrying(async () => {
      const current = this.reader.visible<SecurityGroup>(SECURITY_GROUP, id, ctx.actor);
      checkIfMatch(ifMatch, current.value);
      const changes = validateSecurityGroupUpdate(parseJsonBody(raw), current.value, ctx.actor);
      if (Object.keys(changes).length) {
        await this.writer.append(ctx, { type: 'security_group', id }, [{ type: 'security_group.updated', data: { changes } }], current.seq);
      }
      return { security_group: SECURITY_GROUP.present(this.reader.model.securityGroups.get(id)!.value, ctx.actor) };
    });
  }

  delete(ctx: RequestContext, id: string): Promise<void> {
    return this.writer.retrying(async () => {
      const current = this.reader.visible<SecurityGroup>(SECURITY_GROUP, id, ctx.actor);
      checkSecurityGroupDelete(current.value, ctx.actor, this.reader.model.portsUsingGroup(id).length > 0);
      await this.remove(ctx, id);
    });
  }

  private async remove(ctx: RequestContext, id: string): Promise<void> {
    const current = this.reader.model.securityGroups.get(id);
    if (!current) return;
    await this.writer.append(ctx, { type: 'security_group', id }, [{ type: 'security_group.deleted', data: { security_group_id: id } }], current.seq);
  }
}
