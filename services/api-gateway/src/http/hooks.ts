import type { Logger, Metrics } from '@neutrino/observability';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReadFence } from '@neutrino/projection';
import { acceptBody, checkRequestLine } from './edge-limits';
import { requestIdOf } from './request-context';

/**
 * Fastify-level plumbing: bodies are taken whatever their content type, JSON
 * bounded in depth (edge-limits.ts; json-body.ts refuses what does not
 * parse), the request line and If-Match checked as Neutron's hooks do, every
 * answer carries the request id, and every request is counted and timed per
 * route and status. `authenticate` (the keystone strategy) runs first, as authtoken comes
 * before Neutron's own checks in its paste pipeline; it answers 401 itself.
 * `fence` (several gateways, NEUTRINO_READ_FENCE) runs after it; `personas`
 * (NEUTRINO_POLICY_NEW_DEFAULTS) before each handler.
 */
export function installHttpHooks(
  fastify: FastifyInstance,
  metrics: Metrics,
  log?: Logger,
  authenticate?: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>,
  fence?: ReadFence,
  personas?: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>,
): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, acceptBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  const started = new WeakMap<FastifyRequest, bigint>();
  fastify.addHook('onRequest', async (req, reply) => {
    started.set(req, process.hrtime.bigint());
    if (authenticate && (await authenticate(req, reply))) return reply;
    checkRequestLine(req.url, req.headers['if-match']);
    // Several gateways: what another one has answered is applied here before this request is handled.
    if (fence && req.url !== '/') {
      try {
        await fence.pass();
      } catch (err) {
        const message = `The event log did not say how far it is (${(err as Error)?.message ?? err}), so this gateway cannot tell whether it has every change yet; nothing was done. Try again.`;
        return reply.code(503).header('content-type', 'application/json').send(JSON.stringify({ NeutronError: { type: 'ServiceUnavailable', message, detail: '' } }));
      }
    }
    return undefined;
  });
  // the personas (NEUTRINO_POLICY_NEW_DEFAULTS): once the body is parsed and the caller known, before the handler
  if (personas) fastify.addHook('preHandler', async (req, reply) => (await personas(req, reply)) ?? undefined);
  fastify.addHook('onSend', async (req, reply) => {
    reply.header('x-openstack-request-id', requestIdOf(req));
  });
  fastify.addHook('onResponse', async (req, reply) => {
    const t0 = started.get(req);
    const route = req.routeOptions?.url ?? 'unmatched';
    const labels = { method: req.method, route, status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    const seconds = t0 ? Number(process.hrtime.bigint() - t0) / 1e9 : 0;
    if (t0) metrics.httpLatency.observe(labels, seconds);
    log?.info({ request_id: requestIdOf(req), method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(seconds * 10000) / 10 }, 'request');
  });
}
