import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Change } from '@neutrino/dataplane';
import type { Port } from '@neutrino/domain';
import type { L2View } from '../view/l2-view';
import { PREFIX } from './firewall-model';

const run = promisify(execFile);
const portChain = (prefix: string) => new RegExp(`^${prefix}([io])(.{10})$`);
const PORT_CHAIN_LB = portChain(PREFIX);

/**
 * Which conntrack entries to end after a reconcile: when a port's ingress
 * (egress) chain was rewritten or removed, the flows to (from) its addresses
 * go, so a connection a removed rule allowed does not outlive it. Flows still
 * allowed are picked up again by the next packet (TCP loose tracking) and
 * pass the remaining rules.
 */
export function conntrackFlushes(changes: Change[], view: L2View, prefix = PREFIX): Array<{ direction: '-d' | '-s'; ip: string; family: 'ipv4' | 'ipv6' }> {
  const PORT_CHAIN = prefix === PREFIX ? PORT_CHAIN_LB : portChain(prefix);
  const out = new Map<string, { direction: '-d' | '-s'; ip: string; family: 'ipv4' | 'ipv6' }>();
  let byChainId: Map<string, Port> | undefined;
  for (const c of changes) {
    if (c.kind !== 'chain.set' && c.kind !== 'chain.delete') continue;
    const m = PORT_CHAIN.exec(c.chain);
    if (!m) continue;
    // the ports by the id part of their chains' names, once (a start rewrites thousands of chains)
    byChainId ??= new Map([...view.ports.values()].reverse().map((p) => [p.id.slice(0, m[2].length), p]));
    const port = byChainId.get(m[2]);
    for (const f of port?.fixed_ips ?? []) {
      const direction = m[1] === 'i' ? '-d' : '-s';
      out.set(`${direction}${f.ip_address}`, { direction, ip: f.ip_address, family: f.ip_address.includes(':') ? 'ipv6' : 'ipv4' });
    }
  }
  return [...out.values()];
}

/** Deletes the flows (conntrack answers 1 when there was nothing to delete). */
export async function flushConntrack(flushes: ReturnType<typeof conntrackFlushes>, hostNetns: string): Promise<void> {
  for (const f of flushes) {
    const argv = ['conntrack', '-D', '-f', f.family, f.direction, f.ip];
    const [cmd, ...args] = hostNetns ? ['ip', 'netns', 'exec', hostNetns, ...argv] : argv;
    await run(cmd, args).catch(() => undefined);
  }
}
