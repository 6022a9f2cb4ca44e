import { isAdmin, type Actor } from '../actor';
import type { Decider } from '../decider';
import { NeutronError } from '../errors';
import type { CoreEvent } from '../events';
import { QUOTA_RESOURCES, overQuota, validateQuotaBody, type QuotaLimits, type QuotaResource } from './limits';

/** What one resource being created takes: counted until its `*.created` lands (then it is used) or the claim is released or expires. */
export interface QuotaClaim {
  /** The id of the resource whose creation fulfils the claim (a security group also takes its two egress rules). */
  id: string;
  counts: Partial<Record<QuotaResource, number>>;
}

/** A project's quota aggregate (evt.quota.<project>): the limits an admin set, and the claims in flight. */
export interface ProjectQuota {
  project_id: string;
  /** The limits set for the project (merged over the defaults); undefined: none set (or reset), the defaults apply. */
  limits?: Partial<QuotaLimits>;
  /** Claims not fulfilled yet: resource id → what it takes and when it was claimed. */
  claims: Record<string, { counts: Partial<Record<QuotaResource, number>>; at: string }>;
}

export type QuotaEvent = CoreEvent<'quota.updated' | 'quota.reset' | 'quota.claimed' | 'quota.released'>;

export interface QuotaState {
  project_id: string;
  quota?: ProjectQuota;
  defaults: QuotaLimits;
  /** The project's resources of a kind that exist (from the read model). */
  used: (kind: QuotaResource) => number;
  /** How long a claim whose resource never appeared keeps counting (ms). */
  claimTtlMs: number;
}

export type QuotaCommand =
  | { type: 'UpdateQuota'; body: unknown; actor: Actor }
  | { type: 'ResetQuota'; actor: Actor }
  | { type: 'ClaimQuota'; claims: QuotaClaim[]; now: string }
  | { type: 'ReleaseQuota'; ids: string[] };

const denied = (rule: string) => new NeutronError(403, 'PolicyNotAuthorized', `rule:${rule} is disallowed by policy`);

/** The limits in force: the defaults with what was set for the project over them. */
export const limitsOf = (s: Pick<QuotaState, 'quota' | 'defaults'>): QuotaLimits => ({ ...s.defaults, ...(s.quota?.limits ?? {}) });

/** Claims of a kind still counting at `now` (not expired). */
export function reservedOf(s: Pick<QuotaState, 'quota' | 'claimTtlMs'>, kind: QuotaResource, now: string): number {
  const t = Date.parse(now);
  let n = 0;
  for (const c of Object.values(s.quota?.claims ?? {})) if (t - Date.parse(c.at) < s.claimTtlMs) n += c.counts[kind] ?? 0;
  return n;
}

/** GET …/quotas/<project>/details: limit, used and reserved (claims in flight) per resource. */
export function quotaDetails(s: QuotaState, now: string): Record<QuotaResource, { limit: number; used: number; reserved: number }> {
  const limits = limitsOf(s);
  const out = {} as Record<QuotaResource, { limit: number; used: number; reserved: number }>;
  for (const k of QUOTA_RESOURCES) out[k] = { limit: limits[k], used: s.used(k), reserved: reservedOf(s, k, now) };
  return out;
}

/** A limit set shown in Zed's order. */
export function orderedLimits(l: QuotaLimits): QuotaLimits {
  const out = {} as QuotaLimits;
  for (const k of QUOTA_RESOURCES) out[k] = l[k];
  return out;
}

function decide(command: QuotaCommand, s: QuotaState): QuotaEvent[] {
  const project_id = s.project_id;
  switch (command.type) {
    case 'UpdateQuota': {
      if (!isAdmin(command.actor)) throw denied('update_quota');
      const changes = validateQuotaBody(command.body);
      const before = s.quota?.limits;
      const limits = { ...(before ?? {}), ...changes };
      // Nothing set and nothing to set, or the same values again: no change.
      if (before ? QUOTA_RESOURCES.every((k) => before[k] === limits[k]) : !Object.keys(changes).length) return [];
      return [{ type: 'quota.updated', data: { project_id, limits } }];
    }
    case 'ResetQuota':
      if (!isAdmin(command.actor)) throw denied('delete_quota');
      if (!s.quota?.limits) throw new NeutronError(404, 'TenantQuotaNotFound', `Quota for tenant ${project_id} could not be found.`);
      return [{ type: 'quota.reset', data: { project_id } }];
    case 'ClaimQuota': {
      const limits = limitsOf(s);
      const asked: Partial<Record<QuotaResource, number>> = {};
      for (const c of command.claims) for (const [k, n] of Object.entries(c.counts)) asked[k as QuotaResource] = (asked[k as QuotaResource] ?? 0) + (n ?? 0);
      const kinds = QUOTA_RESOURCES.filter((k) => (asked[k] ?? 0) > 0);
      const over = kinds.filter((k) => limits[k] >= 0 && s.used(k) + reservedOf(s, k, command.now) + asked[k]! > limits[k]);
      // Zed checks a create's resources one after the other (a group, then its rules): it names the first one over.
      if (over.length) throw overQuota([over[0]]);
      // Nothing limited is asked for: no claim is needed.
      if (kinds.every((k) => limits[k] < 0)) return [];
      const t = Date.parse(command.now);
      const expired = Object.entries(s.quota?.claims ?? {}).filter(([, c]) => t - Date.parse(c.at) >= s.claimTtlMs).map(([id]) => id);
      return [{ type: 'quota.claimed', data: { project_id, claims: command.claims, ...(expired.length ? { expired } : {}) } }];
    }
    case 'ReleaseQuota': {
      const ids = command.ids.filter((id) => s.quota?.claims[id]);
      return ids.length ? [{ type: 'quota.released', data: { project_id, ids } }] : [];
    }
  }
}

/** Folds one event of evt.quota.<project>. */
export function evolveQuota(q: ProjectQuota | undefined, e: QuotaEvent & { at: string }): ProjectQuota {
  const base: ProjectQuota = q ?? { project_id: e.data.project_id, claims: {} };
  switch (e.type) {
    case 'quota.updated':
      return { ...base, limits: { ...e.data.limits } };
    case 'quota.reset':
      return { ...base, limits: undefined };
    case 'quota.claimed': {
      const claims = { ...base.claims };
      for (const id of e.data.expired ?? []) delete claims[id];
      for (const c of e.data.claims) claims[c.id] = { counts: c.counts, at: e.at };
      return { ...base, claims };
    }
    case 'quota.released': {
      const claims = { ...base.claims };
      for (const id of e.data.ids) delete claims[id];
      return { ...base, claims };
    }
  }
}

/** A claim is fulfilled when its resource was created: from then on the resource itself is counted. */
export function fulfilClaim(q: ProjectQuota, id: string): ProjectQuota {
  if (!q.claims[id]) return q;
  const claims = { ...q.claims };
  delete claims[id];
  return { ...q, claims };
}

export const quotaDecider: Decider<QuotaCommand, QuotaState, QuotaEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, quota: evolveQuota(state.quota, event) }),
  initialState: () => ({ project_id: '', defaults: { network: -1, subnet: -1, port: -1, router: -1, floatingip: -1, security_group: -1, security_group_rule: -1 }, used: () => 0, claimTtlMs: 120_000 }),
};
