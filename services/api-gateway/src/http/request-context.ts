import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@neutrino/domain';
import type { FastifyRequest } from 'fastify';
import { actorFromHeaders } from './identity';
import type { AuthenticatedRequest } from './keystone-auth';

/** Who called and which request this is; passed to every command and stamped on its events. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  /** Base URL of this API as the client reached it (for pagination links). */
  baseUrl: string;
}

export function requestIdOf(req: FastifyRequest): string {
  const r = req as FastifyRequest & { neutrinoRequestId?: string };
  r.neutrinoRequestId ??= `req-${randomUUID()}`;
  return r.neutrinoRequestId;
}

/** The query string as the client sent it (what pagination links carry on). */
export const rawQueryOf = (req: FastifyRequest): string => (req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');

export function contextOf(req: FastifyRequest): RequestContext {
  return {
    // keystone: the token's caller, set by the auth hook (headers are never read then)
    actor: (req as AuthenticatedRequest).neutrinoActor ?? actorFromHeaders(req.headers, process.env.NEUTRINO_NOAUTH_PROJECT_ID || 'admin'),
    requestId: requestIdOf(req),
    baseUrl: `${req.protocol}://${req.headers.host ?? req.hostname}`,
  };
}

export const Ctx = createParamDecorator((_: unknown, ec: ExecutionContext): RequestContext =>
  contextOf(ec.switchToHttp().getRequest<FastifyRequest>()),
);
