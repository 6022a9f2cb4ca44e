import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import { LbaasV1Service } from './lbaas-v1.service';

type Q = Record<string, string | string[] | undefined>;

/** LBaaS v1: /v2.0/lb/pools (with stats, monitor association and the hosting agent). Neutron's error bodies. */
@Controller('v2.0/lb/pools')
export class V1PoolsController {
  constructor(@Inject(LbaasV1Service) private readonly v1: LbaasV1Service) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: Q, @Req() req: FastifyRequest) {
    return this.v1.listPools(ctx, q, rawQueryOf(req));
  }

  @Post()
  @HttpCode(201)
  create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.v1.createPool(ctx, body);
  }

  @Get(':id/stats')
  stats(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.v1.poolStats(ctx, id);
  }

  @Get(':id/loadbalancer-agent')
  agent(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.v1.agentOfPool(ctx, id);
  }

  @Post(':id/health_monitors')
  @HttpCode(201)
  associate(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.v1.associate(ctx, id, body);
  }

  @Delete(':id/health_monitors/:monitor')
  @HttpCode(204)
  async disassociate(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('monitor') monitor: string) {
    await this.v1.disassociate(ctx, id, monitor);
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: Q) {
    return this.v1.showPool(ctx, id, q);
  }

  @Put(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.v1.updatePool(ctx, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    await this.v1.deletePool(ctx, id);
  }
}

interface V1Crud {
  list(ctx: RequestContext, q: Q, rawQuery: string): unknown;
  create(ctx: RequestContext, body: unknown): unknown;
  show(ctx: RequestContext, id: string, q: Q): unknown;
  update(ctx: RequestContext, id: string, body: unknown): unknown;
  delete(ctx: RequestContext, id: string): Promise<void>;
}

/** The same five routes for /lb/vips, /lb/members and /lb/health_monitors. */
function v1Controller(path: string, ops: (v1: LbaasV1Service) => V1Crud) {
  @Controller(`v2.0/lb/${path}`)
  class V1Controller {
    private readonly ops: V1Crud;

    constructor(@Inject(LbaasV1Service) v1: LbaasV1Service) {
      this.ops = ops(v1);
    }

    @Get()
    list(@Ctx() ctx: RequestContext, @Query() q: Q, @Req() req: FastifyRequest) {
      return this.ops.list(ctx, q, rawQueryOf(req));
    }

    @Post()
    @HttpCode(201)
    create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
      return this.ops.create(ctx, body);
    }

    @Get(':id')
    show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: Q) {
      return this.ops.show(ctx, id, q);
    }

    @Put(':id')
    update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
      return this.ops.update(ctx, id, body);
    }

    @Delete(':id')
    @HttpCode(204)
    async delete(@Ctx() ctx: RequestContext, @Param('id') id: string) {
      await this.ops.delete(ctx, id);
    }
  }
  return V1Controller;
}

export const V1VipsController = v1Controller('vips', (v1) => ({
  list: (c, q, r) => v1.listVips(c, q, r), create: (c, b) => v1.createVip(c, b), show: (c, id, q) => v1.showVip(c, id, q),
  update: (c, id, b) => v1.updateVip(c, id, b), delete: (c, id) => v1.deleteVip(c, id),
}));
export const V1MembersController = v1Controller('members', (v1) => ({
  list: (c, q, r) => v1.listMembers(c, q, r), create: (c, b) => v1.createMember(c, b), show: (c, id, q) => v1.showMember(c, id, q),
  update: (c, id, b) => v1.updateMember(c, id, b), delete: (c, id) => v1.deleteMember(c, id),
}));
export const V1HealthMonitorsController = v1Controller('health_monitors', (v1) => ({
  list: (c, q, r) => v1.listMonitors(c, q, r), create: (c, b) => v1.createMonitor(c, b), show: (c, id, q) => v1.showMonitor(c, id, q),
  update: (c, id, b) => v1.updateMonitor(c, id, b), delete: (c, id) => v1.deleteMonitor(c, id),
}));

/** GET /v2.0/agents/<id>/loadbalancer-pools (`neutron lb-pool-list-on-agent`). */
@Controller('v2.0/agents')
export class AgentPoolsController {
  constructor(@Inject(LbaasV1Service) private readonly v1: LbaasV1Service) {}

  @Get(':id/loadbalancer-pools')
  pools(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.v1.poolsOnAgent(ctx, id);
  }
}
