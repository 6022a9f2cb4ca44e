import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { HostState } from '@neutrino/dataplane';
import { FWAAS_CHAIN_PREFIXES } from '@neutrino/naming';

const execFileP = promisify(execFile);
export type Run = (argv: string[]) => Promise<unknown>;
const run: Run = (argv) => execFileP(argv[0], argv.slice(1), { timeout: 10_000 });

/** Every ACCEPT line of the firewall chains, by namespace and family: `<netns> <family> <line>`. */
export function acceptLines(s: HostState): Set<string> {
  const out = new Set<string>();
  for (const t of s.iptables) {
    for (const c of t.chains) {
      if (!FWAAS_CHAIN_PREFIXES.some((p) => c.name.startsWith(p))) continue;
      for (const r of c.rules) if (r.endsWith('-j ACCEPT') && !r.includes('--state')) out.add(`${t.netns ?? ''}\t${t.family}\t${r}`);
    }
  }
  return out;
}

/** The conntrack selection of an accept line: its protocol, addresses and single ports (a range or a CIDR widens it: conntrack takes neither). */
export function selectionOf(line: string): string[] {
  const sel: string[] = [];
  const arg = (flag: string) => new RegExp(`(?:^| )${flag} (\\S+)`).exec(line)?.[1];
  const p = arg('-p');
  if (p) sel.push('-p', p);
  const s = arg('-s');
  if (s?.endsWith('/32') || s?.endsWith('/128')) sel.push('-s', s.split('/')[0]);
  const d = arg('-d');
  if (d?.endsWith('/32') || d?.endsWith('/128')) sel.push('-d', d.split('/')[0]);
  const sport = arg('--sport');
  if (p && sport && !sport.includes(':')) sel.push('--sport', sport);
  const dport = arg('--dport');
  if (p && dport && !dport.includes(':')) sel.push('--dport', dport);
  return sel;
}

/**
 * Removing (or disabling, or narrowing) an allow rule also ends the connections it let in, as
 * the l2-agent does for security groups: their conntrack entries in the router namespace go, so
 * the next packet is judged by the chains as they are now (and dropped if nothing allows it).
 * Run after the chains were applied. conntrack answers 1 when there was nothing to delete.
 */
export async function forgetRemovedAccepts(before: Set<string>, after: Set<string>, exec: Run = run): Promise<number> {
  let n = 0;
  for (const key of before) {
    if (after.has(key)) continue;
    const [netns, family, line] = key.split('\t');
    if (!netns) continue;
    await exec(['ip', 'netns', 'exec', netns, 'conntrack', '-D', '-f', family, ...selectionOf(line)]).catch(() => undefined);
    n++;
  }
  return n;
}
