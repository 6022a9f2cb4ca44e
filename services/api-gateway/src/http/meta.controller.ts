import { Controller, Get, Header, Inject, Param, Res } from '@nestjs/common';
import { notFound } from '@neutrino/domain';
import type { Metrics } from '@neutrino/observability';
import type { FastifyReply } from 'fastify';
import { METRICS } from '../app/tokens';
import { EXTENSIONS } from './extensions';
import { Ctx, type RequestContext } from './request-context';

/** Version discovery (what openstacksdk reads first), extensions and metrics. */
@Controller()
export class MetaController {
  constructor(@Inject(METRICS) private readonly metrics: Metrics) {}

  @Get()
  versions(@Ctx() ctx: RequestContext) {
    return { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${ctx.baseUrl}/v2.0/` }] }] };
  }

  @Get('v2.0')
  resources(@Ctx() ctx: RequestContext) {
    const link = (c: string) => ({ name: c.replace(/s$/, ''), collection: c, links: [{ rel: 'self', href: `${ctx.baseUrl}/v2.0/${c}` }] });
    return { resources: ['subnets', 'networks', 'ports'].map(link) };
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

  @Get('metrics')
  @Header('cache-control', 'no-store')
  async prometheus(@Res() reply: FastifyReply) {
    reply.header('content-type', this.metrics.contentType).send(await this.metrics.text());
  }
}
