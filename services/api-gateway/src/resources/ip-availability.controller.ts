import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { httpNotFound, isAdmin, NeutronError, networkIpAvailability, networkNotFound } from '@neutrino/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import { listPage } from '../read/list-page';
import { parseListQuery, selectFields, type Query as Q } from '../read/list-query';
import { Reader } from '../read/reader';

const FILTERABLE = new Set(['network_id', 'network_name', 'tenant_id', 'project_id', 'ip_version']);
/** Zed sorts these by the network's id only. */
const SORTABLE = new Set(['network_id']);
/** A marker no value of ours holds (a random suffix per process): the bigint's quoted form, unquoted after. */
const BIG = `bigint-${Math.random().toString(36).slice(2)}:`;

/** JSON with bigints written as integers (JSON.stringify refuses them; a /64's 2^64 - 1 is no double). */
const json = (body: unknown): string =>
  JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? `${BIG}${v}` : v)).replace(new RegExp(`"${BIG}(\\d+)"`, 'g'), '$1');

/**
 * /v2.0/network-ip-availabilities (admin only, as Zed's policy: others see an
 * empty list and 404), computed from the read model's networks, subnets and
 * ports. `ip_version` keeps only the subnets of that version (and the
 * networks that have one).
 */
@Controller('v2.0/network-ip-availabilities')
export class NetworkIpAvailabilityController {
  constructor(@Inject(Reader) private readonly reader: Reader) {}

  private of(networkId: string, ipVersion?: string[]) {
    const m = this.reader.model;
    const network = m.networks.get(networkId)?.value;
    if (!network) return undefined;
    const subnets = m.subnetsOf(networkId).filter((s) => !ipVersion || ipVersion.includes(String(s.ip_version)));
    if (ipVersion && !subnets.length) return undefined;
    return networkIpAvailability(network, subnets, m.portsOn(networkId));
  }

  @Get()
  async list(@Ctx() ctx: RequestContext, @Query() query: Q, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const q = parseListQuery(query, FILTERABLE);
    const badSorts = q.sorts.map(([k]) => k).filter((k) => !SORTABLE.has(k));
    if (badSorts.length) throw new NeutronError(400, 'HTTPBadRequest', `[${badSorts.map((k) => `'${k}'`).join(', ')}] is invalid attribute for sort_keys`);
    const ipVersion = q.filters.get('ip_version');
    q.filters.delete('ip_version');
    const items = isAdmin(ctx.actor)
      ? [...this.reader.model.networks.keys()].map((id) => this.of(id, ipVersion)).filter((x) => !!x).map((x) => ({ ...x, id: x.network_id }) as Record<string, unknown>)
      : [];
    q.sorts = q.sorts.map(([k, d]) => [k === 'network_id' ? 'id' : k, d]);
    const rawQuery = rawQueryOf(req);
    const page = listPage(items, q, { collection: 'network_ip_availabilities', notFound: networkNotFound, selfUrl: `${ctx.baseUrl}/v2.0/network-ip-availabilities`, rawQuery });
    const rows = page.items.map(({ id: _id, ...rest }) => rest);
    const body = { network_ip_availabilities: rows, ...(page.links ? { network_ip_availabilities_links: page.links } : {}) };
    await reply.header('content-type', 'application/json').send(json(body));
  }

  @Get(':id')
  async show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query('fields') fields: string | string[] | undefined, @Res() reply: FastifyReply): Promise<void> {
    if (!isAdmin(ctx.actor)) throw httpNotFound();
    const one = this.of(id);
    if (!one) throw networkNotFound(id);
    const wanted = ([] as string[]).concat(fields ?? []).flatMap((f) => f.split(',')).filter(Boolean);
    await reply.header('content-type', 'application/json').send(json({ network_ip_availability: selectFields({ ...one }, wanted.length ? wanted : null) }));
  }
}
