import type { RouterPlan } from '../desired/router-plan';

/** A floating IP as configured in a router namespace of this host. */
export interface ServedFip {
  id: string;
  floatingIp: string;
  fixedIp: string;
  netns: string;
  /** the qg- device that holds it */
  dev: string;
}

/** Floating IPs configured here, by address. */
export function servedFloatingIps(plans: RouterPlan[]): Map<string, ServedFip> {
  const out = new Map<string, ServedFip>();
  for (const r of plans) {
    if (!r.gateway) continue;
    for (const f of r.floatingIps) out.set(f.floatingIp, { id: f.id, floatingIp: f.floatingIp, fixedIp: f.fixedIp, netns: r.netns, dev: r.gateway.dev });
    // a forwarding floating IP is served too (announced, ACTIVE); its first internal address stands for its mappings
    for (const p of r.portForwardings) {
      if (!out.has(p.floatingIp)) out.set(p.floatingIp, { id: p.floatingipId, floatingIp: p.floatingIp, fixedIp: p.internalIp, netns: r.netns, dev: r.gateway.dev });
    }
  }
  return out;
}

const same = (a: ServedFip, b: ServedFip) => a.fixedIp === b.fixedIp && a.netns === b.netns && a.dev === b.dev;

/**
 * What follows from floating IPs appearing, moving or going (spec/l3.md §2.5):
 * a new or moved address is announced (gratuitous ARP from its qg-); the
 * tracked connections of a removed or moved one are ended where it was.
 */
export function fipTransitions(before: Map<string, ServedFip>, after: Map<string, ServedFip>): { announce: ServedFip[]; forget: ServedFip[] } {
  const announce: ServedFip[] = [];
  const forget: ServedFip[] = [];
  for (const [ip, a] of after) {
    const b = before.get(ip);
    if (!b || !same(a, b)) announce.push(a);
  }
  for (const [ip, b] of before) {
    const a = after.get(ip);
    if (!a || !same(a, b)) forget.push(b);
  }
  return { announce, forget };
}
