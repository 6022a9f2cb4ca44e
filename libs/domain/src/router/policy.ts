/**
 * Zed's router policy: the action, then per given attribute its rule, and for
 * external_gateway_info one rule per key given (network_id: owner; enable_snat
 * and external_fixed_ips: admin only); ha and distributed are admin only.
 */
import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import type { Parsed } from '../common/attributes';
import { isDict } from '../common/validators';
import { policyDenied } from '../common/policy';

const ADMIN_ONLY = new Set(['external_gateway_info:enable_snat', 'external_gateway_info:external_fixed_ips', 'distributed', 'ha']);
const CHECKED = ['external_gateway_info', 'distributed', 'ha'];

/** `given`: the attributes the request names (create: those explicitly set). */
export function enforceRouterPolicy(action: 'create_router' | 'update_router', actor: Actor, item: Parsed, given: string[], owner: string): void {
  if (isAdmin(actor)) return;
  let expr = `rule:${action}`;
  const names: string[] = [];
  for (const attr of CHECKED) {
    if (!given.includes(attr)) continue;
    const value = item[attr];
    const subs = attr === 'external_gateway_info' && isDict(value) ? Object.keys(value).map((k) => `${attr}:${k}`) : [];
    names.push(attr, ...subs);
    const own = `rule:${action}:${attr}`;
    const part = subs.length ? `(${own} and ${subs.length > 1 ? `(${subs.map((s) => `rule:${action}:${s}`).join(' and ')})` : `rule:${action}:${subs[0]}`})` : own;
    expr = `(${expr} and ${part})`;
  }
  const ok = owner === actor.project_id && names.every((n) => !ADMIN_ONLY.has(n));
  if (!ok) throw policyDenied(expr);
}
