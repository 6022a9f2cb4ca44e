import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import type { Query as ListParams } from '../read/list-query';
import { PortForwardingsService } from './port-forwardings.service';
import { FLOATINGIP, ROUTER } from '../read/kinds';
import { Reader } from '../read/reader';
import { FloatingIpsService } from './floatingips.service';
import { L3AgentsView } from './l3-agents.view';
import { ResourceController } from './resource.controllers';
import { RouterScheduler } from './router-scheduler';
import { RoutersService } from './routers.service';

@Controller('v2.0/routers')
export class RoutersController extends ResourceController {
  protected readonly spec = ROUTER;
  constructor(
    reader: Reader,
    @Inject(RoutersService) protected readonly commands: RoutersService,
    @Inject(L3AgentsView) private readonly agents: L3AgentsView,
  ) {
    super(reader);
  }

  @Get(':id/l3-agents')
  l3Agents(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.agents.agentsOfRouter(ctx, id);
  }

  @Put(':id/add_router_interface')
  addInterface(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() raw: unknown) {
    return this.commands.addInterface(ctx, id, raw);
  }

  @Put(':id/remove_router_interface')
  removeInterface(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() raw: unknown) {
    return this.commands.removeInterface(ctx, id, raw);
  }
}

@Controller('v2.0/floatingips')
export class FloatingIpsController extends ResourceController {
  protected readonly spec = FLOATINGIP;
  constructor(reader: Reader, @Inject(FloatingIpsService) protected readonly commands: FloatingIpsService) {
    super(reader);
  }
}

/** /v2.0/agents/<id>/l3-routers (the l3_agent_scheduler extension): list, add, remove. */
@Controller('v2.0/agents')
export class AgentRoutersController {
  constructor(
    @Inject(L3AgentsView) private readonly agents: L3AgentsView,
    @Inject(RouterScheduler) private readonly scheduler: RouterScheduler,
  ) {}

  @Get(':id/l3-routers')
  routers(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.agents.routersOfAgent(ctx, id);
  }

  @Post(':id/l3-routers')
  @HttpCode(201)
  add(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() raw: unknown) {
    return this.scheduler.addToAgent(ctx, id, raw);
  }

  @Delete(':id/l3-routers/:router')
  @HttpCode(204)
  remove(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('router') router: string) {
    return this.scheduler.removeFromAgent(ctx, id, router);
  }
}

/** /v2.0/floatingips/<fip>/port_forwardings (floating-ip-port-forwarding). */
@Controller('v2.0/floatingips/:fip/port_forwardings')
export class PortForwardingsController {
  constructor(@Inject(PortForwardingsService) private readonly pfs: PortForwardingsService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Param('fip') fip: string, @Query() q: ListParams, @Req() req: FastifyRequest) {
    return this.pfs.list(ctx, fip, q, rawQueryOf(req));
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('fip') fip: string, @Param('id') id: string, @Query() q: ListParams) {
    return this.pfs.show(ctx, fip, id, q);
  }

  @Post()
  @HttpCode(201)
  create(@Ctx() ctx: RequestContext, @Param('fip') fip: string, @Body() raw: unknown) {
    return this.pfs.create(ctx, fip, raw);
  }

  @Put(':id')
  update(@Ctx() ctx: RequestContext, @Param('fip') fip: string, @Param('id') id: string, @Body() raw: unknown) {
    return this.pfs.update(ctx, fip, id, raw);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('fip') fip: string, @Param('id') id: string): Promise<void> {
    await this.pfs.delete(ctx, fip, id);
  }
}
