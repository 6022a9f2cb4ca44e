/**
 * Neutron's attribute-aware policy check: the rule for the action AND a rule
 * per explicitly given attribute (and per sub-key of list-of-dict values),
 * rendered as oslo.policy prints it in PolicyNotAuthorized.
 */
import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import { NeutronError } from '../errors';
import { AttrMap, Parsed, explicitlySet } from './attributes';

type Check = { rule: string } | { and: Check[] };

const render = (c: Check): string => ('rule' in c ? `rule:${c.rule}` : `(${c.and.map(render).join(' and ')})`);
const flatten = (c: Check): string[] => ('rule' in c ? [c.rule] : c.and.flatMap(flatten));

/** Decides one named rule; rules without an entry fall back to Neutron's default (admin or owner). */
export type RuleTable = Record<string, () => boolean>;

export interface PolicyRequest {
  action: string;
  actor: Actor;
  item: Parsed;
  map: AttrMap;
  rules: RuleTable;
  /** For updates: the attributes named in the request body (instead of "differs from default"). */
  updating?: string[];
  /** The owner of the target, for the default rule. */
  ownerProject: unknown;
}

export function buildMatch(req: PolicyRequest): Check {
  let match: Check = { rule: req.action };
  for (const name of Object.keys(req.map)) {
    const given = req.updating ? req.updating.includes(name) : explicitlySet(name, req.item, req.map);
    if (!given || !req.map[name].policy) continue;
    let attrRule: Check = { rule: `${req.action}:${name}` };
    const value = req.item[name];
    if (Array.isArray(value)) {
      const subs: Check[] = value
        .filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v))
        .flatMap((v) => Object.keys(v as object).map((k) => ({ rule: `${req.action}:${name}:${k}` })));
      if (subs.length) attrRule = { and: [attrRule, { and: subs }] };
    }
    match = { and: [match, attrRule] };
  }
  return match;
}

/** Enforces the request; admins pass outright (Zed with enforce_new_defaults off). */
export function enforce(req: PolicyRequest): void {
  if (isAdmin(req.actor)) return;
  const match = buildMatch(req);
  const fallback = () => req.ownerProject === req.actor.project_id;
  const ok = flatten(match).every((name) => (req.rules[name] ?? fallback)());
  if (!ok) throw policyDenied(render(match));
}

export const policyDenied = (expression: string) =>
  new NeutronError(403, 'PolicyNotAuthorized', `${expression} is disallowed by policy`);

export const hasRole = (actor: Actor, role: string): boolean => actor.roles.includes(role);
