import { Controller, Get, Param } from '@nestjs/common';
import { notFound } from '@neutrino/domain';
import { EXTENSIONS } from './extensions';
import { Ctx, type RequestContext } from './request-context';

/** Version discovery (what openstacksdk reads first), and extensions (Prometheus metrics have their own listener, main.ts). */
@Controller()
export class MetaController {
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
}
