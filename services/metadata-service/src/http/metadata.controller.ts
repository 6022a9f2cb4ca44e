import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@neutrino/observability';
import { LOGGER, SHARED_SECRET } from '../app/tokens';
import { resolveMetadata } from '../content/metadata-content';
import { InstanceBook } from '../instances/instance-book';
import { identify } from './identify';

/** Every metadata path: the asking instance is the one the signed headers name, and only its own data is served. */
@Controller()
export class MetadataController {
  constructor(
    private readonly book: InstanceBook,
    @Inject(SHARED_SECRET) private readonly secret: string,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Get('*')
  serve(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const who = identify(req.headers, this.secret, (id) => this.book.get(id));
    if (!who.ok) {
      if (who.status === 403) this.log.warn({ instance: req.headers['x-instance-id'], from: req.headers['x-forwarded-for'], path: req.url }, 'metadata request with a signature that does not verify');
      void reply.status(who.status).type('text/plain; charset=utf-8').send(`${who.message}\n`);
      return;
    }
    const c = resolveMetadata(req.url, who.record, who.sourceIp);
    void reply.status(c.status).type(c.type).send(c.body);
  }
}
