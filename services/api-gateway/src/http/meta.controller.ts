import { Controller, Get, Param } from '@nestjs/common';
import { notFound } from '@neutrino/domain';
import type { FastifyInstance } from 'fastify';
import { EXTENSIONS } from './extensions';
import { contextOf, Ctx, type RequestContext } from './request-context';

/** The core resources of the v2 details document, in Zed's order . */
const CORE_RESOURCES = ['networks', 'subnets', 'subnetpools', 'ports'];

export const v2Details = (baseUrl: string) => ({
  resources: CORE_RESOURCES.map((c) => ({ name: c.replace(/s$/, ''), collection: c, links: [{ rel: 'self', href: `${baseUrl}/v2.0/${c}` }] })),
});

/**
 * `GET /v2.0/`, the v2 details document, exactly at that path: Zed answers it there and 404 for
 * `/v2.0` without the slash. Nest drops a route's trailing slash, so it is a route of its own on
 * the Fastify instance (the request hooks apply to it as to every route).
 */
export function serveV2Details(fastify: FastifyInstance): void {
  fastify.get('/v2.0/', async (req) => v2Details(contextOf(req).baseUrl));
}

/** Version discovery (what openstacksdk reads first), and extensions (Prometheus metrics have their own listener, main.ts). */
@Controller()
export class MetaController {
  @Get()
  versions(@Ctx() ctx: RequestContext) {
    return { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${ctx.baseUrl}/v2.0/` }] }] };
  }

  @Get('v2.0/extensions')
  extensions() {
    return { extensions: EXTENSIONS };
  }

  @Get('v2.0/extensions/:alias')
  extension(@Param('alias') alias: string) {
    const ext = EXTENSIONS.find((e) => e.alias === alias);
    if (!ext) throw notFound('ExtensionNotFound', `Extension with alias ${alias} does not exist`);
    return { extension: ext };
  }
}
