import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { NeutronError } from '@neutrino/domain';
import { Ctx, type RequestContext } from '../http/request-context';
import { QuotasService } from './quotas.service';

/** Zed's quotas and quota_details extensions: /v2.0/quotas[/<project>[/details|/default]]. */
@Controller('v2.0/quotas')
export class QuotasController {
  constructor(@Inject(QuotasService) private readonly quotas: QuotasService) {}

  @Get()
  list(@Ctx() ctx: RequestContext) {
    return this.quotas.list(ctx);
  }

  @Post()
  create(): never {
    throw new NeutronError(501, 'HTTPNotImplemented', 'POST requests are not supported on this resource.');
  }

  /** The caller's own project (Zed's `tenant` member action). */
  @Get('tenant')
  tenant(@Ctx() ctx: RequestContext) {
    return { tenant: { tenant_id: ctx.actor.project_id } };
  }

  @Get(':project')
  show(@Ctx() ctx: RequestContext, @Param('project') project: string) {
    return this.quotas.show(ctx, project);
  }

  @Get(':project/details')
  details(@Ctx() ctx: RequestContext, @Param('project') project: string) {
    return this.quotas.details(ctx, project);
  }

  @Get(':project/default')
  defaults(@Ctx() ctx: RequestContext, @Param('project') project: string) {
    return this.quotas.defaultsOf(ctx, project);
  }

  @Put(':project')
  update(@Ctx() ctx: RequestContext, @Param('project') project: string, @Body() raw: unknown) {
    return this.quotas.update(ctx, project, raw);
  }

  /** Back to the defaults (the project is no longer listed). */
  @Delete(':project')
  @HttpCode(204)
  async reset(@Ctx() ctx: RequestContext, @Param('project') project: string): Promise<void> {
    await this.quotas.reset(ctx, project);
  }
}
