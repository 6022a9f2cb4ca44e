import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import { TrunksService } from './trunks.service';

type Q = Record<string, string | string[] | undefined>;

/** /v2.0/trunks with add_subports, remove_subports and get_subports (Zed's trunk extension). */
@Controller('v2.0/trunks')
export class TrunksController {
  constructor(@Inject(TrunksService) readonly trunks: TrunksService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: Q, @Req() req: FastifyRequest) {
    return this.trunks.list(ctx, q, rawQueryOf(req));
  }

  @Post()
  @HttpCode(201)
  create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.trunks.create(ctx, body);
  }

  @Get(':id/get_subports')
  getSubports(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.trunks.getSubports(ctx, id);
  }

  @Put(':id/add_subports')
  add(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.trunks.subports(ctx, id, 'add_subports', body);
  }

  @Put(':id/remove_subports')
  remove(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.trunks.subports(ctx, id, 'remove_subports', body);
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: Q) {
    return this.trunks.show(ctx, id, q);
  }

  @Put(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.trunks.update(ctx, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    await this.trunks.delete(ctx, id);
  }
}
