import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import { NETWORK, PORT, SUBNET, type KindSpec } from '../read/kinds';
import type { Query as ListParams } from '../read/list-query';
import { Reader } from '../read/reader';
import { NetworksService } from './networks.service';
import { PortsService } from './ports.service';
import { SubnetsService } from './subnets.service';


export interface Commands {
  create(ctx: RequestContext, raw: unknown): Promise<Record<string, unknown>>;
  update(ctx: RequestContext, id: string, raw: unknown, ifMatch?: string | string[]): Promise<Record<string, unknown>>;
  delete(ctx: RequestContext, id: string): Promise<void>;
}

/** The five Neutron verbs on one collection; the subclasses name it and may add their own routes. */
export abstract class ResourceController {
  protected abstract readonly spec: KindSpec;
  protected abstract readonly commands: Commands;
  constructor(protected readonly reader: Reader) {}

  /** Work a read needs first (security groups: the project's default group on first use). */
  protected beforeRead(_ctx: RequestContext, _q: ListParams, _what: 'list' | 'show'): Promise<void> | void {}

  @Get()
  async list(@Ctx() ctx: RequestContext, @Query() q: ListParams, @Req() req: FastifyRequest) {
    await this.beforeRead(ctx, q, 'list');
    return this.reader.list(this.spec, ctx, q, rawQueryOf(req));
  }

  @Get(':id')
  async show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: ListParams) {
    await this.beforeRead(ctx, q, 'show');
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

@Controller('v2.0/networks')
export class NetworksController extends ResourceController {
  protected readonly spec = NETWORK;
  constructor(reader: Reader, @Inject(NetworksService) protected readonly commands: NetworksService) {
    super(reader);
  }
}

@Controller('v2.0/subnets')
export class SubnetsController extends ResourceController {
  protected readonly spec = SUBNET;
  constructor(reader: Reader, @Inject(SubnetsService) protected readonly commands: SubnetsService) {
    super(reader);
  }
}

@Controller('v2.0/ports')
export class PortsController extends ResourceController {
  protected readonly spec = PORT;
  constructor(reader: Reader, @Inject(PortsService) protected readonly commands: PortsService) {
    super(reader);
  }
}
