import { Controller, Inject } from '@nestjs/common';
import type { RequestContext } from '../http/request-context';
import { SECURITY_GROUP, SECURITY_GROUP_RULE } from '../read/kinds';
import type { Query as ListParams } from '../read/list-query';
import { Reader } from '../read/reader';
import { ResourceController } from './resource.controllers';
import { SecurityGroupRulesService } from './security-group-rules.service';
import { SecurityGroupsService, listedProject } from './security-groups.service';

/** Reads first make the project's default group (its first use). */
abstract class SecurityController extends ResourceController {
  protected abstract override readonly commands: SecurityGroupsService | SecurityGroupRulesService;

  protected override async beforeRead(ctx: RequestContext, q: ListParams, what: 'list' | 'show'): Promise<void> {
    await this.commands.defaults.ensure(ctx, what === 'list' ? listedProject(ctx, q) : ctx.actor.project_id);
  }
}

@Controller('v2.0/security-groups')
export class SecurityGroupsController extends SecurityController {
  protected readonly spec = SECURITY_GROUP;
  constructor(reader: Reader, @Inject(SecurityGroupsService) protected readonly commands: SecurityGroupsService) {
    super(reader);
  }
}

@Controller('v2.0/security-group-rules')
export class SecurityGroupRulesController extends SecurityController {
  protected readonly spec = SECURITY_GROUP_RULE;
  constructor(reader: Reader, @Inject(SecurityGroupRulesService) protected readonly commands: SecurityGroupRulesService) {
    super(reader);
  }
}
