import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import { AddressGroupsService } from './address-groups.service';

type Q = Record<string, string | string[] | undefined>;

/** /v2.0/address-groups (address-group) with add_addresses / remove_addresses. */
@Controller('v2.0/address-groups')
export class AddressGroupsController {
  constructor(@Inject(AddressGroupsService) readonly groups: AddressGroupsService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: Q, @Req() req: FastifyRequest) {
    return this.groups.list(ctx, q, rawQueryOf(req));
  }

  @Post()
  @HttpCode(201)
  create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.groups.create(ctx, body);
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: Q) {
    return this.groups.show(ctx, id, q);
  }

  @Put(':id/add_addresses')
  add(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.groups.addresses(ctx, id, 'add_addresses', body);
  }

  @Put(':id/remove_addresses')
  remove(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.groups.addresses(ctx, id, 'remove_addresses', body);
  }

  @Put(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.groups.update(ctx, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    await this.groups.delete(ctx, id);
  }
}
