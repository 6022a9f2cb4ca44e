import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Ctx, type RequestContext } from '../http/request-context';
import { SECURITY_GROUP, SECURITY_GROUP_RULE, type KindSpec } from '../read/kinds';
import type { Query as ListParams } from '../read/list-query';
import { Reader } from '../read/reader';
import { SecurityGroupRulesService } from './security-group-rules.service';
import { SecurityGroupsService, listedProject } from './security-groups.service';

const rawQuery = (req: FastifyRequest) => (req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');

/** The five verbs on groups and rules; reads first make the project's default group (its first use). */
abstract class SecurityController {
  protected abstract readonly spec: KindSpec;
  protected abstract readonly commands: SecurityGroupsService | SecurityGroupRulesService;
  constructor(protected readonly reader: Reader) {}

  @Get()
  async list(@Ctx() ctx: RequestContext, @Query() q: ListParams, @Req() req: FastifyRequest) {
    await this.commands.defaults.ensure(ctx, listedProject(ctx, q));
    return this.reader.list(this.spec, ctx, q, rawQuery(req));
  }

  @Get(':id')
  async show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: ListParams) {
    await this.commands.defaults.ensure(ctx, ctx.actor.project_id);
    return this.reader.show(this.spec, ctx, id, q);
  }

  @Post()
  @HttpCode(201)
  create(@Ctx() ctx: RequestContext, @Body() raw: unknown) {
    return this.commands.create(ctx, raw);
  }

  @Put(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() raw: unknown, @Headers('if-match') ifMatch?: string) {
    return this.commands.update(ctx, id, raw, ifMatch);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.commands.delete(ctx, id);
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
