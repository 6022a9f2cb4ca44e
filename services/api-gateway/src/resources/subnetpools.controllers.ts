import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import { SubnetPoolsService } from './subnetpools.service';

type Q = Record<string, string | string[] | undefined>;

/** /v2.0/address-scopes (address-scope). */
@Controller('v2.0/address-scopes')
export class AddressScopesController {
  constructor(@Inject(SubnetPoolsService) readonly pools: SubnetPoolsService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: Q, @Req() req: FastifyRequest) {
    return this.pools.listScopes(ctx, q, rawQueryOf(req));
  }

  @Post()
  @HttpCode(201)
  create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.pools.createScope(ctx, body);
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: Q) {
    return this.pools.showScope(ctx, id, q);
  }

  @Put(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.pools.updateScope(ctx, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    await this.pools.deleteScope(ctx, id);
  }
}

/** /v2.0/subnetpools (subnet_allocation, default-subnetpools) with add_prefixes / remove_prefixes (subnetpool-prefix-ops) and onboard_network_subnets (subnet_onboard). */
@Controller('v2.0/subnetpools')
export class SubnetPoolsController {
  constructor(@Inject(SubnetPoolsService) readonly pools: SubnetPoolsService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: Q, @Req() req: FastifyRequest) {
    return this.pools.listPools(ctx, q, rawQueryOf(req));
  }

  @Post()
  @HttpCode(201)
  create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.pools.createPool(ctx, body);
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: Q) {
    return this.pools.showPool(ctx, id, q);
  }

  @Put(':id/add_prefixes')
  add(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.pools.prefixOp(ctx, id, 'add_prefixes', body);
  }

  @Put(':id/remove_prefixes')
  remove(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.pools.prefixOp(ctx, id, 'remove_prefixes', body);
  }

  @Put(':id/onboard_network_subnets')
  onboard(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.pools.onboard(ctx, id, body);
  }

  @Put(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.pools.updatePool(ctx, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    await this.pools.deletePool(ctx, id);
  }
}
