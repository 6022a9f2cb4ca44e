import {
  NeutronError, isAdmin, limitsOf, orderedLimits, quotaDecider, quotaDetails, type Actor, type QuotaClaim, type QuotaCommand, type QuotaLimits, type QuotaResource,
  type QuotaState,
} from '@neutrino/domain';
import { parseExtensionBody } from '../http/json-body';
import type { RequestContext } from '../http/request-context';
import type { Reader } from '../read/reader';
import type { QuotaClaims } from '../write/bulk';
import { nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import type { Reservation } from '../write/reservation';
import { aggregate, type Loaded } from '../write/states';

const denied = (rule: string) => new NeutronError(403, 'PolicyNotAuthorized', `rule:${rule} is disallowed by policy`);

/** The project a create charges: the body's project_id (or tenant_id), else the caller's. */
export function chargedProject(body: Record<string, unknown>, singular: string, actor: Actor): string {
  const item = (body?.[singular] ?? {}) as { project_id?: unknown; tenant_id?: unknown };
  const p = item.project_id ?? item.tenant_id;
  return typeof p === 'string' && p ? p : actor.project_id;
}

/**
 * /v2.0/quotas (Zed's quotas and quota_details extensions) and the claims
 * every create makes. A project's quota is one aggregate, evt.quota.<project>,
 * decided by quotaDecider: the limits an admin set (quota.updated / quota.reset)
 * and the claims of creates in flight (quota.claimed, appended with the
 * subject's expected sequence, so two gateways deciding at once serialize
 * there and the second counts the first's claim). A claim counts until its
 * resource's created event lands (from then the resource itself is counted,
 * from the read model), until it is released (the create provably failed) or
 * until it expires (NEUTRINO_QUOTA_CLAIM_TTL_MS).
 */
export class QuotasService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
    private readonly defaults: QuotaLimits,
    private readonly claimTtlMs: number,
  ) {}

  private state(project: string): Loaded<QuotaState> {
    const model = this.reader.model;
    const v = model.quotas.get(project);
    return {
      state: { project_id: project, quota: v?.value, defaults: this.defaults, used: (k) => model.usedBy(project, k), claimTtlMs: this.claimTtlMs },
      seq: v?.seq ?? 0,
    };
  }

  private run(ctx: RequestContext, project: string, command: () => QuotaCommand) {
    return this.handler.handle(ctx, {
      aggregate: aggregate('quota', project),
      load: () => this.state(project),
      decide: (s) => quotaDecider.decide(command(), s),
    });
  }

  /** GET /v2.0/quotas: admin only; the projects that have limits of their own. */
  list(ctx: RequestContext) {
    if (!isAdmin(ctx.actor)) throw denied('get_quota');
    const quotas = [...this.reader.model.quotas.values()]
      .filter((q) => q.value.limits)
      .map((q) => ({ ...orderedLimits(limitsOf({ quota: q.value, defaults: this.defaults })), project_id: q.value.project_id, tenant_id: q.value.project_id }));
    return { quotas };
  }

  show(ctx: RequestContext, project: string) {
    if (!isAdmin(ctx.actor) && ctx.actor.project_id !== project) throw denied('get_quota');
    return { quota: orderedLimits(limitsOf(this.state(project).state)) };
  }

  defaultsOf(ctx: RequestContext, project: string) {
    if (!isAdmin(ctx.actor) && ctx.actor.project_id !== project) throw denied('get_quota');
    return { quota: orderedLimits(this.defaults) };
  }

  details(ctx: RequestContext, project: string) {
    if (!isAdmin(ctx.actor) && ctx.actor.project_id !== project) {
      throw new NeutronError(403, 'AdminRequired', 'User does not have admin privileges: Only admin is authorized to access quotas for another project.');
    }
    return { quota: quotaDetails(this.state(project).state, nowIso()) };
  }

  async update(ctx: RequestContext, project: string, raw: unknown) {
    const body = parseExtensionBody(raw);
    await this.run(ctx, project, () => ({ type: 'UpdateQuota', body, actor: ctx.actor }));
    return { quota: orderedLimits(limitsOf(this.state(project).state)) };
  }

  async reset(ctx: RequestContext, project: string): Promise<void> {
    await this.run(ctx, project, () => ({ type: 'ResetQuota', actor: ctx.actor }));
  }

  /**
   * What a set of creates takes, claimed per project (one append each, all or
   * nothing): OverQuota (409) when it would pass a limit. Released only when
   * the creates provably recorded nothing.
   */
  claims(ctx: RequestContext, items: Array<{ id: string; project: string; counts: Partial<Record<QuotaResource, number>> }>): Reservation<string[]> {
    const byProject = new Map<string, QuotaClaim[]>();
    for (const { id, project, counts } of items) {
      if (!byProject.has(project)) byProject.set(project, []);
      byProject.get(project)!.push({ id, counts });
    }
    const release = async (projects: string[]) => {
      for (const p of projects) {
        const ids = byProject.get(p)!.map((c) => c.id);
        await this.run(ctx, p, () => ({ type: 'ReleaseQuota', ids })).catch(() => undefined);
      }
    };
    return {
      reserve: async () => {
        const done: string[] = [];
        try {
          for (const [project, claims] of [...byProject].sort(([a], [b]) => a.localeCompare(b))) {
            await this.run(ctx, project, () => ({ type: 'ClaimQuota', claims, now: nowIso() }));
            done.push(project);
          }
        } catch (err) {
          await release(done);
          throw err;
        }
        return done;
      },
      release,
    };
  }

  /** The claims of a collection's creates (`counts`: what one item takes), for createOneOrMany. */
  claimsFor(ctx: RequestContext, singular: string, counts: Partial<Record<QuotaResource, number>>): QuotaClaims {
    return (items) => this.claims(ctx, items.map(({ id, body }) => ({ id, project: chargedProject(body, singular, ctx.actor), counts })));
  }
}
