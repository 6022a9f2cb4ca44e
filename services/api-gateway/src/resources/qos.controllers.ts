import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { QosRuleType } from '@neutrino/domain';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import { QosService } from './qos.service';

type Q = Record<string, string | string[] | undefined>;

/** /v2.0/qos/policies (qos, qos-default). */
@Controller('v2.0/qos/policies')
export class QosPoliciesController {
  constructor(@Inject(QosService) readonly qos: QosService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: Q, @Req() req: FastifyRequest) {
    return this.qos.list(ctx, q, rawQueryOf(req));
  }

  @Post()
  @HttpCode(201)
  create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.qos.create(ctx, body);
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: Q) {
    return this.qos.show(ctx, id, q);
  }

  @Put(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.qos.update(ctx, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    await this.qos.delete(ctx, id);
  }
}

/** /v2.0/qos/policies/<id>/<collection> for one rule type. */
function rulesController(type: QosRuleType, collection: string) {
  @Controller(`v2.0/qos/policies/:policy/${collection}`)
  class QosRulesController {
    constructor(@Inject(QosService) readonly qos: QosService) {}

    @Get()
    list(@Ctx() ctx: RequestContext, @Param('policy') policy: string, @Query() q: Q, @Req() req: FastifyRequest) {
      return this.qos.listRules(ctx, type, policy, q, rawQueryOf(req));
    }

    @Post()
    @HttpCode(201)
    create(@Ctx() ctx: RequestContext, @Param('policy') policy: string, @Body() body: unknown) {
      return this.qos.createRule(ctx, type, policy, body);
    }

    @Get(':id')
    show(@Ctx() ctx: RequestContext, @Param('policy') policy: string, @Param('id') id: string, @Query() q: Q) {
      return this.qos.showRule(ctx, type, policy, id, q);
    }

    @Put(':id')
    update(@Ctx() ctx: RequestContext, @Param('policy') policy: string, @Param('id') id: string, @Body() body: unknown) {
      return this.qos.updateRule(ctx, type, policy, id, body);
    }

    @Delete(':id')
    @HttpCode(204)
    async delete(@Ctx() ctx: RequestContext, @Param('policy') policy: string, @Param('id') id: string) {
      await this.qos.deleteRule(ctx, type, policy, id);
    }
  }
  return QosRulesController;
}

/** bandwidth_limit_rules (qos, qos-bw-limit-direction). */
export const QosBandwidthLimitRulesController = rulesController('bandwidth_limit', 'bandwidth_limit_rules');
/** dscp_marking_rules (qos). */
export const QosDscpMarkingRulesController = rulesController('dscp_marking', 'dscp_marking_rules');

/** /v2.0/qos/rule-types (qos, qos-rule-type-details). */
@Controller('v2.0/qos/rule-types')
export class QosRuleTypesController {
  constructor(@Inject(QosService) readonly qos: QosService) {}

  @Get()
  list() {
    return this.qos.ruleTypes();
  }

  @Get(':type')
  show(@Ctx() ctx: RequestContext, @Param('type') type: string) {
    return this.qos.ruleType(ctx, type);
  }
}
