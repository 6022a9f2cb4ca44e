import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Res } from '@nestjs/common';
import { NeutronError, type TaggedKind } from '@neutrino/domain';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '../http/request-context';
import { TAGGED, TagsService } from './tags.service';

/** The routes of standard-attr-tag under one collection: /v2.0/<collection>/<id>/tags[/<tag>]. */
function tagsController(kind: TaggedKind) {
  @Controller(`${TAGGED[kind].path.slice(1)}/:id/tags`)
  class TagsController {
    constructor(@Inject(TagsService) readonly tags: TagsService) {}

    @Get()
    list(@Ctx() ctx: RequestContext, @Param('id') id: string) {
      return this.tags.list(ctx, kind, id);
    }

    /** 204 when the resource has the tag, TagNotFound otherwise. */
    @Get(':tag')
    @HttpCode(204)
    show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('tag') tag: string): void {
      this.tags.check(ctx, kind, id, tag);
    }

    /** Zed's collection create is "not supported". */
    @Post()
    create(): never {
      throw new NeutronError(404, 'HTTPNotFound', 'not supported');
    }

    @Put()
    replace(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() raw: unknown) {
      return this.tags.replace(ctx, kind, id, raw);
    }

    /** 201 with a JSON null body, whether the tag was new or already there (as Zed). */
    @Put(':tag')
    async add(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('tag') tag: string, @Res() reply: FastifyReply): Promise<void> {
      await this.tags.change(ctx, kind, id, { type: 'AddTag', tag });
      await reply.status(201).header('content-type', 'application/json').send('null');
    }

    @Delete()
    @HttpCode(204)
    async removeAll(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
      await this.tags.change(ctx, kind, id, { type: 'RemoveAllTags' });
    }

    @Delete(':tag')
    @HttpCode(204)
    async remove(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('tag') tag: string): Promise<void> {
      await this.tags.change(ctx, kind, id, { type: 'RemoveTag', tag });
    }
  }
  return TagsController;
}

export const NetworkTagsController = tagsController('network');
export const SubnetTagsController = tagsController('subnet');
export const PortTagsController = tagsController('port');
export const RouterTagsController = tagsController('router');
export const FloatingIpTagsController = tagsController('floatingip');
export const SecurityGroupTagsController = tagsController('security_group');
// Security group rules have none in Zed: …/security-group-rules/<id>/tags is no route (404 HTTPNotFound).

