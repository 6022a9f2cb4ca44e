import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { VpnKind } from '@neutrino/domain';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import { VPN_COLLECTIONS, VpnService } from './vpn.service';

type Q = Record<string, string | string[] | undefined>;

/** The five routes of one VPN collection under /v2.0/vpn (vpnaas, vpn-endpoint-groups). Neutron's error bodies. */
function vpnController(kind: VpnKind) {
  @Controller(`v2.0/vpn/${VPN_COLLECTIONS[kind].path}`)
  class VpnController {
    constructor(@Inject(VpnService) readonly vpn: VpnService) {}

    @Get()
    list(@Ctx() ctx: RequestContext, @Query() q: Q, @Req() req: FastifyRequest) {
      return this.vpn.list(ctx, kind, q, rawQueryOf(req));
    }

    @Post()
    @HttpCode(201)
    create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
      return this.vpn.create(ctx, kind, body);
    }

    @Get(':id')
    show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() q: Q) {
      return this.vpn.show(ctx, kind, id, q);
    }

    @Put(':id')
    update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
      return this.vpn.update(ctx, kind, id, body);
    }

    @Delete(':id')
    @HttpCode(204)
    async delete(@Ctx() ctx: RequestContext, @Param('id') id: string) {
      await this.vpn.delete(ctx, kind, id);
    }
  }
  return VpnController;
}

export const IkePoliciesController = vpnController('ikepolicy');
export const IpsecPoliciesController = vpnController('ipsecpolicy');
export const VpnServicesController = vpnController('vpnservice');
export const IpsecSiteConnectionsController = vpnController('ipsec_site_connection');
export const EndpointGroupsController = vpnController('endpoint_group');
export const VPN_CONTROLLERS = [IkePoliciesController, IpsecPoliciesController, VpnServicesController, IpsecSiteConnectionsController, EndpointGroupsController];
