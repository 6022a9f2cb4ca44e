import { isAdmin, securityGroupDecider } from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import type { Reader } from '../read/reader';
import { newId, nowIso } from '../write/clock';
import { uuid5 } from '@neutrino/domain';
import type { CommandHandler } from '../write/command-handler';
import { aggregate, securityGroupState } from '../write/states';

/** Namespace of the default groups' ids: uuid5(this, project id). */
const DEFAULT_SG_NAMESPACE = '6f1b7c4e-3a52-5d8e-9b0f-2c7d4e8a1f63';

/** The id a project's default security group has (always the same, so two creators cannot make two). */
export const defaultSecurityGroupId = (project: string): string => uuid5(DEFAULT_SG_NAMESPACE, `default-security-group:${project}`);

/**
 * Makes a project's `default` group on its first use, race-free: the group's
 * id is derived from the project and the creating append expects the
 * subject's sequence as the read model knows it (0, or the deletion of an
 * earlier default group), so a second creator loses the append, catches up
 * and the decision (EnsureDefaultSecurityGroup) finds the group.
 */
export class DefaultSecurityGroups {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
  ) {}

  /** The project's default group id; undefined when the caller may not make it (a member for another project, as in Zed). */
  async ensure(ctx: RequestContext, project: string): Promise<string | undefined> {
    if (project !== ctx.actor.project_id && !isAdmin(ctx.actor)) return undefined;
    const id = defaultSecurityGroupId(project);
    if (this.reader.model.securityGroups.has(id)) return id;
    const now = nowIso();
    const ruleIds = [newId(), newId(), newId(), newId()];
    await this.handler.handle(ctx, {
      aggregate: aggregate('security_group', id),
      load: () => securityGroupState(this.reader.model, id),
      decide: (s) => securityGroupDecider.decide({ type: 'EnsureDefaultSecurityGroup', project, id, now, ruleIds }, s),
    });
    return id;
  }
}
