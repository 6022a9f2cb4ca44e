import { NeutronError, invalidInput } from '../errors';

/**
 * The resources Neutrino counts against a project's quota, in the order Zed
 * shows them (Zed's subnetpool, rbac_policy and trunk quotas are not kept:
 * the count of pools, policies and trunks is not limited here — Zed's trunk
 * default is -1, unlimited — so they are neither shown nor accepted).
 */
export const QUOTA_RESOURCES = ['network', 'subnet', 'port', 'router', 'floatingip', 'security_group', 'security_group_rule'] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];
export type QuotaLimits = Record<QuotaResource, number>;

/** Neutron's own defaults (neutron.conf [quotas]); -1 is unlimited. */
export const NEUTRON_QUOTA_DEFAULTS: QuotaLimits = {
  network: 100, subnet: 100, port: 500, router: 10, floatingip: 50, security_group: 10, security_group_rule: 100,
};

export const isQuotaResource = (k: string): k is QuotaResource => (QUOTA_RESOURCES as readonly string[]).includes(k);

const MAX = 2147483647;

/** Python's str() of a JSON value, as Zed's messages quote it. */
function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** Zed's convert_to_int: int(value) — numbers are truncated, booleans are 0/1, strings must be an integer (blanks around allowed). */
function toInt(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^\s*[-+]?\d+(_\d+)*\s*$/.test(v)) return Number(v.replace(/_/g, '').trim());
  throw invalidInput(`'${pyStr(v)}' is not an integer`);
}

/**
 * The body of PUT /v2.0/quotas/<project>: {"quota": {<resource>: <limit>, …}}.
 * Unknown keys are refused first (HTTPBadRequest "Unrecognized attribute(s)"),
 * then each value is converted (InvalidInput) and checked against [-1, 2^31-1].
 * A body that is not of that shape is Zed's "Resource body required" (Zed itself
 * answers 500 there).
 */
export function validateQuotaBody(body: unknown): Partial<QuotaLimits> {
  const quota = (body as { quota?: unknown } | undefined)?.quota;
  if (!quota || typeof quota !== 'object' || Array.isArray(quota)) throw new NeutronError(400, 'HTTPBadRequest', 'Resource body required');
  const unknown = Object.keys(quota).filter((k) => !isQuotaResource(k));
  if (unknown.length) throw new NeutronError(400, 'HTTPBadRequest', `Unrecognized attribute(s) '${unknown.join(', ')}'`);
  const limits: Partial<QuotaLimits> = {};
  for (const [k, raw] of Object.entries(quota as Record<string, unknown>)) {
    const n = toInt(raw);
    if (n < -1) throw new NeutronError(400, 'HTTPBadRequest', `Invalid input for ${k}. Reason: '${n}' is too small - must be at least '-1'.`);
    if (n > MAX) throw new NeutronError(400, 'HTTPBadRequest', `Invalid input for ${k}. Reason: '${n}' is too large - must be no larger than '${MAX}'.`);
    limits[k as QuotaResource] = n;
  }
  return limits;
}

/** Zed's OverQuota (409): the resources named as a Python list. */
export const overQuota = (kinds: QuotaResource[]) =>
  new NeutronError(409, 'OverQuota', `Quota exceeded for resources: [${kinds.map((k) => `'${k}'`).join(', ')}].`);
