import type { Actor } from '@neutrino/domain';
import { KeystoneUnavailable, type TokenIdentity, type TokenValidator } from '@neutrino/identity';
import type { Logger } from '@neutrino/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The request's caller as the keystone hook established it (contextOf reads it). */
export type AuthenticatedRequest = FastifyRequest & { neutrinoActor?: Actor };

/** Nobody: what the open paths (the versions document) run as in keystone mode. */
const ANONYMOUS: Actor = { user_id: null, project_id: '', roles: [] };

/**
 * Neutron's api-paste.ini puts authtoken on the `/v2.0` composite; `/` (the versions document) is
 * open. Neutrino also serves Octavia's API under `/v2/lbaas`, which Octavia puts behind Keystone
 * too: so every path but the versions document needs a token (a path Neutron's urlmap would hand
 * to its versions app, e.g. `/foo`, is a 404 here either way).
 */
export const needsToken = (url: string): boolean => url.replace(/[?#].*$/, '') !== '/';

export const actorOf = (id: TokenIdentity): Actor => ({
  user_id: id.userId,
  project_id: id.projectId ?? '',
  roles: id.roles,
  domain_id: id.projectDomainId ?? id.domainId,
  system_scope: id.system,
});

/**
 * keystonemiddleware's answer to a missing, bad, expired or revoked token (auth_token/__init__.py),
 * as Zed behind a real Keystone sends it: application/json, this body, WWW-Authenticate.
 */
export function rejectUnauthenticated(reply: FastifyReply, keystoneUrl: string): FastifyReply {
  return reply
    .code(401)
    .header('www-authenticate', `Keystone uri="${keystoneUrl}"`)
    .type('application/json')
    .send(JSON.stringify({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } }));
}

/** What Zed answers when keystonemiddleware cannot reach Keystone (webob's HTTPServiceUnavailable page). */
export const KEYSTONE_UNAVAILABLE =
  '<html>\n <head>\n  <title>503 Service Unavailable</title>\n </head>\n <body>\n  <h1>503 Service Unavailable</h1>\n' +
  '  The server is currently unavailable. Please try again at a later time.<br /><br />\nThe Keystone service is temporarily unavailable.\n\n\n </body>\n</html>';

/**
 * The keystone strategy's onRequest step. Whatever identity headers the client sent are never
 * read (contextOf takes the actor this sets), as keystonemiddleware strips them.
 */
export function keystoneAuthenticator(validator: TokenValidator, keystoneUrl: string, log?: Logger) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const r = req as AuthenticatedRequest;
    r.neutrinoActor = ANONYMOUS;
    if (!needsToken(req.url)) return undefined;
    const raw = req.headers['x-auth-token'] ?? req.headers['x-storage-token'];
    const token = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!token) return rejectUnauthenticated(reply, keystoneUrl);
    let identity: TokenIdentity | null;
    try {
      identity = await validator.validate(token);
    } catch (err) {
      if (!(err instanceof KeystoneUnavailable)) throw err;
      log?.error({ err: err.message }, 'Unable to validate token');
      return reply.code(503).type('text/html; charset=UTF-8').send(KEYSTONE_UNAVAILABLE);
    }
    if (!identity) return rejectUnauthenticated(reply, keystoneUrl);
    r.neutrinoActor = actorOf(identity);
    return undefined;
  };
}
