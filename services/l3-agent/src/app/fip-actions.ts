import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ServedFip } from './served-fips';

const run = promisify(execFile);

/** Gratuitous ARP for a floating IP from its qg- device, in the background (arping -U takes a second per packet). */
export function announceFip(f: ServedFip, count = 3): Promise<void> {
  return run('ip', ['netns', 'exec', f.netns, 'arping', '-U', '-c', String(count), '-I', f.dev, f.floatingIp], { timeout: (count + 2) * 1000 }).then(
    () => undefined,
    () => undefined, // a backup of an HA router does not hold the address: nothing to announce
  );
}

/**
 * Ends the floating IP's tracked connections in its router namespace: inbound
 * (original destination = the floating IP) and outbound (SNATed, reply
 * destination = the floating IP). conntrack answers 1 when there was none.
 */
export async function forgetFip(f: ServedFip): Promise<void> {
  for (const sel of [['-d', f.floatingIp], ['-q', f.floatingIp]]) {
    await run('ip', ['netns', 'exec', f.netns, 'conntrack', '-D', '-f', 'ipv4', ...sel]).catch(() => undefined);
  }
}
