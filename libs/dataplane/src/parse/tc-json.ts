import type { DeviceTc } from '../model/types';

interface QdiscJson {
  kind: string;
  dev?: string;
  root?: boolean;
  parent?: string;
  options?: { rate?: number; burst?: number; lat?: number };
}

interface FilterJson {
  options?: { actions?: Array<{ kind?: string; mirred_action?: string; to_dev?: string }> };
}

/**
 * Traffic control from `tc -j qdisc show` and, per device with an ingress
 * qdisc, `dev <name>` followed by `tc -j filter show dev <name> parent ffff:`:
 * the devices with a root tbf or an ingress qdisc (redirected to the mirred
 * target of its filter, '' when it has none).
 */
export function parseTcJson(qdiscs: string, filters: string, netns: string): DeviceTc[] {
  const byDev = new Map<string, DeviceTc>();
  const entry = (dev: string) => byDev.get(dev) ?? byDev.set(dev, { netns, dev, root: null, redirectIngressTo: null }).get(dev)!;
  for (const q of (JSON.parse(qdiscs.trim() || '[]') as QdiscJson[])) {
    if (!q.dev) continue;
    if (q.root && q.kind === 'tbf') {
      const o = q.options ?? {};
      entry(q.dev).root = { rate: o.rate ?? 0, burst: o.burst ?? 0, latencyMs: Math.round((o.lat ?? 0) / 1000) };
    }
    if (q.kind === 'ingress') entry(q.dev).redirectIngressTo = '';
  }
  let dev: string | undefined;
  for (const line of filters.split('\n')) {
    const m = line.match(/^dev (\S+)$/);
    if (m) {
      dev = m[1];
      continue;
    }
    if (!dev || !line.trim().startsWith('[')) continue;
    const to = (JSON.parse(line) as FilterJson[])
      .flatMap((f) => f.options?.actions ?? [])
      .find((a) => a.kind === 'mirred' && a.mirred_action === 'redirect')?.to_dev;
    if (to && byDev.has(dev)) byDev.get(dev)!.redirectIngressTo = to;
  }
  return [...byDev.values()];
}
