import { ArgumentsHost, Body, Catch, Controller, Delete, Get, HttpCode, HttpException, Inject, Param, Post, Put, Query, UseFilters, type ExceptionFilter } from '@nestjs/common';
import { LB_PROVIDERS, lbNotImplemented, NeutronError, type LbChildKind } from '@neutrino/domain';
import { createLogger } from '@neutrino/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ctx, requestIdOf, type RequestContext } from '../http/request-context';
import { LoadBalancersService } from './loadbalancers.service';

type Q = Record<string, string | string[] | undefined>;
const OCTAVIA = ['v2/lbaas', 'v2.0/lbaas'];
const at = (path: string) => OCTAVIA.map((p) => `${p}/${path}`);

/**
 * Errors in Octavia's shape ({"faultcode", "faultstring", "debuginfo"},
 * faultcode Client for 4xx and Server for 5xx). On neutron-lbaas's /v2.0/lbaas
 * the body carries a NeutronError too: python-octaviaclient, given an endpoint
 * without a catalog, calls `<endpoint>/v2.0/lbaas/...` (Octavia serves v2.0 as
 * v2) and reads faultstring, while neutron-lbaas's clients read NeutronError.
 */
@Catch()
export class LbaasErrorFilter implements ExceptionFilter {
  private readonly log = createLogger('api-gateway');

  catch(err: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let status = 500;
    let type = 'HTTPInternalServerError';
    let message = 'Internal Server Error';
    if (err instanceof NeutronError) [status, type, message] = [err.status, err.type, err.message];
    else if (err instanceof HttpException) [status, type, message] = [err.getStatus(), 'HTTPError', err.message];
    else this.log.error({ err, request_id: requestIdOf(req), url: req.url }, 'request failed');
    const octavia = { faultcode: status < 500 ? 'Client' : 'Server', faultstring: message, debuginfo: null };
    const body = req.url.startsWith('/v2/') ? octavia : { NeutronError: { type, message, detail: '' }, ...octavia };
    reply.status(status).header('content-type', 'application/json').header('x-openstack-request-id', requestIdOf(req)).send(JSON.stringify(body));
  }
}

@Controller(at('loadbalancers'))
@UseFilters(LbaasErrorFilter)
export class LoadBalancersController {
  constructor(@Inject(LoadBalancersService) private readonly lbs: LoadBalancersService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: Q) {
    return this.lbs.list(ctx, q);
  }

  @Post()
  @HttpCode(201)
  create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.lbs.create(ctx, body);
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: Q) {
    return this.lbs.show(ctx, id, q);
  }

  @Get(':id/status')
  status(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.lbs.status(ctx, id);
  }

  @Get(':id/stats')
  stats(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.lbs.loadBalancerStats(ctx, id);
  }

  @Put(':id/failover')
  failover(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    this.lbs.show(ctx, id);
    throw lbNotImplemented('Load balancer failover (there are no amphorae to fail over)');
  }

  @Put(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.lbs.update(ctx, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query('cascade') cascade?: string) {
    await this.lbs.delete(ctx, id, cascade === 'true' || cascade === 'True' || cascade === '1');
  }
}

/** Listeners, pools and health monitors: the same five routes each. */
function childController(kind: Exclude<LbChildKind, 'member'>, plural: string) {
  @Controller(at(plural))
  @UseFilters(LbaasErrorFilter)
  class ChildController {
    constructor(@Inject(LoadBalancersService) readonly lbs: LoadBalancersService) {}

    @Get()
    list(@Ctx() ctx: RequestContext, @Query() q: Q) {
      return this.lbs.listChildren(ctx, kind, q);
    }

    @Post()
    @HttpCode(201)
    create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
      return this.lbs.createChild(ctx, kind, body);
    }

    @Get(':id')
    show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: Q) {
      return this.lbs.showChild(ctx, kind, id, q);
    }

    @Put(':id')
    update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
      return this.lbs.updateChild(ctx, kind, id, body);
    }

    @Delete(':id')
    @HttpCode(204)
    async delete(@Ctx() ctx: RequestContext, @Param('id') id: string) {
      await this.lbs.deleteChild(ctx, kind, id);
    }
  }
  return ChildController;
}

export class ListenersController extends childController('listener', 'listeners') {
  @Get(':id/stats')
  stats(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.lbs.listenerStats(ctx, id);
  }
}
export const PoolsController = childController('pool', 'pools');
export const HealthMonitorsController = childController('healthmonitor', 'healthmonitors');

@Controller(at('pools/:pool/members'))
@UseFilters(LbaasErrorFilter)
export class MembersController {
  constructor(@Inject(LoadBalancersService) private readonly lbs: LoadBalancersService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Param('pool') pool: string, @Query() q: Q) {
    return this.lbs.listChildren(ctx, 'member', q, pool);
  }

  @Post()
  @HttpCode(201)
  create(@Ctx() ctx: RequestContext, @Param('pool') pool: string, @Body() body: unknown) {
    return this.lbs.createChild(ctx, 'member', body, pool);
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('pool') pool: string, @Param('id') id: string, @Query() q: Q) {
    return this.lbs.showChild(ctx, 'member', id, q, pool);
  }

  @Put(':id')
  update(@Ctx() ctx: RequestContext, @Param('pool') pool: string, @Param('id') id: string, @Body() body: unknown) {
    return this.lbs.updateChild(ctx, 'member', id, body, pool);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Ctx() ctx: RequestContext, @Param('pool') pool: string, @Param('id') id: string) {
    await this.lbs.deleteChild(ctx, 'member', id, pool);
  }
}

/** What octaviaclient asks besides the tree: the providers we serve, no flavors or zones, Octavia's unlimited quotas. */
@Controller(OCTAVIA)
@UseFilters(LbaasErrorFilter)
export class LbaasMetaController {
  @Get('providers')
  providers() {
    return { providers: LB_PROVIDERS };
  }

  @Get('flavors')
  flavors() {
    return { flavors: [], flavors_links: [] };
  }

  @Get('flavorprofiles')
  flavorProfiles() {
    return { flavorprofiles: [], flavorprofiles_links: [] };
  }

  @Get('availabilityzones')
  zones() {
    return { availability_zones: [], availability_zones_links: [] };
  }

  @Get('quotas')
  quotas(@Ctx() ctx: RequestContext) {
    return { quotas: [{ project_id: ctx.actor.project_id, ...UNLIMITED }], quotas_links: [] };
  }

  @Get('quotas/defaults')
  quotaDefaults() {
    return { quota: UNLIMITED };
  }

  @Get('quotas/:project')
  quota() {
    return { quota: UNLIMITED };
  }
}

const UNLIMITED = { loadbalancer: -1, load_balancer: -1, listener: -1, pool: -1, member: -1, healthmonitor: -1, health_monitor: -1, l7policy: -1, l7rule: -1 };
