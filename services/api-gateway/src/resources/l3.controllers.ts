import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Ctx, type RequestContext } from '../http/request-context';
import { FLOATINGIP, ROUTER } from '../read/kinds';
import type { Query as ListParams } from '../read/list-query';
import { Reader } from '../read/reader';
import { FloatingIpsService } from './floatingips.service';
import { L3AgentsView } from './l3-agents.view';
import { RoutersService } from './routers.service';

const rawQuery = (req: FastifyRequest) => (req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');

@Controller('v2.0/routers')
export class RoutersController {
  constructor(
    private readonly reader: Reader,
    @Inject(RoutersService) private readonly commands: RoutersService,
    @Inject(L3AgentsView) private readonly agents: L3AgentsView,
  ) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: ListParams, @Req() req: FastifyRequest) {
    return this.reader.list(ROUTER, ctx, q, rawQuery(req));
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: ListParams) {
    return this.reader.show(ROUTER, ctx, id, q);
  }

  @Get(':id/l3-agents')
  l3Agents(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.agents.agentsOfRouter(ctx, id);
  }

  @Post()
  @HttpCode(201)
  create(@Ctx() ctx: RequestContext, @Body() raw: unknown) {
    return this.commands.create(ctx, raw);
  }

  @Put(':id/add_router_interface')
  addInterface(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() raw: unknown) {
    return this.commands.addInterface(ctx, id, raw);
  }

  @Put(':id/remove_router_interface')
  removeInterface(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() raw: unknown) {
    return this.commands.removeInterface(ctx, id, raw);
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

@Controller('v2.0/floatingips')
export class FloatingIpsController {
  constructor(
    private readonly reader: Reader,
    @Inject(FloatingIpsService) private readonly commands: FloatingIpsService,
  ) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: ListParams, @Req() req: FastifyRequest) {
    return this.reader.list(FLOATINGIP, ctx, q, rawQuery(req));
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: ListParams) {
    return this.reader.show(FLOATINGIP, ctx, id, q);
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

/** GET /v2.0/agents/<id>/l3-routers (the l3_agent_scheduler extension). */
@Controller('v2.0/agents')
export class AgentRoutersController {
  constructor(@Inject(L3AgentsView) private readonly agents: L3AgentsView) {}

  @Get(':id/l3-routers')
  routers(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.agents.routersOfAgent(ctx, id);
  }
}
