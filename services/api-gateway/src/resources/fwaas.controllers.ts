import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import { FwaasService } from './fwaas.service';
import { FwaasV1Service } from './fwaas-v1.service';

type Q = Record<string, string | string[] | undefined>;
type Collection = 'firewall_rules' | 'firewall_policies' | 'firewall_groups' | 'firewalls';

/** What both FWaaS APIs' services answer (v2: FwaasService on /fwaas, v1: FwaasV1Service on /fw). */
interface FwApi {
  list(ctx: RequestContext, c: Collection, q: Q, rawQuery: string): unknown;
  create(ctx: RequestContext, c: Collection, body: unknown): unknown;
  show(ctx: RequestContext, c: Collection, id: string, q: Q): unknown;
  update(ctx: RequestContext, c: Collection, id: string, body: unknown): unknown;
  delete(ctx: RequestContext, c: Collection, id: string): Promise<void>;
  ruleAction(ctx: RequestContext, id: string, action: 'insert_rule' | 'remove_rule', body: unknown): unknown;
}
type Api = { prefix: 'fwaas' | 'fw'; service: typeof FwaasService | typeof FwaasV1Service };
const V2: Api = { prefix: 'fwaas', service: FwaasService };
const V1: Api = { prefix: 'fw', service: FwaasV1Service };

/** The five routes of one /v2.0/fwaas (or v1 /v2.0/fw) collection. */
function fwaasController(c: Collection, api: Api = V2) {
  @Controller(`v2.0/${api.prefix}/${c}`)
  class FwaasController {
    constructor(@Inject(api.service) readonly fw: FwApi) {}

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

/** Policies' insert_rule / remove_rule member actions. */
function policyActionsController(api: Api = V2) {
  @Controller(`v2.0/${api.prefix}/firewall_policies`)
  class FirewallPolicyActionsController {
    constructor(@Inject(api.service) readonly fw: FwApi) {}

    @Put(':id/insert_rule')
    insert(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
      return this.fw.ruleAction(ctx, id, 'insert_rule', body);
    }

    @Put(':id/remove_rule')
    remove(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
      return this.fw.ruleAction(ctx, id, 'remove_rule', body);
    }
  }
  return FirewallPolicyActionsController;
}
export const FirewallPolicyActionsController = policyActionsController();
export const FirewallPoliciesController = fwaasController('firewall_policies');

/** FWaaS v1 (`/v2.0/fw/...`): the same routes on the v1 service (the actions before the policies' `:id`). */
export const FirewallV1Controllers = [
  fwaasController('firewall_rules', V1), policyActionsController(V1), fwaasController('firewall_policies', V1), fwaasController('firewalls', V1),
];
