import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ServedFip } from './served-fips';

const execFileP = promisify(execFile);

/** Runs a program (argv, never a shell string); rejects when it fails. */
export type Run = (argv: string[], timeoutMs?: number) => Promise<unknown>;
const run: Run = (argv, timeoutMs) => execFileP(argv[0], argv.slice(1), timeoutMs ? { timeout: timeoutMs } : {});

/** Gratuitous ARP for a floating IP from its qg- device, in the background (arping -U takes a second per packet). */
export function announceFip(f: ServedFip, count = 3, exec: Run = run): Promise<void> {
  return exec(['ip', 'netns', 'exec', f.netns, 'arping', '-U', '-c', String(count), '-I', f.dev, f.floatingIp], (count + 2) * 1000).then(
    () => undefined,
    () => undefined, // a backup of an HA router does not hold the address: nothing to announce
  );
}

/**
 * The conntrack selections of a floating IP's mapping (floating IP ↔ fixed IP), and only of it: inbound
 * (original destination the floating IP, DNATed to that fixed IP — the reply's source) and outbound (from
 * that fixed IP, SNATed to the floating IP — the reply's destination). Connections the new mapping made
 * since its rules went in are not touched.
 */
export const conntrackSelections = (f: Pick<ServedFip, 'floatingIp' | 'fixedIp'>): string[][] => [
  ['-d', f.floatingIp, '-r', f.fixedIp],
  ['-s', f.fixedIp, '-q', f.floatingIp],
];

/**
 * Ends the tracked connections of a floating IP's old mapping in its router namespace, once the
 * rules that made it are gone (the router's filter table already drops their packets, see
 * flowGuard). conntrack answers 1 when there was none.
 */
export async function forgetFip(f: ServedFip, exec: Run = run): Promise<void> {
  for (const sel of conntrackSelections(f)) {
    await exec(['ip', 'netns', 'exec', f.netns, 'conntrack', '-D', '-f', 'ipv4', ...sel]).catch(() => undefined);
  }
}
