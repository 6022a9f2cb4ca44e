/**
 * Neutron's default personas as Zed enforces them with `enforce_new_defaults`
 * (oslo.policy): a project's **reader** reads, its **member** writes, an
 * admin does anything. What a reader may still write in Zed is what the new
 * rules leave to the owner whatever the role: subnets (`rule:network_owner`)
 * and tags. The refusal is the action's rule, as oslo.policy prints it —
 * attribute rules included where Zed checks them on every call (a router's
 * member actions). Recorded against Zed (neutron-server 21.0.0) with
 * enforce_new_defaults = True.
 */
import { isAdmin, type Actor } from '../actor';
import type { NeutronError } from '../errors';
import { policyDenied } from './policy';

const VERB: Record<string, string> = { POST: 'create', PUT: 'update', DELETE: 'delete' };
/** Zed: the network's owner, any role */
const OWNER_MAY = new Set(['create_subnet', 'update_subnet', 'delete_subnet']);
/** checked with the router's ha, flavor_id and distributed rules on every call */
const ROUTER_MEMBER_ACTIONS = new Set(['add_router_interface', 'remove_router_interface', 'add_extraroutes', 'remove_extraroutes']);
/** path prefixes that group a service's collections */
const PREFIXES = new Set(['fw', 'fwaas', 'lbaas', 'lb', 'qos', 'vpn', 'metering']);

const singular = (collection: string): string => {
  const c = collection.replace(/-/g, '_');
  if (c.endsWith('policies')) return `${c.slice(0, -'policies'.length)}policy`;
  return c.endsWith('s') ? c.slice(0, -1) : c;
};

/**
 * The policy action of a write, from the path below /v2.0 split on '/':
 * `networks` → create_network, `routers/<id>` → update_router,
 * `routers/<id>/add_router_interface` → add_router_interface,
 * `floatingips/<id>/port_forwardings` → create_floatingip_port_forwarding;
 * 'tags' for a tag write; null for what is not a resource write.
 */
export function writeAction(method: string, segments: string[]): string | null {
  const verb = VERB[method];
  if (!verb) return null;
  const s = PREFIXES.has(segments[0]) ? segments.slice(1) : segments;
  if (!s.length || !s[0]) return null;
  if (s[2] === 'tags') return 'tags';
  if (s.length === 1) return verb === 'create' ? `create_${singular(s[0])}` : null;
  if (s.length === 2) return verb === 'create' ? null : `${verb}_${singular(s[0])}`;
  // <collection>/<id>/<member action>, or <collection>/<id>/<sub-collection>[/<sub id>]
  if (s.length === 3 && method === 'PUT') return s[2];
  const parent = singular(s[0]);
  const child = singular(s[2]);
  if (s.length === 3) return verb === 'create' ? `create_${parent}_${child}` : null;
  return verb === 'create' ? null : `${verb}_${parent}_${child}`;
}

/** The refusal a caller without the member role (nor admin) gets for this write under the new defaults, else null. */
export function personaRefusal(actor: Actor, method: string, segments: string[]): NeutronError | null {
  if (isAdmin(actor) || actor.roles.includes('member')) return null;
  const action = writeAction(method, segments);
  if (!action || action === 'tags' || OWNER_MAY.has(action)) return null;
  if (ROUTER_MEMBER_ACTIONS.has(action)) return policyDenied(`(((rule:${action} and rule:${action}:ha) and rule:${action}:flavor_id) and rule:${action}:distributed)`);
  return policyDenied(`rule:${action}`);
}
