import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import { FwaasService } from './fwaas.service';

type Q = Record<string, string | string[] | undefined>;
type Collection = 'firewall_rules' | 'firewall_policies' | 'firewall_groups';

/** The five routes of one /v2.0/fwaas collection. */
function fwaasController(c: Collection) {
  @Controller(`v2.0/fwaas/${c}`)
  class FwaasController {
    constructor(@Inject(FwaasService) readonly fw: FwaasService) {}

    @Get()
    list(@Ctx() ctx: RequestContext, @Query() q: Q, @Req() req: FastifyRequest) {
      return this.fw.list(ctx, c, q, rawQueryOf(req));
    }

    @Post()
    @HttpCode(201)
    create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
      return this.fw.create(ctx, c, body);
    }

    @Get(':id')
    show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: Q) {
      return this.fw.show(ctx, c, id, q);
    }

    @Put(':id')
    update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
      return this.fw.update(ctx, c, id, body);
    }

    @Delete(':id')
    @HttpCode(204)
    async delete(@Ctx() ctx: RequestContext, @Param('id') id: string) {
      await this.fw.delete(ctx, c, id);
    }
  }
  return FwaasController;
}

export const FirewallRulesController = fwaasController('firewall_rules');
export const FirewallGroupsController = fwaasController('firewall_groups');

/** Policies, with the insert_rule / remove_rule member actions. */
@Controller('v2.0/fwaas/firewall_policies')
export class FirewallPolicyActionsController {
  constructor(@Inject(FwaasService) private readonly fw: FwaasService) {}

  @Put(':id/insert_rule')
  insert(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.fw.ruleAction(ctx, id, 'insert_rule', body);
  }

  @Put(':id/remove_rule')
  remove(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.fw.ruleAction(ctx, id, 'remove_rule', body);
  }
}
export const FirewallPoliciesController = fwaasController('firewall_policies');
