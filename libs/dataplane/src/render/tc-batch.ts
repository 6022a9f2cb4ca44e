import type { ChangeOf } from '../diff/changes';
import type { TcTbf } from '../model/types';

const tbf = (t: TcTbf) => `tbf rate ${Math.round(t.rate)}bps burst ${Math.round(t.burst)}b latency ${t.latencyMs}ms`;

/**
 * The `tc -batch` lines of one device's traffic control change: the root tbf
 * replaced (or deleted), the ingress qdisc made again with its one filter (a
 * u32 match-all redirecting to the ifb) when the redirect changes.
 */
export function tcBatchLines(c: ChangeOf<'tc.set'>): string[] {
  const { tc: d, was } = c;
  const lines: string[] = [];
  if (d.root) lines.push(`qdisc replace dev ${d.dev} root ${tbf(d.root)}`);
  else if (was.root) lines.push(`qdisc del dev ${d.dev} root`);
  if ((d.redirectIngressTo ?? null) !== (was.redirectIngressTo ?? null)) {
    if (was.redirectIngressTo !== null && was.redirectIngressTo !== undefined) lines.push(`qdisc del dev ${d.dev} ingress`); // '' = an ingress qdisc without our filter
    if (d.redirectIngressTo) {
      lines.push(`qdisc add dev ${d.dev} ingress`);
      lines.push(`filter add dev ${d.dev} parent ffff: protocol all prio 49 u32 match u32 0 0 action mirred egress redirect dev ${d.redirectIngressTo}`);
    }
  }
  return lines;
}
