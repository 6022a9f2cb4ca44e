import type { Logger, Metrics } from '@neutrino/observability';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestIdOf } from './request-context';

/**
 * Fastify-level plumbing: bodies are taken as text whatever their content
 * type (json-body.ts parses them), every answer carries the request id, and
 * every request is counted and timed per route and status.
 */
export function installHttpHooks(fastify: FastifyInstance, metrics: Metrics, log?: Logger): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const started = new WeakMap<FastifyRequest, bigint>();
  fastify.addHook('onRequest', async (req) => {
    started.set(req, process.hrtime.bigint());
  });
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
