import type { Router } from '@neutrino/domain';

export const MAX_VRID = 255;

/**
 * spec/l3.md §3.1.4: a router's VRID is the lowest one (1–255) its project's
 * other HA routers do not use, taken when it becomes HA. Every agent folds
 * the same log in the same order, so all members agree. A VRID the API
 * stores with the router (`ha_vr_id`) wins.
 */
export function assignVrid(router: Router, routers: Map<string, Router>, vrids: Map<string, number>): number {
  const given = (router as Router & { ha_vr_id?: number }).ha_vr_id;
  if (typeof given === 'number' && given > 0) return given;
  const used = new Set<number>();
  for (const [id, vrid] of vrids) if (id !== router.id && routers.get(id)?.project_id === router.project_id) used.add(vrid);
  for (let v = 1; v <= MAX_VRID; v++) if (!used.has(v)) return v;
  return 0;
}
