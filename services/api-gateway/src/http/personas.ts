import { personaRefusal, type Actor } from '@neutrino/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FLOATINGIP, NETWORK, PORT, ROUTER, SECURITY_GROUP, SECURITY_GROUP_RULE, SUBNET, type KindSpec } from '../read/kinds';
import type { ReadModel } from '../read/read-model';
import { contextOf } from './request-context';

const CORE: Record<string, KindSpec> = Object.fromEntries([NETWORK, SUBNET, PORT, SECURITY_GROUP, SECURITY_GROUP_RULE, ROUTER, FLOATINGIP].map((k) => [k.path.slice('/v2.0/'.length), k]));

/**
 * NEUTRINO_POLICY_NEW_DEFAULTS: the reader/member/admin personas (Zed's
 * enforce_new_defaults), decided by the domain's personaRefusal before the
 * request's own handler. A write on a core resource the caller cannot see
 * goes on to its handler, which answers 404 as Zed does (existence comes
 * before the policy there).
 */
export function personaGate(model: ReadModel) {
  const hidden = (segments: string[], actor: Actor): boolean => {
    const spec = CORE[segments[0]];
    if (!spec || segments.length < 2) return false;
    let id: string;
    try {
      id = decodeURIComponent(segments[1]);
    } catch {
      return true; // a malformed escape: no such resource, its handler answers
    }
    const v = model.get(spec.kind, id)?.value;
    return !v || !spec.visible(v, actor, model);
  };
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'DELETE') return undefined;
    const path = req.url.split('?')[0];
    if (!path.startsWith('/v2.0/')) return undefined;
    const segments = path.slice('/v2.0/'.length).replace(/\.json$/, '').split('/').filter(Boolean);
    const { actor } = contextOf(req);
    const refusal = personaRefusal(actor, req.method, segments);
    if (!refusal || hidden(segments, actor)) return undefined;
    return reply.code(refusal.status).header('content-type', 'application/json').send(JSON.stringify({ NeutronError: { type: refusal.type, message: refusal.message, detail: refusal.detail ?? '' } }));
  };
}
