import { formatTimestamp } from '../common/timestamps';
import type { Actor } from '../actor';
import { objectSharedFor } from '../rbac/object-rbac';
import type { QosPolicy, QosRule } from './model';

/** A rule as its own resource shows it (Zed: no type, no policy id). */
export function presentQosRule(r: QosRule): Record<string, unknown> {
  if (r.type === 'bandwidth_limit') return { max_kbps: r.max_kbps, max_burst_kbps: r.max_burst_kbps, direction: r.direction, id: r.id };
  return { dscp_mark: r.dscp_mark, id: r.id };
}

/** A policy as Zed shows it (Zed's order); its rules carry their type and policy id; `shared` as the caller sees it (an RBAC share with its project too). */
export const presentQosPolicy = (p: QosPolicy, actor?: Actor): Record<string, unknown> => ({
  id: p.id,
  project_id: p.project_id,
  name: p.name,
  shared: actor ? objectSharedFor(p, actor) : p.shared,
  rules: p.rules.map((r) => ({ ...presentQosRule(r), qos_policy_id: p.id, type: r.type })),
  is_default: p.is_default,
  revision_number: p.revision_number,
  description: p.description,
  created_at: formatTimestamp(p.created_at),
  updated_at: formatTimestamp(p.updated_at),
  tenant_id: p.tenant_id,
  tags: [...p.tags],
});
