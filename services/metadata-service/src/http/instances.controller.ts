import { Body, Controller, Delete, Headers, HttpCode, HttpException, Inject, Param, Post } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { EventStore } from '@neutrino/events';
import type { InstanceEventData } from '@neutrino/metadata';
import { EVENT_STORE } from '../app/tokens';
import { InstanceBook } from '../instances/instance-book';
import { parseInstance } from '../instances/instance-input';
import { cameThroughProxy } from './identify';

const ACTOR = { user_id: 'metadata-service', project_id: null, roles: ['admin'] };

/**
 * Admin: where instance records come from (the test bed's boot, or whatever
 * plays Nova's role). Each is an event on evt.instance.<id>. Refused for
 * anything that came through the metadata path.
 */
@Controller('instances')
export class InstancesController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly book: InstanceBook,
  ) {}

  private guard(headers: IncomingHttpHeaders): void {
    if (cameThroughProxy(headers)) throw new HttpException('instances are not registered through the metadata path', 403);
  }

  @Post()
  @HttpCode(201)
  async register(@Body() body: unknown, @Headers() headers: IncomingHttpHeaders) {
    this.guard(headers);
    const instance = parseInstance(body);
    if (typeof instance === 'string') throw new HttpException(instance, 400);
    const data: InstanceEventData['instance.registered'] = { instance: { ...instance, created_at: new Date().toISOString() } };
    const [e] = await this.store.append([{ type: 'instance.registered', aggregate: { type: 'instance', id: instance.id }, actor: ACTOR, request_id: null, causation_id: null, data }]);
    await this.book.caughtUp(e.seq);
    return { instance: this.book.get(instance.id) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Headers() headers: IncomingHttpHeaders): Promise<void> {
    this.guard(headers);
    if (!this.book.get(id)) throw new HttpException(`instance ${id} not found`, 404);
    const data: InstanceEventData['instance.deleted'] = { instance_id: id };
    const [e] = await this.store.append([{ type: 'instance.deleted', aggregate: { type: 'instance', id }, actor: ACTOR, request_id: null, causation_id: null, data }]);
    await this.book.caughtUp(e.seq);
  }
}
