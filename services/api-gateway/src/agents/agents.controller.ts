import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import type { Query as ListParams } from '../read/list-query';
import { AgentsService } from './agents.service';

@Controller('v2.0/agents')
export class AgentsController {
  constructor(@Inject(AgentsService) private readonly agents: AgentsService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: ListParams, @Req() req: FastifyRequest) {
    return this.agents.list(ctx, q, rawQueryOf(req));
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: ListParams) {
    return this.agents.show(ctx, id, q);
  }

  @Put(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() raw: unknown) {
    return this.agents.update(ctx, id, raw);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.agents.delete(ctx, id);
  }
}
